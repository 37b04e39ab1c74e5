// Headless Chromium flags every test and measurement launch uses: no sandbox (containers), no GPU, no
// QUIC, and none of the browser's own background traffic (it would blur request counts and timings).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
