import type { ViteUserConfig } from 'vitest/config';

/** The shared vitest config of the sdk, the worker and the end-to-end suites, with `test` overriding its settings. */
export function testConfig(test?: ViteUserConfig['test']): ViteUserConfig;
