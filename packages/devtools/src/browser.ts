// Shared real-browser test support: finds Debian's Chromium and launches it headless with the flags
// this closed network needs. Outside CI a missing browser skips the suite loudly; in CI it is an error.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type LaunchOptions } from 'playwright-core';

/** The Chromium binary to drive, or undefined when none is installed. */
export function findChrome(): string | undefined {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => Boolean(path && existsSync(path)));
}

/** True when the browser suite can run; warns loudly (or throws in CI) when it cannot. */
export function hasChrome(suite: string): boolean {
  if (findChrome()) return true;
  if (process.env.CI)
    throw new Error(`${suite}: Chromium is required in CI (set CHROME_PATH or install chromium)`);
  console.warn(
    `\n!!! ${suite}: SKIPPED — no Chromium at CHROME_PATH or /usr/bin/chromium (apt-get install chromium)\n`,
  );
  return false;
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
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChrome(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      if (!options.profileDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
