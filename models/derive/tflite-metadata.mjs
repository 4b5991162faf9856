// Attaches a TFLite Support metadata flatbuffer (the "TFLITE_METADATA" buffer MediaPipe Tasks reads)
// to a .tflite model that ships without one. MediaPipe's FaceDetector refuses a float32 input
// without NormalizationOptions; the legacy @mediapipe/face_detection models have none.
//
// params: { name?, description?, version?, input: { name?, colorSpace: 'RGB' | 'GRAYSCALE',
//           mean: number[], std: number[], width?, height? } }
//
// Deterministic: the same source bytes and params give the same output bytes.
//
// The model is not re-serialised (that would need the whole TFLite schema). Instead a new root
// `Model` table is written in front of the untouched original: its fields point forward into the
// original's sub-objects (flatbuffer offsets are unsigned, forward-pointing, and relative), except
// `buffers` and `metadata`, which get copies extended by one entry for the metadata bytes. The
// original's own header becomes unreferenced padding, which the flatbuffers verifier allows.
import * as flatbuffers from 'flatbuffers';

const FILE_ID = 'TFL3';
const METADATA_NAME = 'TFLITE_METADATA';

// tflite schema.fbs, table Model: field ids.
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 };
// metadata_schema.fbs enums / union tags.
const COLOR_SPACE = { UNKNOWN: 0, RGB: 1, GRAYSCALE: 2 };
const CONTENT_IMAGE_PROPERTIES = 2;
const PROCESS_UNIT_NORMALIZATION = 1;

/** Builds the ModelMetadata flatbuffer (metadata_schema.fbs) with plain Builder calls. */
export function buildModelMetadata(params) {
  const input = params.input ?? {};
  if (!(input.colorSpace in COLOR_SPACE)) throw new Error(`tflite-metadata: unknown colorSpace ${input.colorSpace}`);
  if (!Array.isArray(input.mean) || !Array.isArray(input.std) || input.mean.length === 0 || input.mean.length !== input.std.length) {
    throw new Error('tflite-metadata: input.mean and input.std must be non-empty arrays of the same length');
  }
  const b = new flatbuffers.Builder(1024);
  const floats = (values) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
    return b.endVector();
  };
  const offsets = (values) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addOffset(values[i]);
    return b.endVector();
  };

  // NormalizationOptions { mean:[float] (0), std:[float] (1) }
  const mean = floats(input.mean);
  const std = floats(input.std);
  b.startObject(2);
  b.addFieldOffset(0, mean, 0);
  b.addFieldOffset(1, std, 0);
  const normalization = b.endObject();
  // ProcessUnit { options_type:ubyte (0), options (1) }
  b.startObject(2);
  b.addFieldInt8(0, PROCESS_UNIT_NORMALIZATION, 0);
  b.addFieldOffset(1, normalization, 0);
  const processUnit = b.endObject();

  // ImageSize { width:uint (0), height:uint (1) }
  let imageSize = 0;
  if (input.width !== undefined && input.height !== undefined) {
    b.startObject(2);
    b.addFieldInt32(0, input.width, 0);
    b.addFieldInt32(1, input.height, 0);
    imageSize = b.endObject();
  }
  // ImageProperties { color_space:byte (0), default_size:ImageSize (1) }
  b.startObject(2);
  b.addFieldInt8(0, COLOR_SPACE[input.colorSpace], 0);
  if (imageSize) b.addFieldOffset(1, imageSize, 0);
  const imageProperties = b.endObject();
  // Content { content_properties_type:ubyte (0), content_properties (1), range (2) }
  b.startObject(3);
  b.addFieldInt8(0, CONTENT_IMAGE_PROPERTIES, 0);
  b.addFieldOffset(1, imageProperties, 0);
  const content = b.endObject();

  // Stats { max:[float] (0), min:[float] (1) }: the normalized value range, as the metadata writer records it.
  const max = floats(input.mean.map((m, i) => (255 - m) / input.std[i]));
  const min = floats(input.mean.map((m, i) => (0 - m) / input.std[i]));
  b.startObject(2);
  b.addFieldOffset(0, max, 0);
  b.addFieldOffset(1, min, 0);
  const stats = b.endObject();

  // TensorMetadata { name (0), description (1), dimension_names (2), content (3), process_units (4), stats (5) }
  const tensorName = b.createString(input.name ?? 'image');
  const tensorDescription = b.createString('Input image to be processed.');
  const units = offsets([processUnit]);
  b.startObject(6);
  b.addFieldOffset(0, tensorName, 0);
  b.addFieldOffset(1, tensorDescription, 0);
  b.addFieldOffset(3, content, 0);
  b.addFieldOffset(4, units, 0);
  b.addFieldOffset(5, stats, 0);
  const inputTensor = b.endObject();

  // SubGraphMetadata { name (0), description (1), input_tensor_metadata (2), ... }
  const inputs = offsets([inputTensor]);
  b.startObject(4);
  b.addFieldOffset(2, inputs, 0);
  const subgraph = b.endObject();

  // ModelMetadata { name (0), description (1), version (2), subgraph_metadata (3), author (4), license (5), associated_files (6), min_parser_version (7) }
  const name = b.createString(params.name ?? 'model');
  const description = params.description !== undefined ? b.createString(params.description) : 0;
  const version = params.version !== undefined ? b.createString(params.version) : 0;
  const subgraphs = offsets([subgraph]);
  const minParser = b.createString('1.0.0');
  b.startObject(8);
  b.addFieldOffset(0, name, 0);
  if (description) b.addFieldOffset(1, description, 0);
  if (version) b.addFieldOffset(2, version, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(7, minParser, 0);
  b.finish(b.endObject(), 'M001');
  return b.asUint8Array();
}

/** Reads the root Model table's fields as absolute positions (offset fields) or values (scalars). */
function readModel(bytes) {
  const bb = new flatbuffers.ByteBuffer(bytes);
  if (bb.getBufferIdentifier() !== FILE_ID) throw new Error('tflite-metadata: not a TFLite model (no TFL3 identifier)');
  const table = bb.readUint32(0);
  const vtable = table - bb.readInt32(table);
  const vtableSize = bb.readUint16(vtable);
  const field = (id) => {
    const at = 4 + id * 2;
    const rel = at < vtableSize ? bb.readUint16(vtable + at) : 0;
    return rel === 0 ? undefined : table + rel;
  };
  const target = (id) => {
    const at = field(id);
    return at === undefined ? undefined : at + bb.readUint32(at);
  };
  /** Absolute positions of the tables an offset vector points to. */
  const vectorTargets = (id) => {
    const vec = target(id);
    if (vec === undefined) return [];
    const length = bb.readUint32(vec);
    return Array.from({ length }, (_, i) => vec + 4 + i * 4 + bb.readUint32(vec + 4 + i * 4));
  };
  const versionAt = field(MODEL.version);
  const metadata = vectorTargets(MODEL.metadata).map((entry) => {
    const vt = entry - bb.readInt32(entry);
    const nameRel = bb.readUint16(vt) > 4 ? bb.readUint16(vt + 4) : 0;
    return nameRel ? bb.__string(entry + nameRel) : undefined;
  });
  for (const buffer of vectorTargets(MODEL.buffers)) {
    // Buffer { data (0), offset:ulong (1), size (2) }: an offset counts from the file start, which moves.
    const vt = buffer - bb.readInt32(buffer);
    const offsetRel = bb.readUint16(vt) > 6 ? bb.readUint16(vt + 6) : 0;
    if (offsetRel && (bb.readUint32(buffer + offsetRel) !== 0 || bb.readUint32(buffer + offsetRel + 4) !== 0)) {
      throw new Error('tflite-metadata: models with buffers stored outside the flatbuffer are not supported');
    }
  }
  if (metadata.includes(METADATA_NAME)) throw new Error('tflite-metadata: the model already has TFLITE_METADATA');
  return {
    version: versionAt === undefined ? 0 : bb.readUint32(versionAt),
    operatorCodes: target(MODEL.operatorCodes),
    subgraphs: target(MODEL.subgraphs),
    description: target(MODEL.description),
    metadataBuffer: target(MODEL.metadataBuffer),
    signatureDefs: target(MODEL.signatureDefs),
    buffers: vectorTargets(MODEL.buffers),
    metadata: vectorTargets(MODEL.metadata),
  };
}

/**
 * A little forward-only writer for the prefix: everything it writes refers either to something
 * later in the prefix or to the original model, which follows the prefix.
 */
class Prefix {
  constructor() {
    this.bytes = [];
    this.fixups = [];
  }
  get length() {
    return this.bytes.length;
  }
  align(n) {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
  }
  u8(v) {
    this.bytes.push(v & 0xff);
  }
  u16(v) {
    this.u8(v);
    this.u8(v >>> 8);
  }
  u32(v) {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  set32(at, v) {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = (v >>> (8 * i)) & 0xff;
  }
  /** A uoffset at the current position to an absolute position fixed later (`resolve(label)`). */
  ref(label) {
    this.fixups.push({ at: this.length, label });
    this.u32(0);
  }
}

export async function derive(bytes, params) {
  const source = new Uint8Array(bytes);
  const model = readModel(source);
  const metadataBytes = buildModelMetadata(params);

  const p = new Prefix();
  const labels = new Map();
  // Header: root offset + file identifier.
  p.ref('model');
  for (const c of FILE_ID) p.u8(c.charCodeAt(0));

  // Model vtable: 8 fields.
  const fields = ['version', 'operatorCodes', 'subgraphs', 'description', 'buffers', 'metadataBuffer', 'metadata', 'signatureDefs'];
  const present = fields.filter((f) => f === 'version' || f === 'buffers' || f === 'metadata' || model[f] !== undefined);
  const vtableAt = p.length;
  p.u16(4 + fields.length * 2);
  p.u16(4 + present.length * 4);
  fields.forEach((f) => p.u16(present.includes(f) ? 4 + present.indexOf(f) * 4 : 0));
  p.align(4);
  const tableAt = p.length;
  labels.set('model', tableAt);
  p.u32((tableAt - vtableAt) | 0); // soffset: table - vtable
  for (const f of present) {
    if (f === 'version') p.u32(model.version);
    else if (f === 'buffers' || f === 'metadata') p.ref(f);
    else p.ref({ original: model[f] });
  }
  // buffers: the original entries plus one for the metadata.
  p.align(4);
  labels.set('buffers', p.length);
  p.u32(model.buffers.length + 1);
  for (const at of model.buffers) p.ref({ original: at });
  p.ref('metadataBufferTable');
  // metadata: the original entries plus TFLITE_METADATA -> the new buffer's index.
  labels.set('metadata', p.length);
  p.u32(model.metadata.length + 1);
  for (const at of model.metadata) p.ref({ original: at });
  p.ref('metadataEntry');
  // Buffer { data:[ubyte] (0) } for the metadata bytes.
  const bufferVtable = p.length;
  p.u16(6);
  p.u16(8);
  p.u16(4);
  p.align(4);
  labels.set('metadataBufferTable', p.length);
  p.u32((p.length - bufferVtable) | 0);
  p.ref('metadataData');
  // Metadata { name:string (0), buffer:uint (1) }
  const entryVtable = p.length;
  p.u16(8);
  p.u16(12);
  p.u16(4);
  p.u16(8);
  labels.set('metadataEntry', p.length);
  p.u32((p.length - entryVtable) | 0);
  p.ref('metadataName');
  p.u32(model.buffers.length);
  labels.set('metadataName', p.length);
  p.u32(METADATA_NAME.length);
  for (const c of METADATA_NAME) p.u8(c.charCodeAt(0));
  p.u8(0);
  // The metadata bytes: 16-aligned data after a 4-byte length, as TFLite's force_align asks.
  while ((p.length + 4) % 16 !== 0) p.u8(0);
  labels.set('metadataData', p.length);
  p.u32(metadataBytes.length);
  for (const byte of metadataBytes) p.u8(byte);
  // Keep the original's 16-byte alignment (its buffers are force_align 16).
  p.align(16);

  const shift = p.length;
  for (const { at, label } of p.fixups) {
    const targetAt = typeof label === 'string' ? labels.get(label) : shift + label.original;
    if (targetAt === undefined || targetAt <= at) throw new Error(`tflite-metadata: bad forward reference ${JSON.stringify(label)}`);
    p.set32(at, targetAt - at);
  }
  const out = new Uint8Array(shift + source.length);
  out.set(p.bytes, 0);
  out.set(source, shift);
  return out;
}
