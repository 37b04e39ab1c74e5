/** The standard event types the SDK captures; any other `[a-z0-9_.:-]{1,64}` name is a custom event. */
export const STANDARD_EVENT_TYPES = [
  'page_view',
  'download',
  'cta_click',
  'form_start',
  'form_submit',
  'form_invalid',
  'form_abandon',
  'exit_intent',
  'identify',
  'engagement',
  'session_start',
  'group',
] as const;

export type StandardEventType = (typeof STANDARD_EVENT_TYPES)[number];
