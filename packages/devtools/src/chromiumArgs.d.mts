/** Headless Chromium flags every test and measurement launch uses. */
export declare const CHROMIUM_ARGS: readonly string[];
