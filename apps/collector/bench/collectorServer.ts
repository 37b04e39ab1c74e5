import { startCollector } from '../src/index.js';
import { openSqliteStorage } from '../src/storage/sqliteStorage.js';
import { benchConfig } from './benchConfig.js';

// The collector under test, in its own process so the load generator does not share its core.
const dbPath = process.argv[2] as string;
const groupCommit = process.argv[3] !== 'one-commit';
const collector = await startCollector({
  config: benchConfig(),
  storage: openSqliteStorage(dbPath, { groupCommit }),
  host: '127.0.0.1',
  port: 0,
  assetDirs: [],
});
process.stdout.write(`listening on ${collector.url}\n`);
process.on('SIGTERM', () => {
  collector.close().then(() => process.exit(0));
});
// The bench asks for this process's CPU time over IPC.
process.on('message', () => process.send?.(process.cpuUsage()));
