import type { TrackedEvent } from '@leadlight/scoring-core';

/** A timeline line for one event: a short label and the detail that matters for that type. */
export function describeEvent(event: TrackedEvent): { label: string; detail: string } {
  const props = event.props ?? {};
  const text = (value: unknown) =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  switch (event.type) {
    case 'page_view': {
      const utm = ['utm_source', 'utm_medium', 'utm_campaign'].map((k) => text(props[k])).filter(Boolean);
      const from = event.referrer && !utm.length ? referrerHost(event.referrer, event.url) : '';
      return {
        label: 'Viewed',
        detail: `${event.path ?? event.url ?? ''}${utm.length ? ` · ${utm.join(' / ')}` : ''}${from ? ` · from ${from}` : ''}`,
      };
    }
    case 'download':
      return { label: 'Downloaded', detail: text(props.file) || text(props.href) };
    case 'cta_click':
      return { label: 'Clicked', detail: text(props.cta) };
    case 'form_start':
      return { label: 'Started form', detail: text(props.form) };
    case 'form_submit':
      return { label: 'Submitted form', detail: text(props.form) };
    case 'form_invalid':
      return { label: 'Tried to submit form (invalid)', detail: text(props.form) };
    case 'form_abandon':
      return { label: 'Abandoned form', detail: text(props.form) };
    case 'exit_intent':
      return { label: 'Exit intent', detail: event.path ?? '' };
    case 'popup_shown':
      return { label: 'Saw popup', detail: [text(props.popup), event.path].filter(Boolean).join(' · ') };
    case 'engagement': {
      const seconds = text(props.engagedSeconds);
      const depth = text(props.scrollDepth);
      return {
        label: 'Read',
        detail: [event.path, seconds && `${seconds}s`, depth && `scrolled ${depth}%`]
          .filter(Boolean)
          .join(' · '),
      };
    }
    case 'session_start':
      return {
        label: 'Started a visit',
        detail: [text(props.visitNumber) && `visit ${text(props.visitNumber)}`, event.path]
          .filter(Boolean)
          .join(' · '),
      };
    case 'identify': {
      const traits = event.traits ?? {};
      return {
        label: 'Identified',
        detail: [text(traits.email), text(traits.role), text(traits.company)].filter(Boolean).join(' · '),
      };
    }
    default:
      return { label: event.type, detail: event.path ?? '' };
  }
}

function referrerHost(referrer: string, url: string | undefined): string {
  try {
    const host = new URL(referrer).hostname;
    return url && new URL(url).hostname === host ? '' : host;
  } catch {
    return '';
  }
}
