import type { ModelManifest, RuntimeManifest } from '@ekyc/core';
import modelManifestJson from '@ekyc/models/manifest.json';
import runtimeManifestJson from '@ekyc/wasm/manifest.json';

/** The manifests bundled with the SDK; integrators who swap a model pass their own to the pipelines. */
export const modelManifest = modelManifestJson as ModelManifest;
export const runtimeManifest = runtimeManifestJson as RuntimeManifest;
