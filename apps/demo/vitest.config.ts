import { testConfig } from '@leadlight/devtools/testConfig';

export default testConfig();
