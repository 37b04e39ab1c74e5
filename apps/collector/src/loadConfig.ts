import { readFile } from 'node:fs/promises';
import { CollectorError } from './collectorError.js';
import { checkConfig } from './startCollector.js';
import type { CollectorConfig } from './validateConfig.js';

/** Reads and validates a JSON config file; errors name the file and the path of each problem. */
export async function loadConfig(path: string): Promise<CollectorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CollectorError(
      'bad_config',
      `cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CollectorError('bad_config', `config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return checkConfig(json);
  } catch (error) {
    throw new CollectorError('bad_config', `${path}: ${(error as Error).message}`);
  }
}
