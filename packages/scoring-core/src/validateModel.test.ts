import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goldenVectors } from '../test/goldenVectors.js';
import { evaluate } from './evaluate.js';
import { validateModel } from './validateModel.js';

const valid = {
  version: 'v1',
  halfLifeDays: 30,
  rules: [{ id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 }],
  fit: [{ id: 'vp', trait: 'role', in: ['vp'], points: 10 }],
  mql: { total: 50, fit: 10 },
};

// biome-ignore lint/suspicious/noExplicitAny: tests edit model drafts freely, wrong types included.
type Draft = Record<string, any>;

/** The errors of a model with one part replaced. */
function errorsOf(patch: (model: Draft) => void) {
  const model: Draft = structuredClone(valid);
  patch(model);
  const result = validateModel(model);
  return result.ok ? [] : result.errors;
}

describe('validateModel', () => {
  it('accepts the DESIGN.md example and every golden-vector model', () => {
    expect(validateModel(valid)).toEqual({ ok: true, model: valid });
    for (const vector of goldenVectors) expect(validateModel(vector.model).ok).toBe(true);
  });

  it.each([
    ['not an object', () => null, ''],
    ['a list', () => [], ''],
  ])('rejects %s at the top', (_name, make, path) => {
    const result = validateModel(make());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.path).toBe(path);
  });

  it.each<[string, (m: Draft) => void, string, RegExp]>([
    [
      'unknown top-level keys',
      (m) => {
        m.treshold = 1;
      },
      'treshold',
      /unknown field/,
    ],
    [
      'a missing version',
      (m) => {
        delete m.version;
      },
      'version',
      /non-empty/,
    ],
    [
      'a zero half-life',
      (m) => {
        m.halfLifeDays = 0;
      },
      'halfLifeDays',
      /above 0/,
    ],
    [
      'unknown rule keys',
      (m) => {
        m.rules[0].weight = 2;
      },
      'rules[0].weight',
      /unknown field/,
    ],
    [
      'an empty id',
      (m) => {
        m.rules[0].id = ' ';
      },
      'rules[0].id',
      /non-empty/,
    ],
    [
      'duplicate ids across rules and fit',
      (m) => {
        m.fit[0].id = 'pricing';
      },
      'fit[0].id',
      /duplicate rule id "pricing"/,
    ],
    [
      'a reserved id',
      (m) => {
        m.rules[0].id = '__proto__';
      },
      'rules[0].id',
      /reserved/,
    ],
    [
      'non-finite points',
      (m) => {
        m.rules[0].points = Number.POSITIVE_INFINITY;
      },
      'rules[0].points',
      /finite number/,
    ],
    [
      'points as text',
      (m) => {
        m.rules[0].points = '10';
      },
      'rules[0].points',
      /got "10"/,
    ],
    [
      'a fractional max',
      (m) => {
        m.rules[0].max = 1.5;
      },
      'rules[0].max',
      /whole number/,
    ],
    [
      'a zero max',
      (m) => {
        m.rules[0].max = 0;
      },
      'rules[0].max',
      /from 1/,
    ],
    [
      'a bad event type',
      (m) => {
        m.rules[0].event = 'Page View';
      },
      'rules[0].event',
      /not an event type/,
    ],
    [
      'an empty event list',
      (m) => {
        m.rules[0].event = [];
      },
      'rules[0].event',
      /non-empty list/,
    ],
    [
      'a bad type inside a list',
      (m) => {
        m.rules[0].event = ['page_view', 3];
      },
      'rules[0].event[1]',
      /event type/,
    ],
    [
      'a path glob without a slash',
      (m) => {
        m.rules[0].match.path = 'pricing*';
      },
      'rules[0].match.path',
      /starts with "\/"/,
    ],
    [
      'a double star',
      (m) => {
        m.rules[0].match.path = '/docs/**';
      },
      'rules[0].match.path',
      /"\*\*"/,
    ],
    [
      'an empty pattern',
      (m) => {
        m.rules[0].match.url = '';
      },
      'rules[0].match.url',
      /empty pattern/,
    ],
    [
      'a number as a glob',
      (m) => {
        m.rules[0].match.referrer = [5];
      },
      'rules[0].match.referrer[0]',
      /string pattern/,
    ],
    [
      'an unknown match key',
      (m) => {
        m.rules[0].match.plan = 'pro';
      },
      'rules[0].match.plan',
      /props: \{"plan"/,
    ],
    [
      'an empty any-of list',
      (m) => {
        m.rules[0].match.ext = [];
      },
      'rules[0].match.ext',
      /empty list/,
    ],
    [
      'an object as a match value that is no numeric range',
      (m) => {
        m.rules[0].match.cta = { a: 1 };
      },
      'rules[0].match.cta',
      /numeric match needs "gte", "lte" or both/,
    ],
    [
      'a numeric range with a bound that is no number',
      (m) => {
        m.rules[0].match.props = { engagedSeconds: { gte: '60' } };
      },
      'rules[0].match.props.engagedSeconds.gte',
      /expected a number/,
    ],
    [
      'a numeric range that cannot match',
      (m) => {
        m.rules[0].match.props = { scrollDepth: { gte: 80, lte: 20 } };
      },
      'rules[0].match.props.scrollDepth.gte',
      /above lte 20/,
    ],
    [
      'a numeric range on a globbed field',
      (m) => {
        m.rules[0].match.path = { gte: 1 };
      },
      'rules[0].match.path',
      /string/,
    ],
    [
      'a feature this version does not know',
      (m) => {
        m.requires = ['time-travel'];
      },
      'requires[0]',
      /unknown feature "time-travel"; this version knows engagement-per-view, numeric-match/,
    ],
    [
      'props that is not an object',
      (m) => {
        m.rules[0].match.props = 'x';
      },
      'rules[0].match.props',
      /object of prop names/,
    ],
    [
      'a nested bad prop value',
      (m) => {
        m.rules[0].match.props = { plan: [null] };
      },
      'rules[0].match.props.plan[0]',
      /got null/,
    ],
    [
      'an unknown fit operator',
      (m) => {
        m.fit[0].contains = 'v';
      },
      'fit[0].contains',
      /unknown field/,
    ],
    [
      'a fit rule without operator',
      (m) => {
        delete m.fit[0].in;
      },
      'fit[0]',
      /needs one operator/,
    ],
    [
      'two fit operators',
      (m) => {
        m.fit[0].equals = 'vp';
      },
      'fit[0]',
      /one operator/,
    ],
    [
      'an empty in list',
      (m) => {
        m.fit[0].in = [];
      },
      'fit[0].in',
      /non-empty list/,
    ],
    [
      'gte above lte',
      (m) => {
        Object.assign(m.fit[0], { in: undefined, gte: 10, lte: 5 });
        delete m.fit[0].in;
      },
      'fit[0].gte',
      /no value can match/,
    ],
    [
      'exists that is not boolean',
      (m) => {
        delete m.fit[0].in;
        m.fit[0].exists = 'yes';
      },
      'fit[0].exists',
      /true or false/,
    ],
    [
      'a missing trait',
      (m) => {
        delete m.fit[0].trait;
      },
      'fit[0].trait',
      /name of a trait/,
    ],
    [
      'a missing mql',
      (m) => {
        delete m.mql;
      },
      'mql',
      /required/,
    ],
    [
      'an empty mql',
      (m) => {
        m.mql = {};
      },
      'mql',
      /at least one threshold/,
    ],
    [
      'an unknown mql key',
      (m) => {
        m.mql.score = 3;
      },
      'mql.score',
      /unknown field/,
    ],
    [
      'a non-numeric threshold',
      (m) => {
        m.mql.total = 'fifty';
      },
      'mql.total',
      /number of points/,
    ],
    [
      'rules that is not a list',
      (m) => {
        m.rules = {};
      },
      'rules',
      /expected a list/,
    ],
    [
      'a rule that is not an object',
      (m) => {
        m.rules[0] = 'pricing';
      },
      'rules[0]',
      /rule object/,
    ],
  ])('rejects %s with its path', (_name, patch, path, message) => {
    const errors = errorsOf(patch);
    const error = errors.find((e) => e.path === path);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error!.message).toMatch(message);
  });

  it('keeps labels on rules and fit rules, refuses bad ones by path, and scores the same with or without', () => {
    const labelled = structuredClone(valid) as Draft;
    labelled.rules[0].label = 'Visited pricing';
    labelled.fit[0].label = 'Buyer role';
    const result = validateModel(labelled);
    expect(result.ok && result.model.rules[0]?.label).toBe('Visited pricing');
    expect(result.ok && result.model.fit[0]?.label).toBe('Buyer role');
    const plain = validateModel(valid);
    const events = [
      { id: '1', type: 'page_view', ts: 1000, anonymousId: 'a', path: '/pricing' },
      { id: '2', type: 'identify', ts: 2000, anonymousId: 'a', traits: { email: 'a@x.example', role: 'vp' } },
    ];
    if (!result.ok || !plain.ok) throw new Error('expected valid models');
    // The label is part of the model (so its hash changes and a label edit gets published), never of a score.
    const { modelHash: _a, ...withLabels } = evaluate(result.model, events, { now: 5000 });
    const { modelHash: _b, ...without } = evaluate(plain.model, events, { now: 5000 });
    expect(withLabels).toEqual(without);
    expect(
      errorsOf((m) => {
        m.rules[0].label = 'x'.repeat(101);
        m.fit[0].label = 7;
      }).map((e) => e.path),
    ).toEqual(['rules[0].label', 'fit[0].label']);
    expect(
      errorsOf((m) => {
        m.rules[0].label = 'x'.repeat(100);
      }),
    ).toEqual([]);
  });

  it('reports every error at once, not just the first', () => {
    const errors = errorsOf((m) => {
      m.version = '';
      m.rules[0].points = 'x';
      m.mql = {};
    });
    expect(errors.map((e) => e.path)).toEqual(['version', 'rules[0].points', 'mql']);
  });

  it('accepts a model without fit and a gte/lte range', () => {
    const result = validateModel({ version: 'x', rules: [], mql: { engagement: 5 } });
    expect(result.ok && result.model.fit).toEqual([]);
    expect(
      errorsOf((m) => {
        delete m.fit[0].in;
        Object.assign(m.fit[0], { gte: 1, lte: 2 });
      }),
    ).toEqual([]);
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateModel(value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on models that are almost right', () => {
    const anything = fc.anything({ withNullPrototype: true, withObjectString: true });
    const arbitraryModel = fc.record(
      {
        version: fc.oneof(fc.string(), anything),
        halfLifeDays: fc.oneof(fc.double(), anything),
        rules: fc.array(
          fc.record(
            {
              id: fc.oneof(fc.string(), anything),
              event: fc.oneof(fc.constantFrom('page_view', 'download'), fc.array(fc.string()), anything),
              match: fc.oneof(
                fc.dictionary(fc.constantFrom('path', 'ext', 'props', 'x', '__proto__'), anything),
                anything,
              ),
              points: fc.oneof(fc.double(), anything),
              max: fc.oneof(fc.integer(), anything),
            },
            { requiredKeys: [] },
          ),
        ),
        fit: fc.array(
          fc.dictionary(
            fc.constantFrom('id', 'trait', 'in', 'gte', 'lte', 'exists', 'equals', 'points'),
            anything,
          ),
        ),
        mql: fc.oneof(fc.dictionary(fc.constantFrom('total', 'fit', 'engagement'), anything), anything),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(arbitraryModel, (value) => {
        const result = validateModel(value);
        if (!result.ok) for (const e of result.errors) expect(typeof e.message).toBe('string');
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});
