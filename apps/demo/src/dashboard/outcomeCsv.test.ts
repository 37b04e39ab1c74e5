import { describe, expect, it } from 'vitest';
import { parseOutcomeCsv, splitCsv } from './outcomeCsv.js';

const NOW = Date.UTC(2026, 10, 22, 12);

describe('splitCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n1,,3\r\n';
    expect(splitCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
    ]);
    expect(splitCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(splitCsv('a\r1\r')).toEqual([['a'], ['1']]);
  });

  it('names the row of a quote never closed', () => {
    expect(splitCsv('email,stage\nann@x.example,sql\n"bo@x.example,sql\n')).toEqual({ unclosedAt: 3 });
  });
});

describe('parseOutcomeCsv', () => {
  it('takes the columns in any order, case and spacing aside, and makes the API items', () => {
    const csv = parseOutcomeCsv(
      [
        'Stage,Revenue,At,E-mail,contact id',
        'customer,"$12,000",2026-10-03,ann@acme.example,',
        'SQL,,1790000000000,,c_42',
        'lead,,,bo@acme.example,',
      ].join('\n'),
      NOW,
    );
    expect(csv.problems).toEqual([]);
    expect(csv.columns).toEqual(['stage', 'revenue', 'at', 'email', 'contactId']);
    expect(csv.rows.map((r) => r.item)).toEqual([
      { email: 'ann@acme.example', stage: 'customer', revenue: 12_000, at: Date.UTC(2026, 9, 3) },
      { contactId: 'c_42', stage: 'sql', at: 1_790_000_000_000 },
      { email: 'bo@acme.example', stage: 'lead' },
    ]);
    expect(parseOutcomeCsv('userId,stage\r\nu-1,opportunity\r\n', NOW).rows[0]?.item).toEqual({
      userId: 'u-1',
      stage: 'opportunity',
    });
  });

  it('names the row and column of every bad cell, and keeps the good rows', () => {
    const csv = parseOutcomeCsv(
      [
        'email,stage,revenue,at',
        'ann@acme.example,won,,',
        ',sql,,',
        'not-an-email,sql,,',
        'bo@acme.example,sql,500,',
        'cy@acme.example,customer,lots,yesterday',
        'di@acme.example,customer,100,2031-01-01',
        'ed@acme.example,sql',
        '',
        'fay@acme.example,customer,"1,500",2026-11-01T09:30:00Z',
      ].join('\n'),
      NOW,
    );
    expect(csv.problems).toEqual([]);
    const problems = csv.rows.flatMap((r) =>
      r.problems.map((p) => `${p.row} ${p.column ?? '-'}: ${p.message}`),
    );
    expect(problems).toEqual([
      '2 stage: expected sql, opportunity, customer or lead, got "won"',
      '3 email: empty: give who this is',
      '4 email: not an email address: "not-an-email"',
      '5 revenue: only with stage customer or opportunity',
      '6 revenue: expected an amount like 12000, got "lots"',
      '6 at: expected a date like 2026-03-31 or an ISO time, got "yesterday"',
      '7 at: in the future: "2031-01-01"',
      '8 -: 2 fields, the header has 4',
    ]);
    // Row 9 is blank and skipped; row 10 is good.
    expect(csv.rows.filter((r) => r.item).map((r) => [r.row, r.item])).toEqual([
      [10, { email: 'fay@acme.example', stage: 'customer', revenue: 1500, at: Date.UTC(2026, 10, 1, 9, 30) }],
    ]);
  });

  it('refuses a file without a stage or a way to name people, or with unknown columns', () => {
    expect(parseOutcomeCsv('email,revenue\na@x.example,1\n', NOW).problems).toEqual([
      { row: 1, column: 'stage', message: 'missing column' },
    ]);
    expect(parseOutcomeCsv('name,stage\nAnn,sql\n', NOW).problems).toEqual([
      {
        row: 1,
        column: 'name',
        message: 'unknown column (expected email, userId, contactId, stage, revenue, at)',
      },
      { row: 1, column: 'email|userId|contactId', message: 'missing column: name people by one' },
    ]);
    expect(parseOutcomeCsv('email,stage,email\n', NOW).problems[0]).toEqual({
      row: 1,
      column: 'email',
      message: 'column given twice',
    });
    expect(parseOutcomeCsv('email,stage\n', NOW).problems).toEqual([
      { row: 2, message: 'no outcomes below the header' },
    ]);
    expect(parseOutcomeCsv('', NOW).problems.length).toBeGreaterThan(0);
    expect(parseOutcomeCsv('email,stage\n"a@x.example,sql\n', NOW).problems).toEqual([
      { row: 2, message: 'a quote is never closed' },
    ]);
  });

  it('refuses a row that names two people at once', () => {
    const csv = parseOutcomeCsv('email,contactId,stage\na@x.example,c1,sql\n', NOW);
    expect(csv.rows[0]?.problems).toEqual([
      { row: 2, column: 'email|contactId', message: 'give only one of them' },
    ]);
  });
});
