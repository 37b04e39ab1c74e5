import { testConfig } from '@leadlight/devtools/testConfig';

export default testConfig({ include: ['test/**/*.test.ts'] });
