import { CollectorError } from './collectorError.js';

/** What the command line and environment asked for. */
export interface CliOptions {
  help: boolean;
  port: number;
  host: string;
  dbPath: string;
  configPath: string;
  databaseUrl: string | undefined;
  staticDir: string | undefined;
  /** Honour X-Forwarded-For / X-Forwarded-Proto from the one proxy in front. */
  trustProxy: boolean;
}

/** The `--help` text. */
export const USAGE = `Usage: leadlight-collector [options]

Options:
  --port N        port to listen on (env PORT; default 8787; 0 picks a free port)
  --host HOST     address to listen on (default localhost)
  --db FILE       SQLite database file (env LEADLIGHT_DB; default ./data/leadlight.db)
  --config FILE   JSON config file (env LEADLIGHT_CONFIG; default ./leadlight.config.json)
  --static DIR    also serve this folder as a static site (folders serve index.html)
  --trust-proxy   behind a reverse proxy: take the client IP and protocol from the X-Forwarded-For
                  and X-Forwarded-Proto it sets (env LEADLIGHT_TRUST_PROXY=1)
  --help          show this help

Environment:
  DATABASE_URL    postgres://… — use PostgreSQL instead of the SQLite file (no --db needed)
  LEADLIGHT_PG_POOL_SIZE               PostgreSQL connections per process (default 8)
  LEADLIGHT_PG_STATEMENT_TIMEOUT_MS    PostgreSQL statement timeout (default 5000)
`;

const VALUE_FLAGS = new Set(['--port', '--host', '--db', '--config', '--static']);
const SWITCHES = new Set(['--trust-proxy']);

function parsePort(value: string, source: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new CollectorError(
      'bad_cli',
      `${source}: expected an integer from 0 to 65535, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Parses flags (`--port 8787` or `--port=8787`) over the environment; flags win. */
export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): CliOptions {
  const flags = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (SWITCHES.has(name)) {
      if (eq > 0) throw new CollectorError('bad_cli', `${name}: takes no value`);
      if (flags.has(name)) throw new CollectorError('bad_cli', `${name}: given twice`);
      flags.set(name, '');
      continue;
    }
    if (!VALUE_FLAGS.has(name))
      throw new CollectorError('bad_cli', `unknown option ${JSON.stringify(name)} (see --help)`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      throw new CollectorError('bad_cli', `${name}: expected a value`);
    }
    if (flags.has(name)) throw new CollectorError('bad_cli', `${name}: given twice`);
    flags.set(name, value);
  }
  const portFlag = flags.get('--port');
  const port =
    portFlag !== undefined
      ? parsePort(portFlag, '--port')
      : env.PORT !== undefined && env.PORT !== ''
        ? parsePort(env.PORT, 'PORT')
        : 8787;
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new CollectorError('bad_cli', 'DATABASE_URL: expected a postgres:// or postgresql:// URL');
  }
  const trustEnv = env.LEADLIGHT_TRUST_PROXY ?? '';
  if (!flags.has('--trust-proxy') && !['', '0', '1'].includes(trustEnv)) {
    throw new CollectorError(
      'bad_cli',
      `LEADLIGHT_TRUST_PROXY: expected 1 or 0, got ${JSON.stringify(trustEnv)}`,
    );
  }
  return {
    help,
    port,
    host: flags.get('--host') ?? 'localhost',
    dbPath: flags.get('--db') ?? (env.LEADLIGHT_DB || './data/leadlight.db'),
    configPath: flags.get('--config') ?? (env.LEADLIGHT_CONFIG || './leadlight.config.json'),
    databaseUrl,
    staticDir: flags.get('--static'),
    trustProxy: flags.has('--trust-proxy') || trustEnv === '1',
  };
}
