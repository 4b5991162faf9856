// One-shot check: does every ONNX model of models/manifest.json load and run on onnxruntime-web's
// WebGPU build (native WebGPU EP, Asyncify) on a real adapter through Dawn (npm `webgpu`, dawn.node),
// do its outputs agree with the plain WASM build (same tolerances as e2e/models.spec.ts), and how
// fast are session creation and inference on each? Mirrors packages/workers/src/runtime/runtime.ts:
// `onnxruntime-web/webgpu` API, the asyncify glue+wasm on WebGPU and the plain glue+wasm on WASM,
// provideCompiledWasm(compiled module), numThreads 1, proxy off, env.webgpu.adapter set,
// InferenceSession.create(bytes, { executionProviders: [backend], graphOptimizationLevel: 'all' }).
// Inputs: syntheticInput of packages/workers/src/pipelines/probe/model-probe.ts, seed 7.
//
// Parent: `node check.mjs` (writes $OUT/gpu-check.json after every step, prints a table).
// Children: `node check.mjs --child probe|wasm|webgpu` (one process per backend, so a hang or a
// crash costs one model: the parent kills the child on timeout and starts a fresh one).
//
// Env: GPUCHECK_ROOT (payload dir, default: this file's dir), OUT, RUNS (20), WARMUP (3),
// MODEL_TIMEOUT_S (60), INIT_TIMEOUT_S (90), DEADLINE_S (200, no model starts after it),
// RUN_BUDGET_S (12, timed runs stop early past it), MODELS (comma list), DAWN_FLAGS (space list).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = process.env.GPUCHECK_ROOT ?? HERE;
const OUT = process.env.OUT ?? '/tmp/gpu-out';
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const RUNS = num('RUNS', 20);
const WARMUP = Math.max(1, num('WARMUP', 3)); // the first run (shader compilation on WebGPU) is always a warm-up
const MODEL_TIMEOUT_S = num('MODEL_TIMEOUT_S', 60);
const INIT_TIMEOUT_S = num('INIT_TIMEOUT_S', 90);
const DEADLINE_S = num('DEADLINE_S', 200);
const RUN_BUDGET_S = num('RUN_BUDGET_S', 12);
const SEED = 7;
const DAWN_FLAGS = (process.env.DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean);
const T0 = Date.now();
const stamp = () => `[${new Date().toISOString().slice(11, 19)} +${((Date.now() - T0) / 1000).toFixed(1)}s]`;

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'manifest.json'), 'utf8'));
const onnxAssets = manifest.assets.filter((a) => a.format === 'onnx');

// ---- shared helpers (copied from model-probe.ts / e2e/pages/models.ts) ----

function concreteShape(spec) {
  const shape = spec.testShape ?? spec.shape;
  if (shape.some((d) => d < 1)) throw new Error(`Input "${spec.name}" has dynamic dimensions and no testShape`);
  return [...shape];
}

function syntheticInput(shape, seed, preprocessing) {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  const [, channels = 1, height = 1, width = size] = shape.length === 4 ? shape : [1, 1, 1, size];
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const fx = 1 + random() * 4, fy = 1 + random() * 4, phase = random() * Math.PI * 2;
  for (let c = 0; c < channels; c++) {
    const mean = preprocessing?.mean[c] ?? preprocessing?.mean[0] ?? 127.5;
    const std = preprocessing?.std[c] ?? preprocessing?.std[0] ?? 127.5;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const smooth = Math.sin((x / width) * fx * Math.PI + phase + c) * Math.cos((y / height) * fy * Math.PI);
        const glyph = y % 16 >= 5 && y % 16 < 11 && x % 12 < 7 && x % 96 < 80 ? -90 : 0;
        const pixel = Math.min(255, Math.max(0, 150 + 70 * smooth + glyph + (random() - 0.5) * 24));
        data[(c * height + y) * width + x] = (pixel - mean) / std;
      }
    }
  }
  return data;
}

function compare(a, b) {
  let dot = 0, na = 0, nb = 0, maxAbsDiff = 0, maxAbs = 0, sum = 0, sumSq = 0, finite = true;
  if (a.length !== b.length) return { cosine: NaN, maxAbsDiff: NaN, maxAbs: NaN, std: NaN, finite: false, lengthMismatch: [a.length, b.length] };
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) finite = false;
    dot += x * y; na += x * x; nb += y * y;
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - y));
    maxAbs = Math.max(maxAbs, Math.abs(x));
    sum += x; sumSq += x * x;
  }
  const mean = sum / a.length;
  const cosine = na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb);
  return { cosine, maxAbsDiff, maxAbs, std: Math.sqrt(Math.max(0, sumSq / a.length - mean * mean)), finite };
}

const round = (x, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? Number(x.toFixed(d)) : x);
function stats(times) {
  if (!times.length) return {};
  const s = [...times].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, medianMs: round(q(0.5), 3), p90Ms: round(q(0.9), 3), minMs: round(s[0], 3), maxMs: round(s[s.length - 1], 3) };
}
const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms).unref())]);

// =====================================================================================
// Child
// =====================================================================================

async function child(role) {
  const logs = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    console[level] = (...args) => {
      const line = args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.stack ?? String(a) : safeJson(a))).join(' ');
      logs.push(`${level}: ${line}`.slice(0, 2000));
      if (logs.length > 400) logs.splice(0, logs.length - 400);
      process.stderr.write(`  [${role} ${level}] ${line.slice(0, 500)}\n`);
    };
  }
  const takeLogs = () => logs.splice(0, logs.length).slice(-40);
  const send = (msg) => new Promise((resolve) => process.send(msg, resolve));

  let gpu, adapter;
  const sharedCopies = { count: 0, bytes: 0 };
  async function setupGpu(flags) {
    const { create, globals } = await import(pathToFileURL(path.join(ROOT, 'node_modules', 'webgpu', 'index.js')).href);
    Object.assign(globalThis, globals);
    shareSafeQueueWrites(globals);
    gpu = create(flags);
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu, hardwareConcurrency: os.cpus().length, userAgent: `Node.js/${process.versions.node} dawn.node` },
      configurable: true, writable: true,
    });
    // As probeWebGpu() in packages/workers/src/runtime/capabilities.ts.
    adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) ?? (await gpu.requestAdapter({ forceFallbackAdapter: true }));
    return adapter;
  }

  // ORT's threaded build keeps its heap in a SharedArrayBuffer and uploads with
  // queue.writeBuffer(buffer, offset, <view of that heap>). Chromium takes shared views
  // (AllowSharedBufferSource); dawn.node throws "Invalid argument" (Node-API cannot read a
  // SharedArrayBuffer). So shared views are copied once into a plain buffer here: one extra
  // memcpy per upload, which Chromium does not pay (its writeBuffer copies into its own
  // staging memory anyway).
  function shareSafeQueueWrites(globals) {
    const proto = globals.GPUQueue?.prototype;
    if (!proto || proto.__shareSafe) return;
    for (const method of ['writeBuffer', 'writeTexture']) {
      const original = proto[method];
      const dataIndex = method === 'writeBuffer' ? 2 : 1;
      proto[method] = function (...args) {
        const data = args[dataIndex];
        const shared = typeof SharedArrayBuffer === 'function' && (data instanceof SharedArrayBuffer || data?.buffer instanceof SharedArrayBuffer);
        if (shared) {
          sharedCopies.count++;
          sharedCopies.bytes += data.byteLength;
          args[dataIndex] = data instanceof SharedArrayBuffer ? data.slice(0)
            : data instanceof DataView ? new Uint8Array(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
            : new data.constructor(data);
        }
        return original.apply(this, args);
      };
    }
    proto.__shareSafe = true;
  }

  function adapterReport(a) {
    if (!a) return null;
    const info = a.info ?? {};
    const pick = {};
    for (const k of ['vendor', 'architecture', 'device', 'description', 'subgroupMinSize', 'subgroupMaxSize', 'isFallbackAdapter']) pick[k] = info[k];
    if (pick.isFallbackAdapter === undefined) pick.isFallbackAdapter = a.isFallbackAdapter;
    const limits = {};
    for (const k of ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup',
      'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupsPerDimension', 'maxStorageBuffersPerShaderStage']) limits[k] = a.limits?.[k];
    return { ...pick, features: [...(a.features ?? [])].sort(), limits };
  }

  if (role === 'probe') {
    const result = { flags: DAWN_FLAGS };
    // A made-up adapter name makes dawn.node throw with the list of every adapter it sees.
    try {
      const { create } = await import(pathToFileURL(path.join(ROOT, 'node_modules', 'webgpu', 'index.js')).href);
      const g = create([...DAWN_FLAGS, 'adapter=__list_adapters__']);
      const a = await g.requestAdapter();
      result.adapterList = a ? `unexpected adapter: ${a.info?.description}` : 'none';
    } catch (error) {
      result.adapterList = String(error?.message ?? error);
    }
    try {
      const a = await setupGpu(DAWN_FLAGS);
      result.adapter = adapterReport(a);
      if (a) {
        const device = await a.requestDevice();
        result.deviceOk = true;
        device.destroy();
      }
    } catch (error) {
      result.error = String(error?.stack ?? error);
    }
    result.logs = takeLogs();
    await send({ type: 'probe', result });
    process.exit(0);
  }

  const t0 = performance.now();
  const init = { role };
  try {
    if (role === 'webgpu') {
      await setupGpu(DAWN_FLAGS);
      init.adapter = adapterReport(adapter);
      if (!adapter) throw new Error('no WebGPU adapter');
    }
    const ort = await import(pathToFileURL(path.join(ROOT, 'ort', 'ort.webgpu.min.mjs')).href);
    init.ortVersion = ort.env.versions?.web ?? ort.env.versions?.common;
    const [wasmFile, glueFile] = role === 'webgpu'
      ? ['ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.asyncify.mjs']
      : ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];
    init.wasmFile = wasmFile;
    const tc = performance.now();
    const compiled = await WebAssembly.compile(fs.readFileSync(path.join(ROOT, 'ort', wasmFile)));
    init.compileMs = round(performance.now() - tc);
    const glueUrl = pathToFileURL(path.join(ROOT, 'ort', glueFile)).href;
    const glue = await import(glueUrl);
    if (typeof glue.provideCompiledWasm !== 'function') throw new Error('glue has no provideCompiledWasm');
    glue.provideCompiledWasm(compiled);
    ort.env.wasm.wasmPaths = { mjs: glueUrl, wasm: pathToFileURL(path.join(ROOT, 'ort', wasmFile)).href };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    // The SDK sets 'error'; 'warning' here so that nodes ORT puts on the CPU show up in the logs.
    ort.env.logLevel = process.env.ORT_LOG_LEVEL ?? 'warning';
    if (role === 'webgpu') ort.env.webgpu.adapter = adapter;
    globalThis.__ort = ort;

    // Runtime start: the smallest model, created, run once and released, so that every model's
    // create time below is on a started runtime (as in a worker after its first model).
    const smallest = [...onnxAssets].sort((a, b) => a.bytes - b.bytes)[0];
    const ts = performance.now();
    const session = await ort.InferenceSession.create(fs.readFileSync(path.join(ROOT, 'models', smallest.file)), {
      executionProviders: [role], graphOptimizationLevel: 'all',
    });
    init.firstCreateMs = round(performance.now() - ts);
    await session.run(feedsFor(ort, smallest));
    await session.release();
    init.runtimeStartModel = smallest.id;
    init.runtimeStartMs = round(performance.now() - ts);
    if (role === 'webgpu') {
      try {
        const device = await withTimeout(Promise.resolve(ort.env.webgpu.device), 3000, 'env.webgpu.device');
        if (device) {
          init.deviceFeatures = [...device.features].sort();
          init.deviceLimits = { maxBufferSize: device.limits?.maxBufferSize, maxStorageBufferBindingSize: device.limits?.maxStorageBufferBindingSize };
          // ORT destroys its device once no session is left (reason 'destroyed'): expected here.
          device.lost?.then((info) => process.stderr.write(`  [webgpu] first device lost: reason=${info?.reason} ${info?.message}\n`));
        }
      } catch (error) {
        init.deviceFeatures = `unavailable: ${String(error?.message ?? error)}`;
      }
    }
    init.ok = true;
  } catch (error) {
    init.ok = false;
    init.error = String(error?.stack ?? error).slice(0, 3000);
  }
  init.initMs = round(performance.now() - t0);
  init.logs = takeLogs();
  await send({ type: 'init', init });
  if (!init.ok) process.exit(2);

  process.on('message', async (msg) => {
    if (msg.type === 'exit') process.exit(0);
    if (msg.type !== 'model') return;
    const r = { id: msg.id };
    try {
      Object.assign(r, await runModel(globalThis.__ort, msg));
      r.ok = true;
    } catch (error) {
      r.ok = false;
      r.error = String(error?.stack ?? error).slice(0, 3000);
    }
    r.logs = takeLogs();
    await send({ type: 'model', result: r });
  });

  function feedsFor(ort, asset) {
    const feeds = {};
    asset.io.inputs.forEach((spec, index) => {
      const shape = concreteShape(spec);
      feeds[spec.name] = new ort.Tensor('float32', syntheticInput(shape, SEED + index, asset.io.preprocessing), shape);
    });
    return feeds;
  }

  async function runModel(ort, { id, runs, warmup, runBudgetS }) {
    const asset = onnxAssets.find((a) => a.id === id);
    if (!asset) throw new Error(`no ONNX model ${id} in the manifest`);
    const bytes = fs.readFileSync(path.join(ROOT, 'models', asset.file));
    const r = { stage: 'create' };
    const copiesBefore = { ...sharedCopies };
    const tc = performance.now();
    const session = await ort.InferenceSession.create(bytes, { executionProviders: [role], graphOptimizationLevel: 'all' });
    r.createMs = round(performance.now() - tc);
    r.inputNames = session.inputNames;
    r.outputNames = session.outputNames;
    const feeds = feedsFor(ort, asset);
    r.inputShapes = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t.dims]));
    const times = [];
    let first, last;
    const budgetEnd = performance.now() + runBudgetS * 1000;
    r.stage = 'run';
    for (let i = 0; i < warmup + runs; i++) {
      const t = performance.now();
      const out = await session.run(feeds);
      const dt = performance.now() - t;
      if (i === 0) {
        r.firstRunMs = round(dt);
        first = session.outputNames.map((name) => ({ name, dims: [...out[name].dims], type: out[name].type, data: Float32Array.from(out[name].data) }));
      } else if (i >= warmup) {
        times.push(dt);
      }
      last = out;
      if (i >= warmup && times.length >= 3 && performance.now() > budgetEnd) break;
    }
    r.timing = stats(times);
    if (role === 'webgpu') r.sharedViewCopies = { count: sharedCopies.count - copiesBefore.count, bytes: sharedCopies.bytes - copiesBefore.bytes };
    // Same backend, first run vs last run: is the backend deterministic?
    r.repeatMaxAbsDiff = round(Math.max(0, ...first.map((o) => compare(o.data, Float32Array.from(last[o.name].data)).maxAbsDiff)), 9);
    r.outputs = first;
    r.stage = 'done';
    await session.release();
    return r;
  }
}

function safeJson(value) {
  try { return JSON.stringify(value); } catch { return String(value); }
}

// =====================================================================================
// Parent
// =====================================================================================

class Child {
  constructor(role) {
    this.role = role;
    this.tail = [];
    this.output = [];
    this.waiter = null;
    this.exited = null;
    this.proc = fork(fileURLToPath(import.meta.url), ['--child', role], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced', env: process.env,
    });
    const onData = (chunk) => {
      process.stderr.write(chunk);
      for (const line of String(chunk).split('\n')) {
        if (!line.trim() || /XDG_RUNTIME_DIR/.test(line)) continue;
        this.tail.push(line.slice(0, 400));
        // Raw output of the child (ORT's native log goes to stdout/stderr, not console) during a request.
        if (this.output.length < 40) this.output.push(line.replace(/\x1b\[[0-9;]*m/g, '').slice(0, 400));
      }
      if (this.tail.length > 60) this.tail.splice(0, this.tail.length - 60);
    };
    this.proc.stdout.on('data', onData);
    this.proc.stderr.on('data', onData);
    this.proc.on('message', (msg) => {
      const w = this.waiter;
      if (w && msg.type === w.type) { this.waiter = null; w.resolve(msg); }
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
      const w = this.waiter;
      if (w) { this.waiter = null; w.reject(new Error(`${role} process exited (code ${code}, signal ${signal}); last output:\n${this.tail.slice(-15).join('\n')}`)); }
    });
  }
  request(type, payload, timeoutMs) {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error(`${this.role} process already exited (${safeJson(this.exited)})`));
      const timer = setTimeout(() => {
        if (this.waiter?.type !== type) return;
        this.waiter = null;
        this.kill();
        reject(new Error(`timeout after ${Math.round(timeoutMs / 1000)} s; last output:\n${this.tail.slice(-10).join('\n')}`));
      }, timeoutMs);
      this.waiter = {
        type,
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.output = [];
      if (payload) this.proc.send(payload);
    });
  }
  kill() {
    this.killed = true;
    if (!this.exited) { try { this.proc.kill('SIGKILL'); } catch {} }
  }
}

async function parent() {
  fs.mkdirSync(OUT, { recursive: true });
  const jsonPath = path.join(OUT, 'gpu-check.json');
  const ids = process.env.MODELS ? process.env.MODELS.split(',').map((s) => s.trim()).filter(Boolean) : onnxAssets.map((a) => a.id);
  const report = {
    startedAt: new Date().toISOString(),
    host: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: round(os.totalmem() / 2 ** 30, 1), icd: process.env.GPUCHECK_ICD ?? null },
    config: { runs: RUNS, warmup: WARMUP, modelTimeoutS: MODEL_TIMEOUT_S, deadlineS: DEADLINE_S, runBudgetS: RUN_BUDGET_S, seed: SEED, dawnFlags: DAWN_FLAGS, wasmThreads: 1,
      sessionOptions: { graphOptimizationLevel: 'all' }, tolerance: 'finite, std>0, cosine>0.999, maxAbsDiff<=1e-2*max(1,maxAbs(wasm))' },
    probe: null, runtime: {}, models: {}, summary: null, finishedAt: null,
  };
  const save = () => fs.writeFileSync(jsonPath, JSON.stringify(report, null, 1));
  const log = (s) => console.log(`${stamp()} ${s}`);
  save();

  // 1. Adapter probe in its own process.
  log('probe: listing adapters and requesting one (high-performance, else fallback)');
  {
    const probe = new Child('probe');
    try {
      report.probe = (await probe.request('probe', null, 60_000)).result;
    } catch (error) {
      report.probe = { error: String(error.message) };
    }
    probe.kill();
    const a = report.probe?.adapter;
    log(`probe: ${a ? `${a.vendor} / ${a.architecture} / ${a.device} / ${a.description}, fallback=${a.isFallbackAdapter}` : `no adapter ${report.probe?.error ?? ''}`}`);
    log(`probe: adapters: ${String(report.probe?.adapterList ?? '').replace(/\n/g, ' | ')}`);
    if (a) log(`probe: features: ${a.features.join(', ')}`);
    save();
  }

  // 2. One child per backend; models interleaved (WASM then WebGPU for each) so that partial
  // results are complete pairs.
  const children = {};
  const deadline = T0 + DEADLINE_S * 1000;
  async function ensure(role) {
    if (children[role] && !children[role].exited && !children[role].killed && children[role].ready) return children[role];
    children[role]?.kill();
    const c = new Child(role);
    children[role] = c;
    const rt = (report.runtime[role] ??= { starts: [] });
    try {
      const { init } = await c.request('init', null, Math.min(INIT_TIMEOUT_S * 1000, Math.max(5000, deadline - Date.now() + 30_000)));
      rt.starts.push(init);
      if (!init.ok) throw new Error(init.error);
      c.ready = true;
      log(`${role}: runtime started in ${init.initMs} ms (wasm compile ${init.compileMs} ms, first session ${init.firstCreateMs} ms on ${init.runtimeStartModel})${init.deviceFeatures ? `; device features: ${[].concat(init.deviceFeatures).join(', ')}` : ''}`);
      return c;
    } catch (error) {
      c.kill();
      if (!rt.starts.length || rt.starts.at(-1).ok !== false) rt.starts.push({ ok: false, error: String(error.message).slice(0, 3000) });
      log(`${role}: runtime FAILED to start: ${String(error.message).split('\n')[0]}`);
      throw error;
    }
  }

  for (const id of ids) {
    const entry = (report.models[id] = { wasm: null, webgpu: null, agreement: null, pass: false });
    for (const role of ['wasm', 'webgpu']) {
      if (Date.now() > deadline) {
        entry[role] = { ok: false, error: 'skipped: global deadline reached' };
        log(`${id} ${role}: skipped (deadline)`);
        continue;
      }
      const prev = report.runtime[role];
      if (prev && prev.starts.filter((s) => !s.ok).length >= 2) {
        entry[role] = { ok: false, error: 'skipped: runtime failed to start twice' };
        continue;
      }
      const t = Date.now();
      try {
        const c = await ensure(role);
        const timeoutMs = Math.max(5000, Math.min(MODEL_TIMEOUT_S * 1000, deadline - Date.now() + 20_000));
        const { result } = await c.request('model', { type: 'model', id, runs: RUNS, warmup: WARMUP, runBudgetS: RUN_BUDGET_S }, timeoutMs);
        entry[role] = result;
        result.output = c.output.filter((l) => !l.startsWith('  ['));
      } catch (error) {
        entry[role] = { ok: false, error: String(error.message).slice(0, 3000) };
      }
      entry[role].wallMs = Date.now() - t;
      const r = entry[role];
      log(`${id} ${role}: ${r.ok ? `create ${r.createMs} ms, first run ${r.firstRunMs} ms, median ${r.timing.medianMs} ms, p90 ${r.timing.p90Ms} ms (n=${r.timing.n})` : `ERROR ${String(r.error).split('\n')[0]}`}`);
    }
    // Agreement, as e2e/models.spec.ts.
    const spec = onnxAssets.find((a) => a.id === id);
    const w = entry.wasm, g = entry.webgpu;
    if (w?.ok && g?.ok) {
      const expected = spec?.io?.outputs?.map((o) => o.name) ?? [];
      entry.agreement = w.outputs.map((o, index) => {
        const other = g.outputs.find((x) => x.name === o.name) ?? g.outputs[index];
        const c = compare(o.data, other.data);
        const checks = {
          finite: c.finite,
          notConstant: c.std > 0,
          cosine: c.cosine > 0.999,
          maxAbsDiff: c.maxAbsDiff <= 1e-2 * Math.max(1, c.maxAbs),
          dims: JSON.stringify(o.dims) === JSON.stringify(other.dims),
        };
        return { name: o.name, dims: o.dims, gpuDims: other.dims, cosine: round(c.cosine, 7), maxAbsDiff: round(c.maxAbsDiff, 7), limit: round(1e-2 * Math.max(1, c.maxAbs), 6), maxAbs: round(c.maxAbs, 5), std: round(c.std, 6), ...c.lengthMismatch ? { lengthMismatch: c.lengthMismatch } : {}, checks, pass: Object.values(checks).every(Boolean) };
      });
      entry.outputNamesMatchManifest = JSON.stringify(w.outputNames) === JSON.stringify(expected) && JSON.stringify(g.outputNames) === JSON.stringify(expected);
      entry.pass = entry.agreement.every((a) => a.pass) && entry.outputNamesMatchManifest;
      for (const a of entry.agreement) log(`${id}/${a.name}: cosine ${a.cosine}, maxAbsDiff ${a.maxAbsDiff} (limit ${a.limit}) ${a.pass ? 'ok' : `FAIL ${safeJson(a.checks)}`}`);
    }
    // Keep the JSON small: drop the raw tensors, keep a few values.
    for (const r of [w, g]) {
      if (r?.outputs) r.outputs = r.outputs.map((o) => ({ name: o.name, dims: o.dims, type: o.type, head: Array.from(o.data.slice(0, 6), (v) => round(v, 6)) }));
    }
    save();
  }
  for (const c of Object.values(children)) {
    try { c.proc.send({ type: 'exit' }); } catch {}
    setTimeout(() => c.kill(), 2000).unref();
  }

  // Summary and table.
  const rows = ids.map((id) => {
    const e = report.models[id];
    const w = e.wasm ?? {}, g = e.webgpu ?? {};
    const speedup = w.timing?.medianMs && g.timing?.medianMs ? round(w.timing.medianMs / g.timing.medianMs, 4) : null;
    return {
      id,
      wasmLoads: w.ok ? 'yes' : String(w.error ?? '-').split('\n')[0].slice(0, 80),
      gpuLoads: g.ok ? 'yes' : String(g.error ?? '-').split('\n')[0].slice(0, 80),
      wasmCreateMs: w.createMs, wasmMedianMs: w.timing?.medianMs, wasmP90Ms: w.timing?.p90Ms,
      gpuCreateMs: g.createMs, gpuFirstRunMs: g.firstRunMs, gpuMedianMs: g.timing?.medianMs, gpuP90Ms: g.timing?.p90Ms,
      speedup,
      minCosine: e.agreement ? Math.min(...e.agreement.map((a) => a.cosine)) : null,
      worstDiffOverLimit: e.agreement ? round(Math.max(...e.agreement.map((a) => a.maxAbsDiff / a.limit)), 4) : null,
      pass: e.pass,
    };
  });
  report.summary = { rows, allPass: rows.every((r) => r.pass), adapter: report.probe?.adapter ?? null };
  report.finishedAt = new Date().toISOString();
  save();

  const a = report.probe?.adapter;
  const lines = [];
  lines.push(`adapter: ${a ? `vendor=${a.vendor} arch=${a.architecture} device=${a.device} desc=${a.description} fallback=${a.isFallbackAdapter} subgroups=${a.subgroupMinSize}-${a.subgroupMaxSize}` : 'none'}`);
  if (a) lines.push(`features: ${a.features.join(' ')}`);
  for (const role of ['wasm', 'webgpu']) {
    const s = report.runtime[role]?.starts?.find((x) => x.ok);
    if (s) lines.push(`${role} runtime start: ${s.initMs} ms (compile ${s.compileMs}, first session ${s.firstCreateMs} on ${s.runtimeStartModel})`);
  }
  lines.push(`runs: ${RUNS} after ${WARMUP} warm-ups (g.1st = first run, shader/pipeline compilation); ms; WASM = plain build, 1 thread; create on WebGPU includes a new device (ORT drops its device when no session is left); x = w.med/g.med`);
  const head = ['model', 'wasm', 'webgpu', 'w.create', 'w.med', 'w.p90', 'g.create', 'g.1st', 'g.med', 'g.p90', 'x', 'minCos', 'diff/lim', 'pass'];
  const body = rows.map((r) => [r.id, r.wasmLoads, r.gpuLoads, r.wasmCreateMs, r.wasmMedianMs, r.wasmP90Ms, r.gpuCreateMs, r.gpuFirstRunMs, r.gpuMedianMs, r.gpuP90Ms, r.speedup, r.minCosine, r.worstDiffOverLimit, r.pass ? 'PASS' : 'FAIL']
    .map((v) => (v === undefined || v === null ? '-' : typeof v === 'number' ? String(round(v, v < 10 ? 3 : 1)) : String(v))));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => Math.min(b[i].length, 40))));
  const fmt = (cells) => cells.map((c, i) => c.slice(0, 40).padEnd(widths[i])).join(' | ');
  lines.push(fmt(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(fmt));
  lines.push(`ALL PASS: ${report.summary.allPass}`);
  const table = lines.join('\n');
  fs.writeFileSync(path.join(OUT, 'gpu-check.txt'), `${table}\n`);
  console.log(`\n${table}`);
  log(`wrote ${jsonPath}`);
  setTimeout(() => process.exit(0), 2500).unref();
}

if (process.argv[2] === '--probe') {
  // For run.sh: which Vulkan driver configuration gives an adapter? One JSON line on stdout.
  (async () => {
    const result = {};
    try {
      const { create, globals } = await import(pathToFileURL(path.join(ROOT, 'node_modules', 'webgpu', 'index.js')).href);
      Object.assign(globalThis, globals);
      const gpu = create(DAWN_FLAGS);
      const a = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) ?? (await gpu.requestAdapter({ forceFallbackAdapter: true }));
      if (a) {
        const info = a.info ?? {};
        Object.assign(result, { ok: true, vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, isFallbackAdapter: Boolean(info.isFallbackAdapter ?? a.isFallbackAdapter) });
      } else {
        result.ok = false;
      }
    } catch (error) {
      result.ok = false;
      result.error = String(error?.message ?? error);
    }
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
  })();
} else if (process.argv[2] === '--child') {
  child(process.argv[3]).catch((error) => {
    process.stderr.write(`child ${process.argv[3]} crashed: ${error?.stack ?? error}\n`);
    process.exit(3);
  });
} else {
  parent().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
