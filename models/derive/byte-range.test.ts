import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build step without type declarations
import { derive as cut } from './byte-range.mjs';
// @ts-expect-error: plain .mjs build step without type declarations
import { derive as addMetadata } from './tflite-metadata.mjs';

const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as {
  assets: Array<{ id: string; sha256: string; bytes: number; source: { path: string; sha256: string }; derive: Array<{ kind: string; params: Record<string, unknown> }> }>;
};
const entry = manifest.assets.find((a) => a.id === 'face-mesh-attention')!;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('byte-range derive step (face mesh cut from the packed assets)', () => {
  const source = readFileSync(path.join(path.dirname(require.resolve('@mediapipe/face_mesh/package.json')), entry.source.path));

  it('cuts the attention model, and the chain gives the manifest hash', async () => {
    expect(sha256(source)).toBe(entry.source.sha256);
    const model: Uint8Array = await cut(source, entry.derive[0]!.params);
    expect(Buffer.from(model.subarray(4, 8)).toString('latin1')).toBe('TFL3');
    const derived: Uint8Array = await addMetadata(model, entry.derive[1]!.params);
    expect(sha256(derived)).toBe(entry.sha256);
    expect(derived.length).toBe(entry.bytes);
  });

  it('refuses a range outside the file or with another hash', async () => {
    await expect(cut(source, { start: 0, end: source.length + 1 })).rejects.toThrow(/outside/);
    await expect(cut(source, { start: 10, end: 5 })).rejects.toThrow(/outside/);
    await expect(cut(source, { start: 1, end: 2495953, sha256: entry.derive[0]!.params.sha256 })).rejects.toThrow(/expected/);
  });
});
