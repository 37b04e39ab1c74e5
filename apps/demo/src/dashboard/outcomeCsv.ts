// Reads a CRM's outcomes from CSV (RFC 4180: quoted fields, "" inside quotes, CRLF or LF, a BOM) into the
// items of `POST /v1/outcomes`, checking each row and naming the row and column of every problem.

/** One outcome as `POST /v1/outcomes` takes it. */
export interface OutcomeItem {
  email?: string;
  userId?: string;
  contactId?: string;
  stage: 'sql' | 'opportunity' | 'customer' | 'lead';
  revenue?: number;
  /** Ms since the epoch; absent: now. */
  at?: number;
}

/** A problem in the file: its row (the header is row 1, as a spreadsheet counts) and column, if any. */
export interface CsvProblem {
  row: number;
  column?: string;
  message: string;
}

/** One data row: its cells by column, and the item it makes or its problems. */
export interface OutcomeRow {
  row: number;
  cells: Record<string, string>;
  item?: OutcomeItem;
  problems: CsvProblem[];
}

/** A parsed file: its columns, rows, and problems with the file as a whole (no rows when there are any). */
export interface OutcomeCsv {
  columns: string[];
  rows: OutcomeRow[];
  problems: CsvProblem[];
}

/** The columns a file may have, by their names with case, spaces and underscores ignored. */
const COLUMNS = ['email', 'userId', 'contactId', 'stage', 'revenue', 'at'] as const;
const PEOPLE = ['email', 'userId', 'contactId'] as const;
const STAGES = ['sql', 'opportunity', 'customer', 'lead'] as const;
const EARLIEST = Date.UTC(2015, 0, 1);

/** Splits CSV text into records of fields; answers the row of an unclosed quote instead. */
export function splitCsv(text: string): string[][] | { unclosedAt: number } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let quoteRow = 1;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
      // Rows are records, as a spreadsheet counts them (a quoted line break stays in its row).
      quoteRow = records.length + 1;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted) return { unclosedAt: quoteRow };
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function columnOf(header: string): (typeof COLUMNS)[number] | undefined {
  const key = header.toLowerCase().replace(/[\s_-]+/g, '');
  return COLUMNS.find((c) => c.toLowerCase() === key);
}

/** Checks one data row's cells; answers the item or the problems, each naming its column. */
function checkRow(row: number, cells: Record<string, string>, now: number): OutcomeRow {
  const problems: CsvProblem[] = [];
  const problem = (column: string, message: string) => problems.push({ row, column, message });
  const item: Partial<OutcomeItem> = {};
  const named = PEOPLE.filter((c) => (cells[c] ?? '') !== '');
  if (named.length === 0) problem(PEOPLE.filter((c) => c in cells).join('|'), 'empty: give who this is');
  else if (named.length > 1) problem(named.join('|'), 'give only one of them');
  else {
    const key = named[0] as (typeof PEOPLE)[number];
    const value = cells[key] as string;
    if (key === 'email' && !/^[^\s@]+@[^\s@]+$/.test(value)) problem(key, `not an email address: "${value}"`);
    else item[key] = value;
  }
  const stage = (cells.stage ?? '').toLowerCase();
  if ((STAGES as readonly string[]).includes(stage)) item.stage = stage as OutcomeItem['stage'];
  else problem('stage', `expected sql, opportunity, customer or lead, got "${cells.stage ?? ''}"`);
  const revenue = cells.revenue ?? '';
  if (revenue !== '') {
    const amount = Number(revenue.replace(/^\$|[\s,]/g, ''));
    if (!Number.isFinite(amount) || amount < 0)
      problem('revenue', `expected an amount like 12000, got "${revenue}"`);
    else if (stage !== 'customer' && stage !== 'opportunity')
      problem('revenue', 'only with stage customer or opportunity');
    else item.revenue = amount;
  }
  const at = cells.at ?? '';
  if (at !== '') {
    const ms = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
    if (!Number.isFinite(ms)) problem('at', `expected a date like 2026-03-31 or an ISO time, got "${at}"`);
    else if (ms < EARLIEST) problem('at', `before 2015: "${at}"`);
    else if (ms > now) problem('at', `in the future: "${at}"`);
    else item.at = ms;
  }
  return problems.length ? { row, cells, problems } : { row, cells, item: item as OutcomeItem, problems };
}

/**
 * Parses an outcomes CSV: a header row naming the columns in any order (email, userId, contactId, stage,
 * revenue, at; a stage and one way to name people are required), then one outcome per row. Blank lines are
 * skipped; `now` bounds the dates.
 */
export function parseOutcomeCsv(text: string, now: number): OutcomeCsv {
  const records = splitCsv(text);
  if (!Array.isArray(records))
    return {
      columns: [],
      rows: [],
      problems: [{ row: records.unclosedAt, message: 'a quote is never closed' }],
    };
  const [header = [], ...data] = records;
  const problems: CsvProblem[] = [];
  const columns: string[] = [];
  header.forEach((name, i) => {
    const column = columnOf(name.trim());
    if (column === undefined)
      problems.push({ row: 1, column: name, message: `unknown column (expected ${COLUMNS.join(', ')})` });
    else if (columns.includes(column)) problems.push({ row: 1, column: name, message: 'column given twice' });
    columns[i] = column ?? name;
  });
  if (!columns.includes('stage')) problems.push({ row: 1, column: 'stage', message: 'missing column' });
  if (!PEOPLE.some((c) => columns.includes(c)))
    problems.push({
      row: 1,
      column: 'email|userId|contactId',
      message: 'missing column: name people by one',
    });
  if (header.length === 0 || problems.length) return { columns, rows: [], problems };
  const rows: OutcomeRow[] = [];
  data.forEach((record, i) => {
    const row = i + 2;
    if (record.length === 1 && record[0]?.trim() === '') return;
    if (record.length !== columns.length) {
      rows.push({
        row,
        cells: {},
        problems: [{ row, message: `${record.length} fields, the header has ${columns.length}` }],
      });
      return;
    }
    const cells: Record<string, string> = {};
    columns.forEach((column, k) => {
      cells[column] = (record[k] ?? '').trim();
    });
    rows.push(checkRow(row, cells, now));
  });
  if (rows.length === 0) problems.push({ row: 2, message: 'no outcomes below the header' });
  return { columns, rows, problems };
}
