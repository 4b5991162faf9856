import type { BackendPreference } from '../runtime/choose-backend.ts';

/** What every pipeline's `init` receives; the host re-sends it after each (re)spawn. */
export interface PipelineConfig {
  /** Base URL of the self-hosted `models/` and `wasm/` folders, e.g. `/ekyc/` or `https://example.com/static/ekyc/`. */
  assetBaseUrl: string;
  /** `auto` (default) picks WebGPU on a hardware adapter, else WASM. */
  backend?: BackendPreference;
}

/** A pipeline's API as seen by the host: every member is an async function. */
export type PipelineApi = { init(config: PipelineConfig): Promise<unknown> } & Record<string, (...args: never[]) => Promise<unknown>>;
