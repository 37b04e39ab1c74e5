// Shared real-browser test support: finds Debian's Chromium and Firefox ESR and launches them headless with the
// settings this closed network needs. Outside CI a missing browser skips its suite loudly; in CI it is an error.
// Chromium is driven by playwright-core; Firefox by puppeteer-core over WebDriver BiDi, behind the same small
// page interface (`TestPage`), so one scenario runs on both.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type LaunchOptions } from 'playwright-core';
import puppeteer, { type Page as PuppeteerPage } from 'puppeteer-core';
import { CHROMIUM_ARGS } from './chromiumArgs.mjs';

/** The browsers the scenarios run in. */
export type BrowserName = 'chromium' | 'firefox';

const BINARIES: Record<BrowserName, (string | undefined)[]> = {
  chromium: [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'],
  firefox: [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'],
};
const INSTALL: Record<BrowserName, string> = {
  chromium: 'CHROME_PATH or apt-get install chromium',
  firefox: 'FIREFOX_PATH or apt-get install firefox-esr',
};

/** The browser's binary, or undefined when none is installed. */
export function findBrowser(name: BrowserName): string | undefined {
  return BINARIES[name].find((path): path is string => Boolean(path && existsSync(path)));
}

/** The Chromium binary to drive, or undefined when none is installed. */
export function findChrome(): string | undefined {
  return findBrowser('chromium');
}

/** True when a suite can run in this browser; warns loudly (or throws in CI) when it cannot. */
export function hasBrowser(name: BrowserName, suite: string): boolean {
  if (findBrowser(name)) return true;
  if (process.env.CI) throw new Error(`${suite}: ${name} is required in CI (${INSTALL[name]})`);
  console.warn(`\n!!! ${suite}: SKIPPED in ${name} — no ${name} found (${INSTALL[name]})\n`);
  return false;
}

/** True when the Chromium suite can run; warns loudly (or throws in CI) when it cannot. */
export function hasChrome(suite: string): boolean {
  return hasBrowser('chromium', suite);
}

/** The browsers a cross-browser suite runs in here: each one found (a missing one warns, or fails in CI). */
export function browsersFor(suite: string): BrowserName[] {
  return (['chromium', 'firefox'] as const).filter((name) => hasBrowser(name, suite));
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh persistent profile (service workers and IndexedDB persist in it). */
export async function launchBrowser(
  options: Partial<LaunchOptions> & { profileDir?: string } = {},
): Promise<LaunchedBrowser> {
  const dir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'll-chrome-'));
  const { profileDir: _profileDir, args = [], ...launch } = options;
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChrome(),
    headless: true,
    ...launch,
    args: [...CHROMIUM_ARGS, ...args],
  });
  return {
    context,
    async close() {
      await context.close();
      if (!options.profileDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a cross-browser scenario does with a page: a subset of Playwright's Page, in its shape. */
export interface TestPage {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
  /** Runs `fn(arg)` in the page; both travel serialized. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Waits until `fn(arg)` is truthy in the page. */
  waitForFunction<A = undefined>(
    fn: (arg: A) => unknown,
    arg?: A,
    options?: { timeout?: number },
  ): Promise<unknown>;
  /** `runBeforeUnload`: close as a person closes a tab (pagehide runs), not as a crash. */
  close(options?: { runBeforeUnload?: boolean }): Promise<void>;
  /** Every console message's text. */
  onConsole(listener: (text: string) => void): void;
}

/** A launched browser with a fresh profile that opens `TestPage`s. */
export interface TestBrowser {
  name: BrowserName;
  newPage(): Promise<TestPage>;
  close(): Promise<void>;
  /** Chromium only: the Playwright context, for what only it can do (routes, offline, the DevTools protocol). */
  context?: BrowserContext;
}

/** Launches `name` headless with a fresh profile. */
export async function launchTestBrowser(name: BrowserName): Promise<TestBrowser> {
  if (name === 'chromium') {
    const launched = await launchBrowser();
    return {
      name,
      context: launched.context,
      newPage: async () => {
        const page = await launched.context.newPage();
        const wrapped = page as unknown as TestPage;
        wrapped.onConsole = (listener) => page.on('console', (message) => listener(message.text()));
        return wrapped;
      },
      close: () => launched.close(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'll-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findBrowser('firefox'),
    headless: true,
    userDataDir: dir,
    extraPrefsFirefox: {
      // No calls home on this closed network (updates, telemetry, safe browsing, captive portal).
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'toolkit.telemetry.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
    },
  });
  const wrap = (page: PuppeteerPage): TestPage => ({
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) =>
      page.evaluate(fn as (arg: unknown) => Promise<R>, arg) as Promise<R>,
    waitForFunction: (fn, arg, options) =>
      page.waitForFunction(fn as (arg: unknown) => unknown, { timeout: options?.timeout ?? 30_000 }, arg),
    close: (options) => page.close(options),
    onConsole: (listener) => void page.on('console', (message) => listener(message.text())),
  });
  return {
    name,
    newPage: async () => wrap(await browser.newPage()),
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
