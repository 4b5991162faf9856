import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as flatbuffers from 'flatbuffers';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build step without type declarations
import { derive } from './tflite-metadata.mjs';

// MediaPipe accepting the result (FaceDetector on the derived model) is covered in the browser by
// `npm run eval:face -- --detector blazeface-short-range`; here the flatbuffer structure is read back.
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as {
  assets: Array<{ id: string; sha256: string; source: { path: string; sha256: string }; derive: Array<{ params: Record<string, unknown> }> }>;
};
const entry = manifest.assets.find((a) => a.id === 'blazeface-short-range')!;
const source = readFileSync(path.join(path.dirname(require.resolve('@mediapipe/face_detection/package.json')), entry.source.path));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Position of the object a table's offset field points to, or undefined when absent. */
function fieldTarget(bb: flatbuffers.ByteBuffer, table: number, id: number): number | undefined {
  const rel = bb.__offset(table, 4 + id * 2);
  return rel ? bb.__indirect(table + rel) : undefined;
}
function vector(bb: flatbuffers.ByteBuffer, table: number, id: number): number[] {
  const at = fieldTarget(bb, table, id);
  if (at === undefined) return [];
  return Array.from({ length: bb.readUint32(at) }, (_, i) => bb.__indirect(at + 4 + i * 4));
}
function floats(bb: flatbuffers.ByteBuffer, table: number, id: number): number[] {
  const at = fieldTarget(bb, table, id)!;
  return Array.from({ length: bb.readUint32(at) }, (_, i) => bb.readFloat32(at + 4 + i * 4));
}

describe('tflite-metadata derive step', () => {
  it('is deterministic and gives the manifest hash', async () => {
    expect(sha256(source)).toBe(entry.source.sha256);
    const a: Uint8Array = await derive(source, entry.derive[0]!.params);
    const b: Uint8Array = await derive(source, entry.derive[0]!.params);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(sha256(a)).toBe(entry.sha256);
  });

  it('keeps the model reachable and adds TFLITE_METADATA with RGB and mean/std 127.5', async () => {
    const out: Uint8Array = await derive(source, entry.derive[0]!.params);
    const bb = new flatbuffers.ByteBuffer(out);
    expect(bb.getBufferIdentifier()).toBe('TFL3');
    const model = bb.readUint32(0);
    const original = new flatbuffers.ByteBuffer(new Uint8Array(source));
    const originalModel = original.readUint32(0);
    // Same subgraphs and operator codes (tables of the untouched original), one more buffer.
    expect(vector(bb, model, 2).length).toBe(vector(original, originalModel, 2).length);
    expect(vector(bb, model, 1).length).toBe(vector(original, originalModel, 1).length);
    const buffers = vector(bb, model, 4);
    expect(buffers.length).toBe(vector(original, originalModel, 4).length + 1);

    const [metadata] = vector(bb, model, 6).filter((m) => bb.__string(m + bb.__offset(m, 4)) === 'TFLITE_METADATA');
    expect(metadata).toBeDefined();
    const index = bb.readUint32(metadata! + bb.__offset(metadata!, 6));
    expect(index).toBe(buffers.length - 1);
    const data = fieldTarget(bb, buffers[index]!, 0)!;
    expect((data + 4) % 16).toBe(0);
    const meta = new flatbuffers.ByteBuffer(out.subarray(data + 4, data + 4 + bb.readUint32(data)));
    expect(meta.getBufferIdentifier()).toBe('M001');
    const root = meta.readUint32(0);
    const [subgraph] = vector(meta, root, 3);
    const [input] = vector(meta, subgraph!, 2);
    const content = fieldTarget(meta, input!, 3)!;
    expect(meta.readUint8(content + meta.__offset(content, 4))).toBe(2); // ImageProperties
    const image = fieldTarget(meta, content, 1)!;
    expect(meta.readInt8(image + meta.__offset(image, 4))).toBe(1); // RGB
    const [unit] = vector(meta, input!, 4);
    expect(meta.readUint8(unit! + meta.__offset(unit!, 4))).toBe(1); // NormalizationOptions
    const normalization = fieldTarget(meta, unit!, 1)!;
    expect(floats(meta, normalization, 0)).toEqual([127.5]);
    expect(floats(meta, normalization, 1)).toEqual([127.5]);
  });

  it('refuses a file that is not a TFLite model', async () => {
    await expect(derive(new Uint8Array(64), entry.derive[0]!.params)).rejects.toThrow(/TFL3/);
  });
});
