// `pnpm bench` for scoring-core: evaluate and fold throughput over 1M events (10k contacts × 100),
// next to the straightforward implementation measured in the same run. Prints a table.
import { cpus } from 'node:os';
import { createState, evaluate, foldEvent, resultOf, type ScoreResult } from '../src/index.js';
import { naiveEvaluate } from './naiveEvaluate.js';
import { benchContacts, benchContactsRandomOrder, benchModel } from './workload.js';

const model = benchModel();
const contacts = benchContacts(10_000, 100);
const total = contacts.reduce((n, events) => n + events.length, 0);
const now = Date.UTC(2026, 2, 1);

/** Best of `runs` timings of `body` over the workload, in events per second. */
function measure(runs: number, body: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    body();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return total / best;
}

let sink: ScoreResult | undefined;
const runEvaluate = () => {
  for (const events of contacts) sink = evaluate(model, events, { now });
};
const shuffled = contacts.map((events) => [...events].reverse());
const runEvaluateUnsorted = () => {
  for (const events of shuffled) sink = evaluate(model, events, { now });
};
const runFold = () => {
  for (const events of contacts) {
    const state = createState(model);
    for (const event of events) foldEvent(model, state, event);
  }
};
const runFoldAndRead = () => {
  for (const events of contacts) {
    const state = createState(model);
    for (const event of events) foldEvent(model, state, event);
    sink = resultOf(model, state, { now });
  }
};
const runNaive = () => {
  for (const events of contacts) sink = naiveEvaluate(model, events, { now });
};
const arriving = benchContactsRandomOrder(10_000, 100);
const runEvaluateArriving = () => {
  for (const events of arriving) sink = evaluate(model, events, { now });
};
const runNaiveArriving = () => {
  for (const events of arriving) sink = naiveEvaluate(model, events, { now });
};

// The two implementations must agree before their speeds mean anything.
for (const events of contacts.slice(0, 200)) {
  const a = evaluate(model, events, { now });
  const b = naiveEvaluate(model, events, { now });
  if (Math.abs(a.total - b.total) > 0.011 || a.stage !== b.stage)
    throw new Error('evaluate and the baseline disagree');
}

runEvaluate();
runFold();
runNaive();
const rows: [string, number][] = [
  ['evaluate (events in canonical order)', measure(5, runEvaluate)],
  ['evaluate (events in reverse order)', measure(5, runEvaluateUnsorted)],
  ['foldEvent (incremental)', measure(5, runFold)],
  ['foldEvent + resultOf per contact', measure(5, runFoldAndRead)],
  ['baseline: straightforward evaluate', measure(3, runNaive)],
];
const baseline = rows[rows.length - 1]![1];
// Arbitrary arrival order (random times over 90 days): both sides sort first.
const arrivingRows: [string, number][] = [
  ['evaluate (arbitrary arrival order)', measure(5, runEvaluateArriving)],
  ['baseline on the same input', measure(3, runNaiveArriving)],
];
const arrivingBaseline = arrivingRows[1]![1];
console.log(
  `scoring-core bench: ${contacts.length} contacts × 100 events = ${total} events, ${model.rules.length} rules, decay + fit`,
);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
console.log('');
console.log(`| ${'what'.padEnd(38)} | ${'events/s'.padStart(12)} | ${'× baseline'.padStart(10)} |`);
console.log(`| ${'-'.repeat(38)} | ${'-'.repeat(12)} | ${'-'.repeat(10)} |`);
for (const [name, rate] of rows) {
  console.log(
    `| ${name.padEnd(38)} | ${Math.round(rate).toLocaleString('en-US').padStart(12)} | ${(rate / baseline).toFixed(1).padStart(10)} |`,
  );
}
if (sink === undefined) throw new Error('nothing was scored');
console.log('');
console.log(
  `| ${'arbitrary arrival order'.padEnd(38)} | ${'events/s'.padStart(12)} | ${'× baseline'.padStart(10)} |`,
);
console.log(`| ${'-'.repeat(38)} | ${'-'.repeat(12)} | ${'-'.repeat(10)} |`);
for (const [name, rate] of arrivingRows) {
  console.log(
    `| ${name.padEnd(38)} | ${Math.round(rate).toLocaleString('en-US').padStart(12)} | ${(rate / arrivingBaseline).toFixed(1).padStart(10)} |`,
  );
}
console.log(
  `target: evaluate in arbitrary order ≥ 20× the baseline; measured ${(arrivingRows[0]![1] / arrivingBaseline).toFixed(1)}×`,
);
