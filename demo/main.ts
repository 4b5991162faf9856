import { MRZ_OUTPUT_FIELDS, readMrz, type EkycError, type MrzReadResult } from '@ekyc/core';
import { ICAO_SPECIMEN_MRZ } from '@ekyc/testkit/mrz-specimens';
import { createModelProbe, modelManifest, type BackendPreference, type RuntimeReport } from '@ekyc/workers';

const assetBaseUrl = new URL('/ekyc/', location.href).href;
const requested = new URLSearchParams(location.search).get('backend');
const backend: BackendPreference = requested === 'wasm' || requested === 'webgpu' ? requested : 'auto';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`missing #${id}`);
  return found as T;
}

function row(cells: readonly (string | { text: string; className: string })[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (typeof cell === 'string') td.textContent = cell;
    else {
      td.textContent = cell.text;
      td.className = cell.className;
    }
    tr.append(td);
  }
  return tr;
}

function definitions(target: HTMLElement, entries: readonly [string, string][]): void {
  target.replaceChildren(
    ...entries.map(([term, value]) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = term;
      dd.textContent = value;
      div.append(dt, dd);
      return div;
    }),
  );
}

function describeRuntime(report: RuntimeReport): [string, string][] {
  const gpu = report.capabilities.webgpu;
  return [
    ['Backend', report.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'],
    ['Why', report.reason],
    ['WebGPU', gpu.available ? `${gpu.fallbackAdapter ? 'software fallback adapter' : 'hardware adapter'} ${[gpu.vendor, gpu.architecture].filter(Boolean).join(' ')}`.trim() : `not available (${gpu.reason ?? 'unknown'})`],
    ['WASM', `SIMD ${report.capabilities.simd ? 'yes' : 'no'}, ${report.wasmThreads} thread(s), cross-origin isolated ${report.capabilities.crossOriginIsolated ? 'yes' : 'no'}`],
    ['Fallbacks', report.fallbacks.length ? report.fallbacks.map((f) => f.reason).join('; ') : 'none'],
  ];
}

async function showModels(): Promise<void> {
  const runtimeList = element<HTMLElement>('runtime');
  const tbody = element<HTMLTableSectionElement>('models');
  const probe = createModelProbe({ assetBaseUrl, backend }, 170_000);
  try {
    definitions(runtimeList, describeRuntime((await probe.ready()) as RuntimeReport));
    for (const asset of modelManifest.assets.filter((a) => a.format === 'onnx')) {
      const loaded = await probe.call('load', asset.id);
      const run = await probe.call('run', asset.id, 1);
      await probe.call('release', asset.id);
      tbody.append(row([asset.id, asset.task, `${(asset.bytes / 1e6).toFixed(1)} MB`, run.backend, `${loaded.createMs.toFixed(0)} ms`, `${run.runMs.toFixed(1)} ms`]));
    }
    const report = await probe.call('runtime');
    if (report) definitions(runtimeList, describeRuntime(report));
    document.body.dataset['modelsDone'] = 'true';
  } catch (error) {
    const { code } = error as EkycError;
    definitions(runtimeList, [['Error', `${code ?? 'unknown'}: the models could not be loaded. Did \`npm run assets\` run?`]]);
    document.body.dataset['modelsDone'] = 'error';
  } finally {
    probe.terminate();
  }
}

/** The status line: "Valid" never stands alone when the document is expired or a field is unconfirmed. */
function mrzStatus(result: MrzReadResult): { text: string; className: string } {
  if (!result.valid) return { text: `Not valid${result.format ? ` (${result.format})` : ''}: ${result.errors.map((e) => e.code).join(', ')}`, className: 'invalid' };
  const warnings: string[] = [];
  if (result.expired) warnings.push(`expired on ${result.fields.expiryDate?.value ?? '?'}`);
  if (result.uncertainFields.length > 0) warnings.push(`unconfirmed: ${result.uncertainFields.join(', ')}`);
  if (result.expired === null) warnings.push('expiry unreadable');
  return warnings.length ? { text: `Valid ${result.format}, but ${warnings.join('; ')}`, className: 'warning' } : { text: `Valid ${result.format}`, className: 'valid' };
}

function showMrz(output: HTMLOutputElement, text: string): void {
  if (text.trim() === '') {
    output.textContent = '';
    return;
  }
  const result = readMrz(text);
  const status = document.createElement('p');
  const { text: statusText, className } = mrzStatus(result);
  status.className = className;
  status.textContent = statusText;
  const fields = document.createElement('dl');
  const uncertain = new Set(result.uncertainFields);
  fields.replaceChildren(...MRZ_OUTPUT_FIELDS.flatMap((name) => {
    const value = result.fields[name]?.value;
    if (value === undefined || value === null) return [];
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = name;
    dd.textContent = uncertain.has(name) ? `${value} (unconfirmed)` : name === 'expiryDate' && result.expired ? `${value} (expired)` : value;
    if (uncertain.has(name) || (name === 'expiryDate' && result.expired)) dd.className = 'uncertain';
    div.append(dt, dd);
    return [div];
  }));
  const corrections = document.createElement('p');
  corrections.textContent = result.corrections.length
    ? `Corrected: ${result.corrections.map((c) => `line ${c.line + 1} col ${c.column + 1} ${c.from || '∅'}→${c.to || '∅'}`).join(', ')}`
    : 'No corrections.';
  output.replaceChildren(status, fields, corrections);
}

const input = element<HTMLTextAreaElement>('mrz-input');
const output = element<HTMLOutputElement>('mrz-output');
// The ICAO specimen passport with two classic OCR confusions (O for 0, K for <).
input.value = ICAO_SPECIMEN_MRZ.TD3.join('\n').replace('0', 'O').replace('<<', 'K<');
input.addEventListener('input', () => showMrz(output, input.value));
showMrz(output, input.value);
void showModels();
