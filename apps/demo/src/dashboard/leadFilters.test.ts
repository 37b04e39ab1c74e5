import type { ScoreResult, Stage } from '@leadlight/scoring-core';
import type { ContactListItem as Contact } from '@leadlight/scoring-core/wire';
import { describe, expect, it } from 'vitest';
import { filterLeads, type LeadFilter, leadQueryOf, leadsCsv, sortLeads, UNASSIGNED } from './leadFilters.js';

function contact(id: string, total: number, extra: Partial<Contact> = {}): Contact {
  const score: ScoreResult = {
    total,
    fit: total / 2,
    engagement: total / 2,
    stage: extra.stage ?? 'lead',
    mql: false,
    modelVersion: 'v',
    modelHash: 'h',
    breakdown: [
      { rule: 'pricing', kind: 'engagement', count: 1, points: 10 },
      { rule: 'careers', kind: 'engagement', count: 1, points: -20 },
    ],
  };
  return {
    id,
    stage: 'lead' as Stage,
    email: null,
    traits: {},
    score,
    eventCount: 1,
    mqlAt: null,
    revenue: null,
    channel: '',
    accountId: null,
    reached: {},
    firstSeenAt: 0,
    lastSeenAt: 0,
    createdAt: 0,
    updatedAt: 0,
    owner: null,
    ...extra,
  };
}

const ann = contact('c1', 60, {
  stage: 'mql',
  traits: { name: 'Ann Lee', company: 'Kestrel Bank' },
  email: 'ann@kestrel.example',
  owner: 'Sam',
  lastSeenAt: 30,
});
const bo = contact('c2', 20, {
  traits: { name: 'Bo Diaz', company: 'Orbitly', email: 'bo@orbitly.example' },
  lastSeenAt: 10,
});
const cy = contact('c3', 40, {
  stage: 'customer',
  traits: { name: 'Cy Okafor' },
  owner: 'Kim',
  lastSeenAt: 20,
});
const all = [ann, bo, cy];
const none: LeadFilter = { query: '', stage: '', owner: '' };
const ids = (list: Contact[]) => list.map((c) => c.id);

describe('filterLeads', () => {
  it('searches name, email and company, every word, any case', () => {
    expect(ids(filterLeads(all, { ...none, query: 'kestrel' }))).toEqual(['c1']);
    expect(ids(filterLeads(all, { ...none, query: 'ORBITLY.example' }))).toEqual(['c2']);
    expect(ids(filterLeads(all, { ...none, query: 'okafor cy' }))).toEqual(['c3']);
    expect(ids(filterLeads(all, { ...none, query: 'ann orbitly' }))).toEqual([]);
    expect(ids(filterLeads(all, none))).toEqual(['c1', 'c2', 'c3']);
  });

  it('filters by stage, owner (or nobody) and a score range, together', () => {
    expect(ids(filterLeads(all, { ...none, stage: 'customer' }))).toEqual(['c3']);
    expect(ids(filterLeads(all, { ...none, owner: 'Sam' }))).toEqual(['c1']);
    expect(ids(filterLeads(all, { ...none, owner: UNASSIGNED }))).toEqual(['c2']);
    expect(ids(filterLeads(all, { ...none, minScore: 30, maxScore: 50 }))).toEqual(['c3']);
    expect(ids(filterLeads(all, { ...none, minScore: 20, owner: 'Kim', stage: 'lead' }))).toEqual([]);
  });
});

describe('sortLeads', () => {
  it('sorts by any column either way, numbers and names alike, without touching the input', () => {
    expect(ids(sortLeads(all, { key: 'score', dir: 'desc' }))).toEqual(['c1', 'c3', 'c2']);
    expect(ids(sortLeads(all, { key: 'score', dir: 'asc' }))).toEqual(['c2', 'c3', 'c1']);
    expect(ids(sortLeads(all, { key: 'name', dir: 'asc' }))).toEqual(['c1', 'c2', 'c3']);
    expect(ids(sortLeads(all, { key: 'stage', dir: 'desc' }))).toEqual(['c3', 'c1', 'c2']);
    expect(ids(sortLeads(all, { key: 'lastSeen', dir: 'desc' }))).toEqual(['c1', 'c3', 'c2']);
    expect(ids(all)).toEqual(['c1', 'c2', 'c3']);
  });

  it('puts contacts nobody owns last whichever the direction', () => {
    expect(ids(sortLeads(all, { key: 'owner', dir: 'asc' }))).toEqual(['c3', 'c1', 'c2']);
    expect(ids(sortLeads(all, { key: 'owner', dir: 'desc' }))).toEqual(['c1', 'c3', 'c2']);
  });
});

describe('leadsCsv', () => {
  it('writes a header and one quoted-where-needed row per contact, reasons by rule id', () => {
    const csv = leadsCsv([ann, { ...bo, traits: { ...bo.traits, company: 'Orbitly, "Inc"' } }]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,name,email,company,role,stage,score,fit,engagement,owner,channel,first_touch,mql_at,last_seen,reasons',
    );
    expect(lines[1]).toBe(
      'c1,Ann Lee,ann@kestrel.example,Kestrel Bank,,mql,60,30,30,Sam,Direct,,,1970-01-01T00:00:00.030Z,careers -20; pricing +10',
    );
    expect(lines[2]).toContain(',"Orbitly, ""Inc""",');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    const csv = leadsCsv([contact('c9', 1, { traits: { name: '=HYPERLINK("x")', company: '+1 Corp' } })]);
    expect(csv).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(csv).toContain(",'+1 Corp,");
  });

  it('asks the collector for the same filter and sort (owner order stays with the page)', () => {
    expect(leadQueryOf({ query: '  ', stage: '', owner: '' }, { key: 'score', dir: 'desc' })).toEqual({
      sort: '-score',
    });
    expect(
      leadQueryOf(
        { query: ' kestrel ann ', stage: 'mql', owner: 'Sam', minScore: 10, maxScore: 80 },
        { key: 'name', dir: 'asc' },
      ),
    ).toEqual({ q: 'kestrel ann', stage: 'mql', owner: 'Sam', minScore: 10, maxScore: 80, sort: 'name' });
    expect(leadQueryOf({ query: '', stage: '', owner: UNASSIGNED }, { key: 'owner', dir: 'asc' })).toEqual({
      unassigned: 'true',
    });
    expect(leadQueryOf({ query: '', stage: '', owner: '' }, { key: 'lastSeen', dir: 'desc' }).sort).toBe(
      '-lastSeen',
    );
  });
});
