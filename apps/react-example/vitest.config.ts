import { testConfig } from '@leadlight/devtools/testConfig';

export default testConfig({ include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'] });
