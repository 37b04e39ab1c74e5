import type Database from 'better-sqlite3';
import { CollectorError } from '../collectorError.js';
import type { SqliteStatements } from './sqliteStatements.js';
import type { StorageTx } from './storage.js';

interface Job {
  fn: (tx: StorageTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs transactions and reads one at a time on SQLite's single connection. With group commit, the
 * transactions that arrive in one turn of the event loop share a COMMIT, each in a SAVEPOINT of its own.
 */
export class SqliteQueue {
  /** Transactions run one at a time on the single connection; this chains them. */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Transactions waiting for the next group commit. */
  private pending: Job[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Database.Database,
    private readonly s: SqliteStatements,
    private readonly tx: StorageTx,
    private readonly groupCommit: boolean,
    /** Called after each COMMIT. */
    private readonly onCommit: () => void,
  ) {}

  private check(): void {
    if (this.closed) throw new CollectorError('storage', 'storage is closed');
  }

  transaction<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (!this.groupCommit) {
      const run = async (): Promise<T> => {
        this.check();
        this.s.begin.run();
        try {
          const result = await fn(this.tx);
          this.s.commit.run();
          this.onCommit();
          return result;
        } catch (error) {
          if (this.db.inTransaction) this.s.rollback.run();
          throw error;
        }
      };
      const next = this.tail.then(run, run);
      this.tail = next.catch(() => undefined);
      return next;
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // Wait one turn of the event loop so every request read in this turn joins the same commit.
      setImmediate(() => {
        const next = this.tail.then(() => this.runGroup());
        this.tail = next.catch(() => undefined);
      });
    });
  }

  /** Runs the queued transactions under one BEGIN … COMMIT, each in a SAVEPOINT of its own. */
  private async runGroup(): Promise<void> {
    const jobs = this.pending;
    this.pending = [];
    this.scheduled = false;
    if (this.closed) {
      for (const job of jobs) job.reject(new CollectorError('storage', 'storage is closed'));
      return;
    }
    const outcomes: { job: Job; ok: boolean; value: unknown }[] = [];
    try {
      this.s.begin.run();
      for (const job of jobs) {
        this.s.savepoint.run();
        try {
          const value = await job.fn(this.tx);
          this.s.release.run();
          outcomes.push({ job, ok: true, value });
        } catch (error) {
          // Only this batch is undone; the others in the group still commit.
          this.s.rollbackTo.run();
          this.s.release.run();
          outcomes.push({ job, ok: false, value: error });
        }
      }
      this.s.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.s.rollback.run();
      for (const job of jobs) job.reject(error);
      return;
    }
    this.onCommit();
    for (const { job, ok, value } of outcomes) {
      if (ok) job.resolve(value);
      else job.reject(value);
    }
  }

  /** Runs `fn` once every transaction queued before it has finished; reads never see half a batch. */
  read<T>(fn: () => T): Promise<T> {
    const run = async (): Promise<T> => {
      this.check();
      return fn();
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Waits for queued work, then refuses more; false when it was closed already. */
  async close(): Promise<boolean> {
    if (this.closed) return false;
    while (this.scheduled || this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.tail;
    this.closed = true;
    return true;
  }
}
