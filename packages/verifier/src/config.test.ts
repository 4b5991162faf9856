import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, publicJwkOf } from './config.ts';

const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'ekyc-config-'));

describe('loadConfig', () => {
  it('generates missing development secrets once, keeps them private, and reuses them', async () => {
    const dir = tempDir();
    const first = await loadConfig({}, dir);
    expect(first.generatedSecrets).toEqual(['VERIFIER_PRIVATE_JWK', 'VERIFIER_API_KEY', 'VERIFIER_TOKEN_SECRET', 'VERIFIER_KEK', 'VERIFIER_PEPPER']);
    expect(statSync(path.join(dir, '.ekyc-verifier', 'dev-secrets.json')).mode & 0o777).toBe(0o600);
    expect(first.databaseUrl).toBe(path.join(dir, '.ekyc-verifier', 'pglite'));
    const second = await loadConfig({}, dir);
    expect(second.generatedSecrets).toEqual([]);
    expect(second.apiKey).toBe(first.apiKey);
    const publicJwk = publicJwkOf(second.verifierPrivateJwk);
    expect(publicJwk).not.toHaveProperty('d');
    expect(publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ECDH-ES+A256KW', use: 'enc' });
  });

  it('refuses to start in production without its secrets, naming them, and refuses bad numbers', async () => {
    await expect(loadConfig({ NODE_ENV: 'production', VERIFIER_API_KEY: 'k' }, tempDir())).rejects.toMatchObject({
      code: 'invalid_argument', details: { missing: ['VERIFIER_PRIVATE_JWK', 'VERIFIER_TOKEN_SECRET', 'VERIFIER_KEK', 'VERIFIER_PEPPER'] },
    });
    await expect(loadConfig({ PORT: '70000' }, tempDir())).rejects.toThrow(/PORT must be an integer/);
    await expect(loadConfig({ VERIFIER_ROLE: 'admin' }, tempDir())).rejects.toThrow(/VERIFIER_ROLE/);
  });
});
