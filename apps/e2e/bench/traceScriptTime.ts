// Script time from a Chromium trace: wall and thread (CPU) time of the renderer main threads' script work. Thread
// time is what the work cost the CPU, which wall time on a busy shared machine overstates by the time the thread
// waited to run.
import type { CDPSession } from 'playwright-core';

/** Trace events that are script work; nested ones (a function call inside a timer) count once, in the outer. */
const SCRIPT = new Set([
  'EvaluateScript',
  'v8.compileModule',
  'v8.evaluateModule',
  'v8.compile',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'EventDispatch',
  'RunMicrotasks',
  'v8.callFunction',
]);

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: {
    name?: string;
    data?: { url?: string; processId?: number; frames?: { url?: string; processId?: number }[] };
  };
}

/**
 * Starts tracing on `cdp`; the returned function stops it and sums the script work in ms (wall and CPU) of the
 * renderers that showed a page of `origin` (the browser's own UI runs scripts in a renderer too).
 */
export async function traceScriptTime(
  cdp: CDPSession,
  origin: string,
): Promise<() => Promise<{ wall: number; cpu: number }>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'],
      excludedCategories: ['*'],
    },
  });
  return async () => {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    const frames = events.flatMap((e) =>
      e.name === 'TracingStartedInBrowser'
        ? (e.args?.data?.frames ?? [])
        : e.name === 'FrameCommittedInBrowser'
          ? [e.args?.data ?? {}]
          : [],
    );
    const pages = new Set(frames.filter((f) => f.url?.startsWith(origin)).map((f) => f.processId));
    const main = new Set(
      events
        .filter(
          (e) =>
            e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && pages.has(e.pid),
        )
        .map((e) => `${e.pid}:${e.tid}`),
    );
    const script = events
      .filter((e) => e.ph === 'X' && SCRIPT.has(e.name) && main.has(`${e.pid}:${e.tid}`))
      .sort((a, b) => a.ts - b.ts);
    let wall = 0;
    let cpu = 0;
    const ends = new Map<string, number>();
    for (const e of script) {
      const thread = `${e.pid}:${e.tid}`;
      if (e.ts < (ends.get(thread) ?? 0)) continue;
      ends.set(thread, e.ts + (e.dur ?? 0));
      wall += e.dur ?? 0;
      cpu += e.tdur ?? e.dur ?? 0;
    }
    return { wall: wall / 1000, cpu: cpu / 1000 };
  };
}
