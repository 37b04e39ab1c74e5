import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Runs in a worker thread with its own connection: WAL checkpoints copy pages into the main file and
// fsync it, which would otherwise stall the request thread every thousand pages.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
let stopped = false;
parentPort.on('message', (message) => {
  if (message === 'stop') stopped = true;
});
function tick() {
  if (stopped) {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    db.close();
    parentPort.postMessage('stopped');
    return;
  }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  setTimeout(tick, workerData.intervalMs);
}
tick();
`;

/** A background WAL checkpointer for one SQLite file. */
export interface SqliteCheckpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing `path` every `intervalMs` from a worker thread. */
export function startSqliteCheckpointer(path: string, intervalMs = 200): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs } });
  worker.unref();
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
        worker.once('error', () => resolve());
        worker.postMessage('stop');
      }).then(() => worker.terminate().then(() => undefined));
      return stopping;
    },
  };
}
