/**
 * Artifact bytes to RGBA pixels on the server: JPEG (jpeg-js) and PNG (pngjs), both pure JS, or
 * raw RGBA (`application/octet-stream`, width x height x 4 bytes, as an aligned face crop is kept).
 * WebP is not decoded; such an artifact is reported as undecodable and its checks as missing.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { EvidenceArtifact } from '@ekyc/core';

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Decoded images are bounded: a bundle cannot make the verifier allocate more than this per image. */
const MAX_MEGAPIXELS = 24;

export function decodeArtifact(artifact: EvidenceArtifact, bytes: Uint8Array): Pixels | null {
  try {
    if (artifact.mediaType === 'image/jpeg') {
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 256 });
      return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength) };
    }
    if (artifact.mediaType === 'image/png') {
      const decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (decoded.width * decoded.height > MAX_MEGAPIXELS * 1e6) return null;
      return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength) };
    }
    if (artifact.mediaType === 'application/octet-stream' && artifact.width !== null && artifact.height !== null
      && artifact.width * artifact.height * 4 === bytes.byteLength) {
      return { width: artifact.width, height: artifact.height, data: new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    }
  } catch {
    return null;
  }
  return null;
}
