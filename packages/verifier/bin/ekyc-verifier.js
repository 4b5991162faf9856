#!/usr/bin/env node
// `npx ekyc-verifier`: the reference verifier. Runs the TypeScript sources through tsx, with
// workspace packages resolved to their sources (no build step). Configuration: docs/verifier.md.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

register('./source-condition.js', import.meta.url);
registerTsx();
await import('../src/cli.ts');
