#!/usr/bin/env node
// ekyc-mrz: reads MRZ lines from stdin, prints one JSON object. Contract: docs/mrz.md.
let runMrzCli;
try {
  ({ runMrzCli } = await import('../dist/mrz/cli.js'));
} catch {
  process.stderr.write('ekyc-mrz: @ekyc/core is not built; run `npm run build -w @ekyc/core`\n');
  process.exit(2);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { stdout, stderr, exitCode } = runMrzCli(Buffer.concat(chunks).toString('utf8'), process.argv.slice(2));
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = exitCode;
