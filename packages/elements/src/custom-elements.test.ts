import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const analyzer = fileURLToPath(new URL('../../../node_modules/@custom-elements-manifest/analyzer/cem.js', import.meta.url));

interface Declaration { tagName?: string; events?: { name: string }[]; cssParts?: unknown[]; cssProperties?: unknown[]; summary?: string }

describe('custom-elements.json', () => {
  it('is what `npm run manifest -w @ekyc/elements` generates from the sources now', () => {
    // The analyzer joins outdir to its working directory: a relative path to the temporary folder.
    const out = mkdtempSync(join(tmpdir(), 'ekyc-cem-'));
    try {
      execFileSync(process.execPath, [analyzer, 'analyze', '--config', 'custom-elements-manifest.config.mjs'], { cwd: packageDir, stdio: 'pipe', env: { ...process.env, CEM_OUTDIR: relative(packageDir, out) } });
      const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');
      const committed = readFileSync(join(packageDir, 'custom-elements.json'), 'utf8');
      expect(JSON.parse(committed), 'run `npm run manifest -w @ekyc/elements` and commit custom-elements.json').toEqual(JSON.parse(fresh));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('is mirrored in the API section of docs/elements.md (the same script writes it)', async () => {
    // @ts-expect-error: a plain .mjs script without types.
    const { apiMarkdown, withApi, paths } = await import('../scripts/api-doc.mjs') as { apiMarkdown(m: unknown): string; withApi(doc: string, api: string): string; paths: { manifest: string; doc: string } };
    const doc = readFileSync(paths.doc, 'utf8');
    const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8')) as unknown;
    expect(doc, 'run `npm run manifest -w @ekyc/elements` and commit docs/elements.md').toBe(withApi(doc, apiMarkdown(manifest)));
  });

  it('declares every element with a summary, parts and custom properties', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'custom-elements.json'), 'utf8')) as { modules: { declarations?: Declaration[] }[] };
    const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);
    expect(elements.map((d) => d.tagName).sort()).toEqual([
      'ekyc-consent', 'ekyc-document-capture', 'ekyc-document-review', 'ekyc-error-screen', 'ekyc-flow', 'ekyc-handoff',
      'ekyc-liveness', 'ekyc-progress', 'ekyc-result', 'ekyc-upload',
    ]);
    for (const element of elements) {
      expect(element.summary, element.tagName).toBeTruthy();
      expect(element.cssParts?.length, element.tagName).toBeGreaterThan(0);
      expect(element.cssProperties?.length, element.tagName).toBeGreaterThan(0);
    }
    const flow = elements.find((d) => d.tagName === 'ekyc-flow')!;
    expect(flow.events?.map((e) => e.name).sort()).toEqual(['ekyc-cancel', 'ekyc-complete', 'ekyc-error', 'ekyc-guidance', 'ekyc-progress', 'ekyc-step']);
  });
});
