// Debian's Chromium (`apt-get install chromium`) with the flags every browser run here uses:
// Playwright's own browser download cannot work offline. The flags keep Chromium from calling
// home and turn on WebGPU, which here is a software (SwiftShader) adapter: right for
// correctness, not for speed. Shared by playwright.config.ts, bench/run.mjs and the eval scripts.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--enable-unsafe-webgpu',
];
