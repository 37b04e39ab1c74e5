import type { TrackedEvent } from '@leadlight/scoring-core';

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === '' ? null : host.replace(/^www\./, '');
  } catch {
    return null;
  }
}

function clean(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().toLowerCase().slice(0, 100);
  return trimmed === '' ? null : trimmed;
}

/** The marketing channel of a first touch: `utm_source / utm_medium`, else the referrer's domain, else `direct`. */
export function firstTouchChannel(event: TrackedEvent): string {
  const props = event.props ?? {};
  const source = clean(props.utm_source);
  const medium = clean(props.utm_medium);
  if (source || medium) return `${source ?? '(none)'} / ${medium ?? '(none)'}`;
  const referrer = hostOf(event.referrer);
  // A referrer on the site's own host is internal navigation, not a channel.
  if (referrer && referrer !== hostOf(event.url)) return referrer;
  return 'direct';
}
