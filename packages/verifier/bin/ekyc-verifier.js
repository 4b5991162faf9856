#!/usr/bin/env node
// `npx ekyc-verifier`: the reference verifier. Configuration: docs/verifier.md.
//
// Installed from npm, it runs the built JavaScript (dist/cli.js): the tarball ships no sources and
// needs no TypeScript loader. In a checkout of the repository (src/ beside this file) it runs the
// TypeScript sources through tsx, with workspace packages resolved to their sources, so
// `npm run verifier` and scripts/start.mjs need no build; EKYC_VERIFIER_DIST=1 runs dist there too.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli.ts', import.meta.url);
if (existsSync(sources) && process.env.EKYC_VERIFIER_DIST !== '1') {
  const { register } = await import('node:module');
  const { register: registerTsx } = await import('tsx/esm/api');
  register('./source-condition.js', import.meta.url);
  registerTsx();
  await import(sources.href);
} else {
  await import('../dist/cli.js');
}
