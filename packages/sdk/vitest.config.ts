import { testConfig } from '@leadlight/devtools/testConfig';

// jsdom suites say so in their first line (`// @vitest-environment jsdom`); browser suites run in node.
export default testConfig();
