// Splits OpenCV.js (one 10.9 MB UMD script with its wasm inside as a base64 data: URI) into the
// wasm binary and a small ES module loader, so a worker can compile the wasm from its own response
// (WebAssembly.compileStreaming on `application/wasm`) instead of parsing 10 MB of JavaScript and
// decoding the base64 on every start. Measured in a module worker on the shared 2-core VM (load 8-9):
// the embedded build took 2.5-3.1 s from import to `cv.Mat`, the split one 0.3-0.6 s; 3.35 MB gzip
// becomes 2.47 + 0.05 MB.
//
//   params.part = 'wasm':   the decoded binary (starts with \0asm)
//   params.part = 'loader': the CSP-patched script (opencv-esm.mjs) with the data: URI emptied,
//                           wrapped as an ES module whose default export is Emscripten's factory
//                           `cv(Module)`: the caller passes `instantiateWasm` (the loader cannot
//                           fetch or decode a binary of its own) and waits for `Mat` on the result.
// Any text that differs from the pinned source fails the build instead of producing a half-split file.
import { patchOpenCv } from './opencv-esm.mjs';

const DATA_URI_START = 'var wasmBinaryFile="data:application/octet-stream;base64,';
const FACTORY_CALL = 'return cv(Module);';
// The loader has no binary: an Emscripten start without `instantiateWasm` must fail loudly, not
// fetch a file of this name relative to a blob: URL.
const NO_BINARY = 'var wasmBinaryFile="missing-instantiateWasm.wasm";';

function findOnce(text, needle, what) {
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) throw new Error(`opencv-split: ${what} not found exactly once`);
  return at;
}

/** Start and end (exclusive, after the closing `";`) of the embedded data: URI declaration, and the base64 inside. */
function dataUri(text) {
  const start = findOnce(text, DATA_URI_START, 'the embedded wasm');
  const base64Start = start + DATA_URI_START.length;
  const quote = text.indexOf('"', base64Start);
  if (quote < 0 || text[quote + 1] !== ';') throw new Error('opencv-split: end of the embedded wasm not found');
  const base64 = text.slice(base64Start, quote);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error('opencv-split: the embedded wasm is not base64');
  return { start, end: quote + 2, base64 };
}

export function extractWasm(source) {
  const bytes = Buffer.from(dataUri(source).base64, 'base64');
  if (bytes.readUInt32BE(0) !== 0x0061736d) throw new Error('opencv-split: the embedded data is not a wasm module');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function loaderScript(source) {
  let text = patchOpenCv(source);
  const { start, end } = dataUri(text);
  text = text.slice(0, start) + NO_BINARY + text.slice(end);
  const call = findOnce(text, FACTORY_CALL, 'the factory call');
  text = text.slice(0, call) + 'return cv;' + text.slice(call + FACTORY_CALL.length);
  return [
    '// Derived from @techstark/opencv-js dist/opencv.js by models/derive/opencv-split.mjs; do not edit.',
    '// Default export: the Emscripten factory; call it with { instantiateWasm } (never `await` its result).',
    'const umdRoot = {};',
    '(function () {',
    text,
    '}).call(umdRoot);',
    'export default umdRoot.cv;',
    '',
  ].join('\n');
}

export async function derive(bytes, params = {}) {
  const source = new TextDecoder().decode(bytes);
  if (params.part === 'wasm') return extractWasm(source);
  if (params.part === 'loader') return new TextEncoder().encode(loaderScript(source));
  throw new Error(`opencv-split: params.part must be 'wasm' or 'loader', not ${JSON.stringify(params.part)}`);
}
