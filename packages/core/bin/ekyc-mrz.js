#!/usr/bin/env node
// ekyc-mrz: reads MRZ lines from stdin (capped, see --help), prints one JSON object. Contract: docs/mrz.md.
let cli;
try {
  cli = await import('../dist/mrz/cli.js');
} catch {
  process.stderr.write('ekyc-mrz: @ekyc/core is not built; run `npm run build -w @ekyc/core`\n');
  process.exit(2);
}

const args = process.argv.slice(2);
// Past the cap, readCappedInput stops pulling and closes stdin: the rest is never read.
const { stdout, stderr, exitCode } = cli.answerWithoutInput(args) ?? cli.runMrzCli(await cli.readCappedInput(process.stdin), args);
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = exitCode;
