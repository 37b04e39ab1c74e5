// Number and time formatting for the dashboard: pure functions, so the unit tests pin them down.

/** A fraction as a percentage with one decimal ("42.9%"), or "—" when there is no rate yet. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(Math.round(fraction * 1000) / 10).toFixed(1)}%`;
}

/** Money in whole dollars with thousands separators ("$12,500"), or "—". */
export function formatMoney(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const sign = amount < 0 ? '−' : '';
  return `${sign}$${Math.round(Math.abs(amount)).toLocaleString('en-US')}`;
}

/** A duration in the two largest units that matter ("3d 4h", "2h 05m", "45s"), or "—". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return '< 1s';
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** How long ago `ts` was, relative to `now` ("just now", "5 min ago", "3 h ago", "2 d ago"). */
export function formatAgo(ts: number, now: number): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** A count with its noun, plural unless one ("1 event", "1,204 visitors"). */
export function formatCount(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** A score for display: at most one decimal, no trailing ".0" ("48.5", "50", "−10"). */
export function formatScore(score: number): string {
  const rounded = Math.round(score * 10) / 10;
  return `${rounded < 0 ? '−' : ''}${Math.abs(rounded)}`;
}

/** Signed points for a breakdown line ("+10", "−20", "+4.9"). */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return '0';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded)}`;
}

/** A timestamp as a short UTC-free local date and time ("Nov 21, 14:05"). */
export function formatDateTime(ts: number, locale = 'en-US', timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(ts);
}

/** The name a contact goes by in lists: name, else email, else a short anonymous id. */
export function displayName(traits: Record<string, unknown>, id: string): string {
  for (const key of ['name', 'email']) {
    const value = traits[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return `Anonymous ${id.slice(-6)}`;
}

/**
 * Who made a change, for people: stage moves, notes and owners are signed `session:<display name>` (a
 * dashboard user), `secret-key[:<name>]` (an API call) or `system` (automatic).
 */
export function formatActor(by: string): string {
  if (by === 'system') return 'automatic';
  const [via = '', ...rest] = by.split(':');
  const name = rest.join(':');
  if (name) return name;
  if (via === 'session') return 'dashboard';
  if (via === 'secret-key') return 'API';
  return by;
}
