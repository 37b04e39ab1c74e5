import { testConfig } from './src/testConfig.mjs';

export default testConfig();
