#!/usr/bin/env node
// Runs every benchmark and writes bench/results.json and bench/results.md.
//   npm run bench                 # all suites
//   npm run bench -- mrz face     # only these suites
// Node suites: bench/node/<name>.bench.ts, loaded through Vite so workspace sources resolve.
// Browser suites: bench/browser/<name>.bench.ts, run in headless Debian Chromium on WASM.
// Driven suites: bench/driven/<name>.bench.ts, Node code that drives Chromium itself (readiness, document-camera, viz).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);
const suitesIn = (dir) => readdirSync(path.join(here, dir)).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', '')).filter(wanted);
const log = (...m) => console.error('[bench]', ...m);

process.env.EKYC_NO_HMR = '1';
const server = await createServer({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn', server: { port: 5190, strictPort: false } });
const results = [];
const failures = [];
try {
  for (const name of suitesIn('node')) {
    log(`node: ${name}`);
    try {
      const module = await server.ssrLoadModule(`/bench/node/${name}.bench.ts`);
      results.push(...(await module.default()));
    } catch (error) {
      failures.push({ suite: name, error: String(error?.stack ?? error) });
    }
  }

  const browserSuites = suitesIn('browser');
  if (browserSuites.length > 0) {
    await server.listen();
    const base = server.resolvedUrls.local[0];
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      for (const name of browserSuites) {
        log(`browser: ${name}`);
        // A fresh page per suite: no suite pays for another's warm caches or leftover workers.
        const page = await browser.newPage();
        try {
          await page.goto(new URL('bench/pages/run.html', base).href);
          await page.locator('body[data-ready=true]').waitFor({ state: 'attached' });
          results.push(...(await page.evaluate((suite) => window.bench.run(suite), name)));
        } catch (error) {
          failures.push({ suite: name, error: String(error?.message ?? error) });
        } finally {
          await page.close();
        }
      }
    } finally {
      await browser.close();
    }
  }

  // Driven suites: bench/driven/<name>.bench.ts, run in Node; each launches its own Chromium (fresh
  // profiles, fake camera) against this server or a static server of its own.
  const drivenSuites = suitesIn('driven');
  if (drivenSuites.length > 0) {
    if (!server.resolvedUrls) await server.listen();
    const baseUrl = server.resolvedUrls.local[0];
    for (const name of drivenSuites) {
      log(`driven: ${name}`);
      try {
        const module = await server.ssrLoadModule(`/bench/driven/${name}.bench.ts`);
        results.push(...(await module.default({ baseUrl, root, log })));
      } catch (error) {
        failures.push({ suite: name, error: String(error?.stack ?? error) });
      }
    }
  }
} finally {
  await server.close();
}

// A partial run (named suites) keeps the other suites' earlier results, in their place.
if (only.length > 0 && existsSync(path.join(here, 'results.json'))) {
  const previous = JSON.parse(readFileSync(path.join(here, 'results.json'), 'utf8')).results ?? [];
  const fresh = new Map();
  for (const r of results) fresh.set(r.suite, [...(fresh.get(r.suite) ?? []), r]);
  const merged = [];
  for (const r of previous) {
    if (!fresh.has(r.suite)) merged.push(r);
    else if (fresh.get(r.suite).length) merged.push(...fresh.get(r.suite).splice(0));
  }
  for (const rest of fresh.values()) merged.push(...rest);
  results.splice(0, results.length, ...merged);
}

const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.arch()}` };
const report = { date: new Date().toISOString(), machine, results, failures };
writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);

const format = (r) => (r.unit === 'ops/s' ? Math.round(r.value).toLocaleString('en-US') : r.value.toFixed(r.value < 10 ? 2 : 1));
const rows = results.map((r) => `| ${r.suite} | ${r.name} | ${format(r)} ${r.unit} | ${r.runs} | ${r.target ?? ''} | ${r.notes ?? ''} |`);
const markdown = [
  '# Benchmark results',
  '',
  `${report.date} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, headless Chromium, WASM backend. Values are medians.`,
  '',
  '| suite | measure | median | runs | target | notes |',
  '|---|---|---|---|---|---|',
  ...rows,
  ...(failures.length ? ['', '## Failed suites', '', ...failures.map((f) => `- ${f.suite}: ${f.error.split('\n')[0]}`)] : []),
  '',
].join('\n');
writeFileSync(path.join(here, 'results.md'), markdown);
console.log(markdown);
if (failures.length) process.exitCode = 1;
