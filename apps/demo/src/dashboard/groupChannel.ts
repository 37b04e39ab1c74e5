/** The acquisition channel groups the dashboard charts. */
export type ChannelGroup = 'Paid ads' | 'Organic search' | 'Social' | 'Email' | 'Referral' | 'Direct';

/** Every group, in the order the chart lists them. */
export const CHANNEL_GROUPS: ChannelGroup[] = [
  'Paid ads',
  'Organic search',
  'Social',
  'Email',
  'Referral',
  'Direct',
];

const PAID = new Set(['cpc', 'ppc', 'paid', 'paidsocial', 'paid-social', 'display', 'cpm']);
const SEARCH = /(^|\.)(google|bing|duckduckgo|yahoo|baidu|yandex|ecosia|qwant)\.[a-z.]+$/;
const SOCIAL =
  /(^|\.)(linkedin\.com|twitter\.com|x\.com|t\.co|facebook\.com|instagram\.com|reddit\.com|news\.ycombinator\.com|youtube\.com|lnkd\.in)$/;

/**
 * Groups the collector's first-touch channel (`"source / medium"` from UTM tags, else the referrer's host,
 * else `"direct"`) into the six groups marketers read.
 */
export function groupChannel(channel: string | null | undefined): ChannelGroup {
  const value = (channel ?? '').trim().toLowerCase();
  if (value === '' || value === 'direct') return 'Direct';
  const utm = /^(.*) \/ (.*)$/.exec(value);
  if (utm) {
    const [, source = '', medium = ''] = utm;
    if (PAID.has(medium)) return 'Paid ads';
    if (medium === 'email' || medium === 'newsletter') return 'Email';
    if (medium === 'social') return 'Social';
    if (medium === 'organic') return 'Organic search';
    return groupHost(source) ?? 'Referral';
  }
  return groupHost(value) ?? 'Referral';
}

function groupHost(host: string): ChannelGroup | undefined {
  if (SEARCH.test(host)) return 'Organic search';
  if (SOCIAL.test(host)) return 'Social';
  return undefined;
}
