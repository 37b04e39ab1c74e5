// The straightforward implementation of DESIGN.md §3 that the benchmark measures against: every rule
// scans every event, globs are regular expressions, nothing is indexed or incremental. It is also a
// second, independent reading of the semantics that the differential test compares with `evaluate`.
import type {
  BreakdownEntry,
  EvaluateOptions,
  ScoreResult,
  ScoringModel,
  Stage,
  TrackedEvent,
} from '../src/index.js';
import { hashModel, STAGES } from '../src/index.js';

const GLOB_KEYS = ['path', 'url', 'referrer'];
const EVENT_KEYS = ['path', 'url', 'referrer', 'title'];

function text(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's');
}

function valueMatches(key: string, wanted: unknown, actual: unknown): boolean {
  if (actual === undefined || actual === null) return false;
  const actuals = (Array.isArray(actual) ? actual : [actual]).filter((a) => a !== null);
  const wants = Array.isArray(wanted) ? wanted : [wanted];
  const strip = (s: string) => (key === 'ext' && s.startsWith('.') ? s.slice(1) : s);
  return actuals.some((a) =>
    wants.some((w) =>
      GLOB_KEYS.includes(key) ? globToRegExp(String(w)).test(text(a)) : strip(text(w)) === strip(text(a)),
    ),
  );
}

function ruleMatches(rule: ScoringModel['rules'][number], event: TrackedEvent): boolean {
  const types = Array.isArray(rule.event) ? rule.event : [rule.event];
  if (!types.includes(event.type)) return false;
  for (const [key, wanted] of Object.entries(rule.match ?? {})) {
    if (key === 'props') {
      for (const [name, value] of Object.entries(wanted as Record<string, unknown>))
        if (!valueMatches(name, value, event.props?.[name])) return false;
    } else {
      const actual = EVENT_KEYS.includes(key)
        ? (event as unknown as Record<string, unknown>)[key]
        : event.props?.[key];
      if (!valueMatches(key, wanted, actual)) return false;
    }
  }
  return true;
}

function fitMatches(rule: ScoringModel['fit'][number], value: unknown): boolean {
  if (rule.exists !== undefined)
    return (value !== undefined && value !== null && value !== '') === rule.exists;
  if (value === undefined || value === null) return false;
  return (Array.isArray(value) ? value : [value]).some((v) => {
    if (rule.equals !== undefined) return text(v) === text(rule.equals);
    if (rule.in !== undefined) return rule.in.some((w) => text(w) === text(v));
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    return Number.isFinite(n) && n >= (rule.gte ?? -Infinity) && n <= (rule.lte ?? Infinity);
  });
}

const round2 = (n: number) => Math.round(n * 100) / 100 || 0;

/** Scores events the plain way: sort, then for every rule walk every event. */
export function naiveEvaluate(
  model: ScoringModel,
  input: readonly TrackedEvent[],
  options: EvaluateOptions = {},
): ScoreResult {
  const byKey = new Map(input.map((e) => [`${e.ts}\u0000${e.id}`, e]));
  const events = [...byKey.values()].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const now = options.now ?? events.at(-1)?.ts ?? 0;
  const H = model.halfLifeDays ? model.halfLifeDays * 86_400_000 : 0;
  const breakdown: BreakdownEntry[] = [];
  let engagement = 0;
  for (const rule of model.rules) {
    let count = 0;
    let points = 0;
    for (const event of events) {
      if (count >= (rule.max ?? Infinity) || !ruleMatches(rule, event)) continue;
      count++;
      points += rule.points * (H ? 2 ** (-(now - event.ts) / H) : 1);
    }
    if (count === 0) continue;
    engagement += points;
    breakdown.push({ rule: rule.id, kind: 'engagement', count, points: round2(points) });
  }
  const traits: Record<string, unknown> = {};
  let identified = false;
  for (const event of events) {
    if (event.type !== 'identify' || !event.traits) continue;
    for (const [k, v] of Object.entries(event.traits)) {
      if (v === null) delete traits[k];
      else if (v !== undefined) traits[k] = v;
    }
    if (typeof traits.email === 'string' && traits.email.trim() !== '') identified = true;
  }
  let fit = 0;
  for (const rule of model.fit) {
    if (!fitMatches(rule, traits[rule.trait])) continue;
    fit += rule.points;
    breakdown.push({ rule: rule.id, kind: 'fit', count: 1, points: round2(rule.points) });
  }
  const total = round2(fit + engagement);
  const t = model.mql;
  const mql =
    identified &&
    (t.total === undefined || total >= t.total) &&
    (t.fit === undefined || round2(fit) >= t.fit) &&
    (t.engagement === undefined || round2(engagement) >= t.engagement);
  const earned: Stage = mql ? 'mql' : identified ? 'lead' : 'visitor';
  const given = options.stage;
  const stage = given && STAGES.indexOf(given) > STAGES.indexOf(earned) ? given : earned;
  return {
    total,
    fit: round2(fit),
    engagement: round2(engagement),
    stage,
    mql,
    modelVersion: model.version,
    modelHash: hashModel(model),
    breakdown,
  };
}
