#!/usr/bin/env node
// The checks of `npm test` after the build, arranged for CI's 2-core machine (a 30-minute budget):
//   1. the browser suite's `browser` project (Playwright, Chromium) in the foreground: it keeps the two
//      cores about three quarters busy (models loading, pages waiting on the verifier);
//   2. beside it, at a low CPU priority, the checks that need no browser of their own, one after the
//      other: the type check, the unit suite (Vitest, Node), the size budgets and the pack-and-install
//      check (the build comes before this script: some specs import the verifier's built package);
//   3. then the `realtime` project alone: its tests judge a fake camera's clip as it plays, and a busy
//      machine drops the frames they judge (a liveness run beside the unit suite tracked 7.8 of the
//      camera's 20 frames a second, against 16-17 alone).
// Each side check's output is printed whole when it ends, so it never interleaves with Playwright's.
import { spawn } from 'node:child_process';

const started = Date.now();
const seconds = () => Math.round((Date.now() - started) / 1000);

/** Runs `command`; its output goes to ours as it comes, or, when `quiet`, is kept and returned. */
function run(command, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const chunks = [];
    if (quiet) {
      child.stdout.on('data', (chunk) => chunks.push(chunk));
      child.stderr.on('data', (chunk) => chunks.push(chunk));
    }
    child.on('error', (error) => resolve({ code: 1, output: Buffer.from(`${command}: ${error.message}\n`) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks) }));
  });
}

/**
 * The side checks in turn, each under `nice` (coreutils), which lowers it and every process it starts
 * (Vitest's forks, the throwaway PostgreSQL clusters, npm, Vite, the examples' Chromium): when both
 * want the CPU, the browser tests' pages keep it.
 */
async function sideChecks(checks) {
  const codes = {};
  for (const [name, npmScript] of checks) {
    const result = await run('nice', ['-n', '15', 'npm', 'run', '--silent', npmScript], { quiet: true });
    process.stdout.write(`\n── ${name} (npm run ${npmScript}), beside the browser tests, ended at ${seconds()} s ──\n`);
    process.stdout.write(result.output);
    process.stdout.write(`── ${name}: ${result.code === 0 ? 'passed' : `failed (exit ${result.code})`} ──\n\n`);
    codes[name] = result.code;
  }
  return codes;
}

const side = sideChecks([['typecheck', 'typecheck'], ['unit', 'test:unit'], ['size', 'size'], ['pack', 'pack:check']]);
const browser = await run('npx', ['playwright', 'test', '--project=browser']);
const sideCodes = await side;
process.stdout.write(`\n── realtime browser tests, alone, from ${seconds()} s ──\n`);
const realtime = await run('npx', ['playwright', 'test', '--project=realtime']);

const codes = { ...sideCodes, browser: browser.code, realtime: realtime.code };
const summary = Object.entries(codes).map(([name, code]) => `${name} ${code === 0 ? 'passed' : 'FAILED'}`).join(', ');
process.stdout.write(`checks: ${summary} (${seconds()} s)\n`);
process.exit(Object.values(codes).every((code) => code === 0) ? 0 : 1);
