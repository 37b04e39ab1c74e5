import { stat } from 'node:fs/promises';
import { CollectorError } from './collectorError.js';
import { loadConfig } from './loadConfig.js';
import { parseCliArgs, USAGE } from './parseCliArgs.js';
import { startCollector } from './startCollector.js';

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2), process.env);
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.staticDir !== undefined) {
    const info = await stat(options.staticDir).catch(() => null);
    if (!info?.isDirectory())
      throw new CollectorError('bad_cli', `--static: ${options.staticDir} is not a folder`);
  }
  const config = await loadConfig(options.configPath);
  const collector = await startCollector({
    config,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dbPath: options.dbPath }),
    port: options.port,
    host: options.host,
    ...(options.staticDir !== undefined ? { staticDir: options.staticDir } : {}),
    trustProxy: options.trustProxy,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  const storage = options.databaseUrl ? 'PostgreSQL' : `SQLite ${options.dbPath}`;
  process.stdout.write(
    `leadlight-collector listening on http://${options.host}:${collector.port} (${storage}, ${config.sites.length} site(s))\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    collector.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`leadlight-collector: ${message}\n`);
  process.exit(error instanceof CollectorError && error.code === 'bad_cli' ? 2 : 1);
});
