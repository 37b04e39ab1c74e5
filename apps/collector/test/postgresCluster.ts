import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@leadlight/devtools/freePort';

/** A PostgreSQL server the tests may create databases on. */
export interface PostgresServer {
  /** Maintenance URL (database `postgres`). */
  url: string;
  /** True when this process started the cluster (and must stop it). */
  owned: boolean;
  /** The cluster's data folder (owned clusters only; `postmaster.pid` lives there). */
  dataDir?: string;
  /** Stops the cluster and deletes its files (no-op for an external server). */
  stop(): Promise<void>;
}

/** The PostgreSQL server binaries: `PG_BIN`, else Debian's PostgreSQL 15, else its newest, else `pg_config --bindir`. */
export function postgresBinDir(): string | null {
  const candidates = [process.env.PG_BIN, '/usr/lib/postgresql/15/bin'];
  // Debian and Ubuntu install each major version side by side: the newest one otherwise.
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    // not a Debian layout
  }
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config on PATH
  }
  for (const dir of candidates) if (dir && existsSync(join(dir, 'initdb'))) return dir;
  return null;
}

/** An external server named by `LEADLIGHT_PG_URL` or `DATABASE_URL`, if any. */
export function externalPostgresUrl(): string | null {
  return process.env.LEADLIGHT_PG_URL || process.env.DATABASE_URL || null;
}

/** Why no PostgreSQL can be used here, or null when one can (external URL or local binaries). */
export function postgresUnavailableReason(): string | null {
  if (externalPostgresUrl()) return null;
  if (!postgresBinDir()) return 'no PostgreSQL server binaries (set PG_BIN, or apt-get install postgresql)';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root and there is no `postgres` user to run initdb as';
  return null;
}

function run(binary: string, args: string[], asPostgres: boolean): void {
  // initdb refuses root: run the server tools as the `postgres` user when we are root.
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(
      `${binary.split('/').pop()} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`,
    );
  }
}

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1 (a free port, its socket in the temp folder) —
 * or uses `LEADLIGHT_PG_URL`/`DATABASE_URL` when set. Unless `durable`, fsync and synchronous commit are
 * off: the tests kill collector processes, never the database server.
 */
export async function startPostgresServer(options: { durable?: boolean } = {}): Promise<PostgresServer> {
  const external = externalPostgresUrl();
  if (external) return { url: external, owned: false, stop: async () => undefined };
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresUnavailableReason() ?? 'no PostgreSQL');
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'll-pg-'));
  chmodSync(dir, 0o755);
  if (asPostgres) execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  const pgCtl = join(bin, 'pg_ctl');
  try {
    run(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
      asPostgres,
    );
    const port = await freePort();
    const serverOptions = [
      `-h 127.0.0.1 -p ${port} -k ${dir}`,
      // Benchmarks keep PostgreSQL's durable defaults (fsync, synchronous commit); tests trade them for speed.
      options.durable ? '' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
      '-c max_connections=200 -c shared_buffers=64MB',
    ].join(' ');
    run(
      pgCtl,
      ['-D', data, '-l', join(dir, 'log'), '-o', serverOptions, '-w', '-t', '60', 'start'],
      asPostgres,
    );
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      owned: true,
      dataDir: data,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], asPostgres);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    spawnSync(
      asPostgres ? 'runuser' : pgCtl,
      asPostgres
        ? ['-u', 'postgres', '--', pgCtl, '-D', data, '-m', 'immediate', 'stop']
        : ['-D', data, '-m', 'immediate', 'stop'],
    );
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
