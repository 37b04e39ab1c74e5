/** A page as measured: the scripts it fetched (gzip -9 each) and their total. */
export interface PageWeight {
  files: { file: string; gzip: number }[];
  total: number;
  /** A service worker controlled the page from its start. */
  controlled: boolean;
}

/** Loads the test pages in headless Chromium, serving `dirs` (first match wins). */
export function measurePageWeight(options: {
  dirs: string[];
  executablePath?: string;
}): Promise<{ pages: Record<string, PageWeight>; serviceWorker: number | undefined }>;

/** One budget in bytes, or a target not met yet with the guard that stops growth. */
export type PageBudget = number | { target: number; guard: number };

/** Each budget row: measured bytes, target and guard; `met` within the target, `ok` within the guard. */
export function checkPageWeight(
  measured: { pages: Record<string, PageWeight>; serviceWorker: number | undefined },
  budgets: Record<
    'serviceWorkerPage' | 'noServiceWorkerPage' | 'personalization' | 'serviceWorker',
    PageBudget
  >,
): { what: string; bytes: number; target: number; guard: number; met: boolean; ok: boolean }[];
