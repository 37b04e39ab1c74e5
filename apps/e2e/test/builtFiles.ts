// The sdk's and worker's built files, found through their packages as an installed site's would be.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** packages/sdk/dist: leadlight.js, its chunks and snippet.js. */
export const SDK_DIST = join(packageDir('@leadlight/sdk'), 'dist');
/** packages/worker/dist: the service worker and the queue's chunks. */
export const WORKER_DIST = join(packageDir('@leadlight/worker'), 'dist');
