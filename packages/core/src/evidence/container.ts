/**
 * Binary container for the plaintext bundle, so image bytes are not base64-inflated before
 * encryption:
 *
 *   "EKB1" | u32 big-endian header length H | H bytes JCS JSON { manifest, signature } | artifact bytes
 *
 * Artifacts follow in manifest order, each exactly `bytes` long. A short container is
 * `evidence_truncated`; trailing bytes or a bad magic are `evidence_schema_invalid`.
 */
import { EkycError } from '../errors.ts';
import { canonicalBytes } from './canonical.ts';
import { bundleHeaderSchema, type EvidenceBundle } from './schema.ts';
import { parseOrThrow } from './validate.ts';

const MAGIC = [0x45, 0x4b, 0x42, 0x31] as const; // "EKB1"
const PREFIX_BYTES = 8;

export function encodeContainer(bundle: EvidenceBundle): Uint8Array<ArrayBuffer> {
  const header = canonicalBytes({ manifest: bundle.manifest, signature: bundle.signature });
  const blobs = bundle.manifest.artifacts.map((entry) => {
    const data = bundle.artifacts.get(entry.id);
    if (data === undefined) throw new EkycError('evidence_schema_invalid', 'A listed artifact has no bytes.', { details: { artifactId: entry.id } });
    return data;
  });
  const total = PREFIX_BYTES + header.byteLength + blobs.reduce((sum, blob) => sum + blob.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.byteLength, false);
  out.set(header, PREFIX_BYTES);
  let offset = PREFIX_BYTES + header.byteLength;
  for (const blob of blobs) {
    out.set(blob, offset);
    offset += blob.byteLength;
  }
  return out;
}

export function decodeContainer(bytes: Uint8Array): EvidenceBundle {
  if (bytes.byteLength < PREFIX_BYTES) throw new EkycError('evidence_truncated', 'Container is shorter than its prefix.', { details: { bytes: bytes.byteLength } });
  if (!MAGIC.every((value, index) => bytes[index] === value)) throw new EkycError('evidence_schema_invalid', 'Container magic is not EKB1.');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, false);
  const headerEnd = PREFIX_BYTES + headerLength;
  if (headerEnd > bytes.byteLength) {
    throw new EkycError('evidence_truncated', 'Container ends inside its header.', { details: { expected: headerEnd, actual: bytes.byteLength } });
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, headerEnd)));
  } catch (cause) {
    throw new EkycError('evidence_schema_invalid', 'Container header is not UTF-8 JSON.', { cause });
  }
  const header = parseOrThrow(bundleHeaderSchema, json, 'Bundle header');
  const artifacts = new Map<string, Uint8Array>();
  let offset = headerEnd;
  for (const entry of header.manifest.artifacts) {
    const end = offset + entry.bytes;
    if (end > bytes.byteLength) {
      throw new EkycError('evidence_truncated', 'Container ends inside an artifact.', { details: { artifactId: entry.id, expected: end, actual: bytes.byteLength } });
    }
    if (artifacts.has(entry.id)) throw new EkycError('evidence_schema_invalid', 'Artifact id appears twice in the manifest.', { details: { artifactId: entry.id } });
    artifacts.set(entry.id, bytes.slice(offset, end));
    offset = end;
  }
  if (offset !== bytes.byteLength) {
    throw new EkycError('evidence_schema_invalid', 'Container has bytes after the last artifact.', { details: { expected: offset, actual: bytes.byteLength } });
  }
  return { manifest: header.manifest, signature: header.signature, artifacts };
}
