#!/usr/bin/env node
// Pack-and-install test (`npm run pack:check`, part of `npm test`): what an integrator gets from npm.
// Needs `npm run build` first. Steps, each failing the run with a clear message:
//  1. `npm publish --dry-run` and `npm pack` of every public package; no test file in any tarball.
//  2. Install the tarballs into a temporary folder outside the workspace (local npm cache, --prefer-offline).
//  3. Node: `import('@ekyc/core')`, `import('@ekyc/flow')` (its whole module graph: workers, manifests
//     as JSON modules) and `@ekyc/verifier/webhooks` load; tsc resolves every package's types.
//  3b. The installed `ekyc-verifier` bin starts on PGlite under a hook that refuses tsx and any .ts
//     module, loads its face models (built from their npm package), answers GET /healthz, and
//     exits 0 on SIGTERM.
//  4. `npx ekyc-assets --out public/ekyc` copies, derives and verifies every asset of both manifests.
//  5. examples/plain-vite: `vite build` emits the app and its four worker chunks.
//  6. examples/node-backend: a signed webhook is accepted, a tampered one refused.
//  5b. examples/react: `vite build` (React 19, no JSX plugin) with the same checks.
//  5c. examples/webpack: webpack 5 emits the four worker entries, no .wasm, no warning about @ekyc code.
//  7. examples/html (no bundler) and the built examples/react: served with an enforced strict CSP,
//     loaded in Chromium, started, up to the consent screen of <ekyc-flow>, with no CSP violation
//     and no page error.
// EKYC_PACK_KEEP=1 keeps the temporary folder for a look; EKYC_PACK_FROM=<that folder> reruns steps 3-7
// on it without packing and installing again (while working on an example).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const repo = resolve(import.meta.dirname, '..');
/** Every package an integrator installs, in dependency order. */
export const PUBLIC_PACKAGES = ['@ekyc/core', '@ekyc/models', '@ekyc/wasm', '@ekyc/workers', '@ekyc/flow', '@ekyc/elements', '@ekyc/verifier'];
const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

const started = Date.now();
const step = (what) => console.log(`pack:check [${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const run = (cmd, args, cwd, extra = {}) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...extra });
const fail = (message) => {
  throw new Error(`pack:check: ${message}`);
};

const reuse = process.env.EKYC_PACK_FROM;
const work = reuse ? resolve(reuse) : mkdtempSync(join(tmpdir(), 'ekyc-pack-'));
if (work.startsWith(repo)) fail(`the temporary folder ${work} is inside the workspace`);
const app = join(work, 'app');
try {
  if (!reuse) await packAndInstall();
  await checkInstalled();
} finally {
  if (process.env.EKYC_PACK_KEEP || reuse) console.log(`pack:check: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

async function packAndInstall() {
  // 1. publish dry-run and pack
  const workspaceArgs = PUBLIC_PACKAGES.flatMap((name) => ['-w', name]);
  for (const dist of ['packages/core/dist/index.js', 'packages/workers/dist/index.js', 'packages/flow/dist/index.js', 'packages/elements/dist/index.js', 'packages/elements/dist/browser/ekyc-elements.js', 'packages/verifier/dist/index.js']) {
    if (!existsSync(join(repo, dist))) fail(`${dist} is missing: run \`npm run build\` first`);
  }
  step('npm publish --dry-run');
  run('npm', ['publish', '--dry-run', '--ignore-scripts', '--tag', 'next', ...workspaceArgs], repo);
  step('npm pack');
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tarballs, ...workspaceArgs], repo));
  const byName = new Map(packed.map((p) => [p.name, p]));
  for (const name of PUBLIC_PACKAGES) {
    const pkg = byName.get(name) ?? fail(`${name} was not packed`);
    const files = pkg.files.map((f) => f.path);
    const tests = files.filter((f) => /\.(test|spec)\.[cm]?[jt]s$|__fixtures__/.test(f));
    if (tests.length) fail(`${name} ships test files: ${tests.slice(0, 5).join(', ')}`);
    const manifest = JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8'));
    for (const target of exportTargets(manifest.exports)) {
      if (target.includes('*')) continue;
      if (!files.includes(target.replace(/^\.\//, ''))) fail(`${name}: exports target ${target} is not in the tarball`);
    }
    console.log(`  ${name}: ${pkg.filename}, ${files.length} files, ${(pkg.size / 1024).toFixed(0)} KB packed, ${(pkg.unpackedSize / 1024).toFixed(0)} KB unpacked`);
  }

  // 2. install outside the workspace
  mkdirSync(app);
  const dependencies = Object.fromEntries(PUBLIC_PACKAGES.map((name) => [name, `file:${join(tarballs, byName.get(name).filename)}`]));
  const viteVersion = JSON.parse(readFileSync(join(repo, 'node_modules/vite/package.json'), 'utf8')).version;
  const react = JSON.parse(readFileSync(join(repo, 'examples/react/package.json'), 'utf8')).dependencies;
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'ekyc-pack-check', private: true, type: 'module',
    dependencies: { ...dependencies, react: react.react, 'react-dom': react['react-dom'] },
    devDependencies: { vite: viteVersion, webpack: JSON.parse(readFileSync(join(repo, 'examples/webpack/package.json'), 'utf8')).devDependencies.webpack },
    // The tarballs' own cross-references (@ekyc/flow -> @ekyc/workers 0.1.0) resolve to the tarballs, not the registry.
    overrides: Object.fromEntries(Object.entries(dependencies)),
  }, null, 2));
  step('npm install (tarballs, --prefer-offline)');
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
}

async function checkInstalled() {
  // 3. Node: module graphs and types
  step('import in Node');
  const imported = run(process.execPath, ['--input-type=module', '-e', `
    const core = await import('@ekyc/core');
    const flow = await import('@ekyc/flow');
    const webhooks = await import('@ekyc/verifier/webhooks');
    const workers = await import('@ekyc/workers');
    if (typeof core.EkycError !== 'function') throw new Error('core: no EkycError');
    if (typeof flow.VerificationFlow !== 'function') throw new Error('flow: no VerificationFlow');
    if (typeof webhooks.verifyWebhookSignature !== 'function') throw new Error('verifier/webhooks: no verifyWebhookSignature');
    if (!(workers.modelManifest.assets.length > 0)) throw new Error('workers: empty model manifest');
    console.log(Object.keys(core).length + ' core, ' + Object.keys(flow).length + ' flow exports');
  `], app).trim();
  console.log(`  ${imported}`);
  step('tsc against the installed types');
  writeFileSync(join(app, 'types-check.ts'), [
    "import { EkycError, type EkycErrorCode } from '@ekyc/core';",
    "import { VerificationFlow, type VerificationFlowOptions, type StepDetail } from '@ekyc/flow';",
    "import { EkycFlow } from '@ekyc/elements';",
    "import { QualityClient } from '@ekyc/workers';",
    "import { verifyWebhookSignature } from '@ekyc/verifier/webhooks';",
    "const code: EkycErrorCode = 'invalid_argument';",
    "const step: StepDetail['step'] = 'consent';",
    "const options: Partial<VerificationFlowOptions> = { assetBaseUrl: '/ekyc/' };",
    "const el: EkycFlow = document.createElement('ekyc-flow');",
    'export const used = [EkycError, VerificationFlow, QualityClient, verifyWebhookSignature, code, step, options, el];',
    '',
  ].join('\n'));
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [], strict: true, noEmit: true, skipLibCheck: true },
    files: ['types-check.ts'],
  }));
  run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);

  // 3b. the verifier's bin, as installed: built JavaScript, no TypeScript loader
  step('ekyc-verifier: start on PGlite without tsx, GET /healthz');
  await checkVerifierBin();

  // 4. assets in one step
  step('npx ekyc-assets --out public/ekyc');
  const assetsLog = run('npx', ['--no-install', 'ekyc-assets', '--out', 'public/ekyc'], app).trim();
  console.log(`  ${assetsLog}`);
  for (const group of ['models', 'wasm']) {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/@ekyc', group, 'manifest.json'), 'utf8'));
    for (const asset of manifest.assets) {
      const file = join(app, 'public/ekyc', group, asset.file);
      if (!existsSync(file) || statSync(file).size !== asset.bytes) fail(`ekyc-assets: ${group}/${asset.file} missing or of the wrong size`);
    }
  }
  run('npx', ['--no-install', 'ekyc-assets', '--check'], app);

  // 5. a Vite app
  step('examples/plain-vite: vite build');
  for (const file of ['index.html', 'main.js', 'vite.config.js']) cpSync(join(repo, 'examples/plain-vite', file), join(app, file));
  run('npx', ['--no-install', 'vite', 'build', '--logLevel', 'error'], app);
  checkViteOutput(join(app, 'dist'));

  step('examples/react: vite build');
  const reactApp = join(app, 'react');
  mkdirSync(reactApp, { recursive: true });
  for (const file of ['index.html', 'main.js', 'vite.config.js']) cpSync(join(repo, 'examples/react', file), join(reactApp, file));
  run('npx', ['--no-install', 'vite', 'build', 'react', '--logLevel', 'error'], app);
  checkViteOutput(join(reactApp, 'dist'));

  // 6. Node integrator backend
  step('examples/webpack: webpack 5 build');
  const webpackApp = join(app, 'webpack');
  mkdirSync(webpackApp, { recursive: true });
  for (const file of ['webpack.config.mjs', 'main.js']) cpSync(join(repo, 'examples/webpack', file), join(webpackApp, file));
  const webpackReport = JSON.parse(run(process.execPath, ['--input-type=module', '-e', `
    import webpack from 'webpack';
    const { default: config } = await import('./webpack/webpack.config.mjs');
    webpack(config, (error, stats) => {
      if (error) throw error;
      const json = stats.toJson({ all: false, errors: true, warnings: true });
      console.log(JSON.stringify({
        assets: stats.compilation.getAssets().map((a) => a.name),
        errors: json.errors.map((e) => e.message.split('\\n')[0]),
        warnings: json.warnings.map((w) => ({ module: w.moduleName ?? '', message: w.message.split('\\n')[0] })),
      }));
    });
  `], app));
  if (webpackReport.errors.length) fail(`webpack: ${webpackReport.errors.join('; ')}`);
  for (const worker of ['quality', 'document', 'face', 'liveness']) {
    if (!webpackReport.assets.some((a) => a.startsWith(`ekyc-${worker}.`))) fail(`webpack emitted no ${worker} worker chunk (${webpackReport.assets.join(', ')})`);
  }
  if (webpackReport.assets.some((a) => a.endsWith('.wasm'))) fail('webpack emitted a .wasm: the onnxruntime-web-use-extern-wasm condition is missing');
  // An expression import webpack could not leave alone would reject at run time; ours carry webpackIgnore.
  const ours = webpackReport.warnings.filter((w) => w.module.includes('@ekyc/'));
  if (ours.length) fail(`webpack warns about @ekyc code: ${ours.map((w) => `${w.module}: ${w.message}`).join('; ')}`);
  console.log(`  ${webpackReport.assets.filter((a) => a.endsWith('.js')).length} JS files, 4 worker entries; warnings outside @ekyc: ${webpackReport.warnings.map((w) => w.module.replace(/^.*node_modules\//, '')).join(', ') || 'none'}`);

  step('examples/node-backend: webhook signature');
  cpSync(join(repo, 'examples/node-backend/webhook.mjs'), join(app, 'webhook.mjs'));
  run(process.execPath, ['--input-type=module', '-e', `
    import { signWebhook, SIGNATURE_HEADER, EVENT_ID_HEADER } from '@ekyc/verifier/webhooks';
    import { receiveWebhook } from './webhook.mjs';
    const body = JSON.stringify({ type: 'session.decided', sessionId: 's1' });
    const header = signWebhook(body, ['whsec_test'], Math.floor(Date.now() / 1000));
    const headers = { [SIGNATURE_HEADER.toLowerCase()]: header, [EVENT_ID_HEADER.toLowerCase()]: 'e1' };
    const ok = receiveWebhook(body, headers, ['whsec_test']);
    if (ok.status !== 200 || ok.event.sessionId !== 's1') throw new Error('signed webhook refused');
    const bad = receiveWebhook(body.replace('s1', 's2'), headers, ['whsec_test']);
    if (bad.status !== 400 || bad.code !== 'webhook_signature_invalid') throw new Error('tampered webhook accepted: ' + JSON.stringify(bad));
    if (!receiveWebhook(body, headers, ['whsec_test']).duplicate) throw new Error('retry not deduped');
  `], app);

  // 7. plain HTML, no bundler, strict CSP, Chromium
  step('examples/html: Chromium under a strict CSP, up to consent');
  const site = join(work, 'site');
  rmSync(site, { recursive: true, force: true });
  cpSync(join(repo, 'examples/html'), site, { recursive: true, filter: (src) => !src.endsWith('package.json') });
  cpSync(join(app, 'node_modules/@ekyc/elements/dist/browser'), join(site, 'ekyc-elements'), { recursive: true });
  cpSync(join(app, 'public/ekyc'), join(site, 'ekyc'), { recursive: true });
  await checkInChromium(site);
  step('examples/react (built): Chromium under the same CSP, up to consent');
  cpSync(join(app, 'public/ekyc'), join(reactApp, 'dist/ekyc'), { recursive: true });
  await checkInChromium(join(reactApp, 'dist'));
  step('done');
}

/**
 * Starts the installed `ekyc-verifier` bin on embedded PGlite with a module hook that refuses to
 * resolve `tsx`, waits for its URL, asks `/healthz`, then stops it with SIGTERM (it drains and
 * exits 0). Fails when the bin needs tsx or TypeScript sources, or does not answer.
 */
async function checkVerifierBin() {
  const installed = join(app, 'node_modules/@ekyc/verifier');
  if (existsSync(join(installed, 'src'))) fail('@ekyc/verifier ships src/: the bin must run dist/');
  const hook = join(work, 'refuse-tsx.mjs');
  writeFileSync(hook, [
    "import { register } from 'node:module';",
    `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(
      "export async function resolve(specifier, context, next) { if (/^tsx(\\/|$)/.test(specifier) || specifier.endsWith('.ts')) throw new Error('ekyc-verifier needs a TypeScript loader: ' + specifier); return next(specifier, context); }",
    )}`)});`,
    '',
  ].join('\n'));
  const stateDir = join(work, 'verifier-state');
  const child = spawn(join(app, 'node_modules/.bin/ekyc-verifier'), [], {
    cwd: app,
    env: { ...env, NODE_OPTIONS: `--import ${pathToFileURL(hook).href}`, PORT: '0', HOST: '127.0.0.1', VERIFIER_STATE_DIR: stateDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((ok) => child.on('exit', (code, signal) => ok({ code, signal })));
  try {
    const url = await new Promise((ok, reject) => {
      const timer = setTimeout(() => reject(new Error('no URL within 180 s')), 180_000);
      const look = () => {
        const match = output.match(/ekyc-verifier listening on (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          ok(match[1]);
        }
      };
      child.stdout.on('data', look);
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code ?? signal}) before listening`));
      });
    }).catch((error) => fail(`ekyc-verifier: ${error.message}\n${output.slice(-2000)}`));
    const health = await fetch(`${url}/healthz`);
    if (health.status !== 200) fail(`ekyc-verifier: GET /healthz answered ${health.status}`);
    if (/needs a TypeScript loader/.test(output)) fail(`ekyc-verifier asked for tsx:\n${output.slice(-2000)}`);
    // No VERIFIER_MODEL_DIR and no built assets here: the face models are built from their npm package.
    if (/face models unavailable/.test(output)) fail(`ekyc-verifier started without its face models:\n${output.slice(-2000)}`);
    child.kill('SIGTERM');
    const { code } = await exited;
    if (code !== 0) fail(`ekyc-verifier: exit ${code} after SIGTERM\n${output.slice(-2000)}`);
    console.log(`  listening on ${url}, /healthz 200, face models loaded, stopped cleanly; no tsx, no TypeScript source loaded`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

async function checkInChromium(site) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(site, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(site) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': STRICT_CSP });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
    });
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.locator('#start').click();
    // Playwright's CSS locators pierce shadow roots: the consent element rendered inside <ekyc-flow>.
    await page.locator('ekyc-flow ekyc-consent button').first().waitFor({ state: 'visible', timeout: 60_000 });
    const heading = (await page.locator('ekyc-flow ekyc-consent h2').first().innerText()).trim();
    const accept = (await page.locator('ekyc-flow ekyc-consent button[part="accept"]').innerText()).trim();
    if (!heading || !accept) fail('the consent screen rendered without its heading or accept button');
    if (problems.length) fail(problems.join('\n'));
    // The policy is enforced, not report-only: an inline script added to the page does not run.
    const inlineRan = await page.evaluate(async () => {
      const violation = new Promise((ok) => document.addEventListener('securitypolicyviolation', () => ok(true), { once: true }));
      const script = document.createElement('script');
      script.textContent = 'window.__ekycInlineRan = true';
      document.head.append(script);
      await Promise.race([violation, new Promise((ok) => setTimeout(ok, 2000))]);
      return Boolean(globalThis.__ekycInlineRan);
    });
    if (inlineRan) fail('the CSP is not enforced: an inline script ran');
    console.log(`  consent rendered ("${heading}", button "${accept}"), CSP enforced (an inline script was refused), no violation from the SDK`);
  } finally {
    await browser.close();
    server.close();
  }
}

/** A Vite build of an example: the four worker chunks, no .wasm of onnxruntime-web, no inlined model. */
function checkViteOutput(dist) {
  // The app's own output (assets/), not the copied public/ekyc folder.
  const emitted = [...walk(join(dist, 'assets'))].map((f) => f.slice(dist.length + 1));
  for (const worker of ['quality', 'document', 'face', 'liveness']) {
    if (!emitted.some((f) => new RegExp(`${worker}\\.worker-[\\w-]+\\.js$`).test(f))) fail(`vite build emitted no ${worker} worker chunk (files: ${emitted.join(', ')})`);
  }
  const builtJs = emitted.filter((f) => f.endsWith('.js'));
  if (builtJs.some((f) => statSync(join(dist, f)).size > 1 << 20)) fail('vite build produced a JS chunk over 1 MB (a model or .wasm inlined?)');
  const wasm = emitted.filter((f) => f.endsWith('.wasm'));
  if (wasm.length) fail(`vite build emitted ${wasm.join(', ')}: the onnxruntime-web-use-extern-wasm condition is missing`);
  console.log(`  ${builtJs.length} JS chunks (${builtJs.join(', ')}), no .wasm emitted`);
}

function exportTargets(exports) {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.entries(exports).flatMap(([key, value]) => (key === 'source' ? [] : exportTargets(value)));
}

function* walk(root) {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
