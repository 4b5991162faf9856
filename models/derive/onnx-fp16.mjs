// Stores the large float32 weights of an ONNX model as float16, each followed by a Cast back to
// float32, so the file is about half the size while the model still computes in float32.
//
// params: { minElements?: number (default 1024), sha256?: string }
//
// Every float32 initializer and every float32 Constant node value with at least `minElements`
// elements becomes a float16 tensor (round to nearest even) named `<name>_fp16`, and a Cast node
// (to FLOAT) writes the original name, so the nodes that read it are untouched. onnxruntime folds
// `Cast(constant)` into a float32 initializer when it creates the session (constant folding, part
// of graphOptimizationLevel 'basic' and above), so inference runs on the same float32 kernels as
// before, on weights rounded to float16 (relative error at most 2^-11). A tensor with a value
// float16 cannot hold (beyond ±65504, NaN, infinity) is left as it is.
//
// The edit is made on the protobuf wire format: the graph's other fields, the nodes' order and
// every field this step does not touch are copied byte for byte, so no ONNX schema version has to
// be known here, and nothing a decoder does not know is dropped. Deterministic: the same source
// bytes and params give the same output bytes. `sha256`, when given, is checked on the result.
import { createHash } from 'node:crypto';

// onnx.proto field numbers.
const MODEL = { graph: 7 };
const GRAPH = { node: 1, initializer: 5, input: 11 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const ATTRIBUTE = { name: 1, i: 3, t: 5, type: 20 };
const ATTRIBUTE_TYPE_INT = 2;
const TENSOR = { dims: 1, dataType: 2, floatData: 4, name: 8, rawData: 9, externalData: 13, dataLocation: 14 };
const VALUE_INFO = { name: 1 };
const FLOAT = 1;
const FLOAT16 = 10;
const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 };

export async function derive(bytes, params = {}) {
  const minElements = params.minElements ?? 1024;
  if (!Number.isInteger(minElements) || minElements < 1) throw new Error(`onnx-fp16: minElements must be a positive integer, got ${minElements}`);
  const out = convertModel(bytes, minElements).bytes;
  if (params.sha256) {
    const actual = createHash('sha256').update(out).digest('hex');
    if (actual !== params.sha256) throw new Error(`onnx-fp16: the result has sha256 ${actual}, expected ${params.sha256}`);
  }
  return out;
}

/** The rewritten model and how many tensors were stored as float16 (for tests and reports). */
export function convertModel(bytes, minElements = 1024) {
  const source = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const top = readFields(source, 0, source.length);
  const graphs = top.filter((f) => f.no === MODEL.graph);
  if (graphs.length !== 1) throw new Error(`onnx-fp16: expected one graph in the model, found ${graphs.length}`);
  const graph = convertGraph(source, graphs[0], minElements);
  const out = new Writer();
  for (const field of top) {
    if (field === graphs[0]) out.bytesField(MODEL.graph, graph.bytes);
    else out.raw(source.subarray(field.start, field.end));
  }
  return { bytes: out.finish(), converted: graph.converted, bytesBefore: graph.bytesBefore, bytesAfter: graph.bytesAfter };
}

function convertGraph(source, graphField, minElements) {
  const fields = readFields(source, graphField.valueStart, graphField.valueEnd);
  const taken = namesIn(source, fields);
  const freshName = (base) => {
    let name = `${base}_fp16`;
    for (let i = 1; taken.has(name); i++) name = `${base}_fp16_${i}`;
    taken.add(name);
    return name;
  };
  const converted = [];
  let bytesBefore = 0;
  let bytesAfter = 0;
  const casts = [];
  /** Graph field -> the fields written in its place. */
  const replaced = new Map();

  for (const field of fields) {
    if (field.no === GRAPH.initializer) {
      const tensor = readTensor(source, field);
      const half = tensor && toFloat16Tensor(tensor, minElements);
      if (!half) continue;
      const name = freshName(tensor.name);
      replaced.set(field, [[GRAPH.initializer, tensorBytes(source, tensor, name, half)]]);
      casts.push(castNode(name, tensor.name));
      converted.push(tensor.name);
      bytesBefore += tensor.count * 4;
      bytesAfter += half.length;
    } else if (field.no === GRAPH.node) {
      const node = readFields(source, field.valueStart, field.valueEnd);
      const opType = node.find((f) => f.no === NODE.opType);
      const outputs = node.filter((f) => f.no === NODE.output);
      const domain = node.find((f) => f.no === 7);
      if (!opType || text(source, opType) !== 'Constant' || outputs.length !== 1 || (domain && text(source, domain) !== '')) continue;
      const attributes = node.filter((f) => f.no === NODE.attribute);
      if (attributes.length !== 1) continue;
      const attribute = readFields(source, attributes[0].valueStart, attributes[0].valueEnd);
      const nameField = attribute.find((f) => f.no === ATTRIBUTE.name);
      const valueField = attribute.find((f) => f.no === ATTRIBUTE.t);
      if (!nameField || text(source, nameField) !== 'value' || !valueField) continue;
      const tensor = readTensor(source, valueField);
      const half = tensor && toFloat16Tensor(tensor, minElements);
      if (!half) continue;
      const output = text(source, outputs[0]);
      const name = freshName(output);
      const attributeOut = new Writer();
      for (const f of attribute) {
        if (f === valueField) attributeOut.bytesField(ATTRIBUTE.t, tensorBytes(source, tensor, tensor.name, half));
        else attributeOut.raw(source.subarray(f.start, f.end));
      }
      const nodeOut = new Writer();
      for (const f of node) {
        if (f === outputs[0]) nodeOut.stringField(NODE.output, name);
        else if (f === attributes[0]) nodeOut.bytesField(NODE.attribute, attributeOut.finish());
        else nodeOut.raw(source.subarray(f.start, f.end));
      }
      // The Cast right after its Constant keeps the nodes topologically sorted.
      replaced.set(field, [[GRAPH.node, nodeOut.finish()], [GRAPH.node, castNode(name, output)]]);
      converted.push(output);
      bytesBefore += tensor.count * 4;
      bytesAfter += half.length;
    }
  }

  const convertedNames = new Set(converted);
  const out = new Writer();
  // Casts of initializers come first: nodes must be sorted, and they read only initializers.
  for (const cast of casts) out.bytesField(GRAPH.node, cast);
  for (const field of fields) {
    if (replaced.has(field)) {
      for (const [no, bytes] of replaced.get(field)) out.bytesField(no, bytes);
    } else if (field.no === GRAPH.input && convertedNames.has(valueInfoName(source, field))) {
      // Models before IR 4 also list initializers as graph inputs; the name is now a Cast's output.
      continue;
    } else {
      out.raw(source.subarray(field.start, field.end));
    }
  }
  return { bytes: out.finish(), converted, bytesBefore, bytesAfter };
}

/** Every value name the graph already uses (node outputs, initializers, inputs), to keep new names unique. */
function namesIn(source, fields) {
  const names = new Set();
  for (const field of fields) {
    if (field.no === GRAPH.node) {
      for (const f of readFields(source, field.valueStart, field.valueEnd)) if (f.no === NODE.output || f.no === NODE.input || f.no === NODE.name) names.add(text(source, f));
    } else if (field.no === GRAPH.initializer) {
      const name = readFields(source, field.valueStart, field.valueEnd).find((f) => f.no === TENSOR.name);
      if (name) names.add(text(source, name));
    } else if (field.no === GRAPH.input || field.no === 12 || field.no === 13) {
      names.add(valueInfoName(source, field));
    }
  }
  return names;
}

function valueInfoName(source, field) {
  const name = readFields(source, field.valueStart, field.valueEnd).find((f) => f.no === VALUE_INFO.name);
  return name ? text(source, name) : '';
}

/** A TensorProto's fields, its name, data type and element count; null for data held elsewhere. */
function readTensor(source, field) {
  const fields = readFields(source, field.valueStart, field.valueEnd);
  let dataType = 0;
  let name = '';
  let count = 1;
  for (const f of fields) {
    if (f.no === TENSOR.dataType) dataType = Number(f.value);
    else if (f.no === TENSOR.name) name = text(source, f);
    else if (f.no === TENSOR.dims) for (const d of varints(source, f)) count *= Number(d);
    else if (f.no === TENSOR.externalData || (f.no === TENSOR.dataLocation && f.value !== 0n)) return null;
  }
  return { fields, dataType, name, count };
}

/** The tensor's values as float16 bytes, or null when it stays as it is. */
function toFloat16Tensor(tensor, minElements) {
  if (tensor.dataType !== FLOAT || tensor.count < minElements) return null;
  const values = floatValues(tensor);
  if (values === null || values.length !== tensor.count) return null;
  const half = new Uint8Array(values.length * 2);
  const view = new DataView(half.buffer);
  for (let i = 0; i < values.length; i++) {
    const h = float32ToFloat16Bits(values[i]);
    if (h === null) return null;
    view.setUint16(i * 2, h, true);
  }
  return half;
}

function floatValues(tensor) {
  const raw = tensor.fields.filter((f) => f.no === TENSOR.rawData);
  const packed = tensor.fields.filter((f) => f.no === TENSOR.floatData);
  if (raw.length === 1 && packed.length === 0) {
    const { source, valueStart, valueEnd } = raw[0];
    return littleEndianFloats(source.subarray(valueStart, valueEnd));
  }
  if (raw.length === 0 && packed.length > 0) {
    const values = [];
    for (const f of packed) {
      if (f.wire === WIRE.fixed32) values.push(new DataView(f.source.buffer, f.source.byteOffset + f.valueStart, 4).getFloat32(0, true));
      else values.push(...littleEndianFloats(f.source.subarray(f.valueStart, f.valueEnd)));
    }
    return Float32Array.from(values);
  }
  return null;
}

/** Float32 values stored little-endian (protobuf fixed32 and ONNX raw_data both are). */
function littleEndianFloats(bytes) {
  if (bytes.length % 4 !== 0) throw new Error('onnx-fp16: float data of a length that is not a multiple of 4');
  const copy = new Uint8Array(bytes); // a copy, aligned (a Buffer's slice() is a view)
  if (!LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += 4) copy.subarray(i, i + 4).reverse();
  return new Float32Array(copy.buffer, copy.byteOffset, copy.length / 4);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The TensorProto again, as FLOAT16 with `raw_data`, the other fields (dims, doc) as they were. */
function tensorBytes(source, tensor, name, half) {
  const out = new Writer();
  let named = false;
  for (const f of tensor.fields) {
    if (f.no === TENSOR.dataType) out.varintField(TENSOR.dataType, FLOAT16);
    else if (f.no === TENSOR.name) {
      out.stringField(TENSOR.name, name);
      named = true;
    } else if (f.no === TENSOR.rawData || f.no === TENSOR.floatData) continue;
    else out.raw(source.subarray(f.start, f.end));
  }
  if (!named && name !== '') out.stringField(TENSOR.name, name);
  out.bytesField(TENSOR.rawData, half);
  return out.finish();
}

/** NodeProto `Cast(to = FLOAT)` from `input` to `output`. */
function castNode(input, output) {
  const to = new Writer();
  to.stringField(ATTRIBUTE.name, 'to');
  to.varintField(ATTRIBUTE.i, FLOAT);
  to.varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE_INT);
  const node = new Writer();
  node.stringField(NODE.input, input);
  node.stringField(NODE.output, output);
  node.stringField(NODE.name, `${output}_cast`);
  node.stringField(NODE.opType, 'Cast');
  node.bytesField(NODE.attribute, to.finish());
  return node.finish();
}

/**
 * IEEE 754 binary32 -> binary16 bits, rounded to nearest even (subnormals kept); null for a value
 * float16 cannot hold (NaN, infinity, or a magnitude that rounds past 65504).
 */
const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

export function float32ToFloat16Bits(value) {
  scratchFloat[0] = value;
  const bits = scratchBits[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return null;
  const e = exponent - 127 + 15;
  if (e >= 31) return null;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: signed zero
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    let half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1; // a carry moves into the exponent, as it should
  if ((half & 0x7c00) === 0x7c00) return null;
  return sign | half;
}

/** binary16 bits -> number (for tests). */
export function float16BitsToNumber(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

// --- protobuf wire format -------------------------------------------------------------------

/** The fields of one message: number, wire type, the whole field's byte range and its value's. */
function readFields(source, start, end) {
  const fields = [];
  let p = start;
  while (p < end) {
    const fieldStart = p;
    const [key, afterKey] = readVarint(source, p);
    p = afterKey;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    const field = { source, no, wire, start: fieldStart, end: 0, valueStart: p, valueEnd: p, value: 0n };
    if (wire === WIRE.varint) {
      [field.value, p] = readVarint(source, p);
      field.valueEnd = p;
    } else if (wire === WIRE.bytes) {
      const [length, afterLength] = readVarint(source, p);
      field.valueStart = afterLength;
      field.valueEnd = afterLength + Number(length);
      p = field.valueEnd;
    } else if (wire === WIRE.fixed32) {
      field.valueEnd = p + 4;
      p += 4;
    } else if (wire === WIRE.fixed64) {
      field.valueEnd = p + 8;
      p += 8;
    } else {
      throw new Error(`onnx-fp16: unsupported protobuf wire type ${wire} at byte ${fieldStart}`);
    }
    if (p > end) throw new Error(`onnx-fp16: a field runs past its message at byte ${fieldStart}`);
    field.end = p;
    fields.push(field);
  }
  return fields;
}

function readVarint(source, start) {
  let value = 0n;
  let shift = 0n;
  for (let p = start; p < source.length && shift < 70n; p++) {
    const byte = source[p];
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, p + 1];
    shift += 7n;
  }
  throw new Error(`onnx-fp16: a malformed varint at byte ${start}`);
}

/** A repeated int64 field's values, packed or not. */
function varints(source, field) {
  if (field.wire === WIRE.varint) return [field.value];
  const values = [];
  for (let p = field.valueStart; p < field.valueEnd;) {
    const [value, next] = readVarint(source, p);
    values.push(value);
    p = next;
  }
  return values;
}

const text = (source, field) => new TextDecoder().decode(source.subarray(field.valueStart, field.valueEnd));

class Writer {
  #chunks = [];
  #length = 0;
  raw(bytes) {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }
  varint(value) {
    const bytes = [];
    let v = BigInt(value);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.raw(Uint8Array.from(bytes));
  }
  varintField(no, value) {
    this.varint((no << 3) | WIRE.varint);
    this.varint(value);
  }
  bytesField(no, bytes) {
    this.varint((no << 3) | WIRE.bytes);
    this.varint(bytes.length);
    this.raw(bytes);
  }
  stringField(no, value) {
    this.bytesField(no, new TextEncoder().encode(value));
  }
  finish() {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
