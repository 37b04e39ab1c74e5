// Crawlers, link unfurlers, HTTP libraries and automated browsers, by the tokens their user agents carry.
const BOT_PATTERN =
  /bot\b|bot\/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|quora link preview|bingpreview|headlesschrome|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|pingdom|uptimerobot|statuscake|gtmetrix|curl\/|wget\/|python-requests|python-urllib|aiohttp|go-http-client|java\/|okhttp|axios\/|node-fetch|undici|httpclient|libwww|scrapy|ahrefs|semrush|mj12|dotbot|petalbot|yandex|baiduspider|duckduckbot|applebot|bytespider|gptbot|ccbot|claudebot|anthropic-ai|perplexity/i;

/** True when a user agent belongs to a known bot, crawler or automated browser (or is missing). */
export function isBotUserAgent(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.trim() === '') return true;
  return BOT_PATTERN.test(userAgent);
}
