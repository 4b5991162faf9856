// Lets onnxruntime-web's Emscripten glue (ort-wasm-simd-threaded[.asyncify].mjs) start from a wasm
// module the SDK compiled itself. onnxruntime-web hands its glue either a URL (the glue then fetches
// the binary again, unverified) or bytes (`wasmBinary`: compiled from an ArrayBuffer, which Chromium
// never keeps in its wasm code cache). The SDK compiles the hash-checked binary from its own
// `application/wasm` response instead (compileRuntimeWasm in @ekyc/workers): on a warm start V8 then
// reuses the compiled code, and the runtime's start, session creation and first inference skip most
// lazy compilation. This step adds one export, `provideCompiledWasm(module)`; once it was called, the
// glue instantiates that module through Emscripten's own `instantiateWasm` hook. Without the call
// the glue behaves exactly as published. Emscripten's pthread workers, which import the glue afresh,
// never get the call and take the module their parent posts them, as before.
// The entry of the glue must match the pinned source exactly, else the build fails.

const ENTRY = /^async function ortWasmThreaded\(moduleArg=\{\}\)\{var moduleRtn;var ([A-Za-z_$][\w$]*)=moduleArg,/;

const PRELUDE = [
  '// Derived from onnxruntime-web by models/derive/ort-compiled-wasm.mjs: provideCompiledWasm() added; do not edit.',
  'var ekycCompiledWasm;',
  'export function provideCompiledWasm(module){ekycCompiledWasm=module}',
  // Synchronous instantiation (allowed in workers, where the SDK runs onnxruntime): an error then
  // rejects the factory's promise instead of leaving Emscripten waiting for a callback.
  'function ekycWithCompiledWasm(config){if(!ekycCompiledWasm||config.instantiateWasm)return config;var module=ekycCompiledWasm;config.instantiateWasm=function(imports,receive){receive(new WebAssembly.Instance(module,imports),module);return{}};return config}',
  '',
].join('\n');

export function withCompiledWasmHook(source) {
  const entry = ENTRY.exec(source);
  if (!entry) throw new Error('ort-compiled-wasm: the glue does not start as the pinned onnxruntime-web glue does');
  const config = entry[1];
  if (!source.includes(`if(${config}.instantiateWasm)`)) throw new Error('ort-compiled-wasm: the glue has no instantiateWasm hook');
  if (source.includes('ekycCompiledWasm')) throw new Error('ort-compiled-wasm: the glue is already derived');
  const patched = entry[0].replace(`var ${config}=moduleArg,`, `var ${config}=ekycWithCompiledWasm(moduleArg),`);
  return PRELUDE + patched + source.slice(entry[0].length);
}

export async function derive(bytes) {
  return new TextEncoder().encode(withCompiledWasmHook(new TextDecoder().decode(bytes)));
}
