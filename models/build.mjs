// One asset of a manifest, as the SDK serves it: read from its npm package (version and source
// sha256 checked), derived by the manifest's steps (models/derive/<kind>.mjs), and checked against
// the manifest's sha256. `ekyc-assets` writes these bytes to disk; a Node server (the reference
// verifier) can load a model from them directly when no built asset folder is at hand.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Finds an installed package the way Node does (node_modules folders upwards), without needing
 * it to export package.json: first from this package's own folder, then from the current
 * directory (an integrator's app where @ekyc/models and @ekyc/wasm are both dependencies).
 */
export function findPackageDir(name) {
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

/** The asset's bytes, copied or derived from its source; throws when any sha256 differs. */
export async function buildAssetBytes(asset) {
  let bytes = await readSource(asset.source);
  if (asset.source.sha256 && sha256(bytes) !== asset.source.sha256) {
    throw new Error(`${asset.id}: source ${asset.source.package}/${asset.source.path} has an unexpected sha256`);
  }
  if (asset.derive) bytes = await derive(bytes, asset.derive);
  const actual = sha256(bytes);
  if (actual !== asset.sha256) {
    throw new Error(`${asset.id}: sha256 ${actual} does not match the manifest's ${asset.sha256}`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
