/**
 * The deployment files: deploy/compose.yaml and packages/verifier/Dockerfile. With Docker's
 * compose plugin present, `docker compose config` validates the file; without it the test says it
 * skipped that step. Either way the YAML is parsed (merge keys resolved) and checked for what the
 * deployment promises: two API instances and one worker of the same image on PostgreSQL 15, a
 * stop grace period longer than the drain deadline, no secret in the file, only loopback ports;
 * and the Dockerfile for a multi-stage, non-root build whose copied paths still exist.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const COMPOSE = path.join(ROOT, 'deploy/compose.yaml');
const DOCKERFILE = path.join(ROOT, 'packages/verifier/Dockerfile');
const SECRET_NAMES = ['VERIFIER_PRIVATE_JWK', 'VERIFIER_API_KEY', 'VERIFIER_TOKEN_SECRET', 'VERIFIER_KEK', 'VERIFIER_PEPPER', 'VERIFIER_METRICS_TOKEN', 'VERIFIER_PREVIOUS_KEKS', 'VERIFIER_PREVIOUS_PEPPERS', 'VERIFIER_PREVIOUS_PRIVATE_JWKS'];

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  healthcheck?: unknown;
  read_only?: boolean;
}

function composeAvailable(): boolean {
  try {
    return spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}

describe('deployment files', () => {
  it('compose: valid for docker compose when present, and the promised topology either way', () => {
    if (composeAvailable()) {
      execFileSync('docker', ['compose', '-f', COMPOSE, 'config', '--quiet'], { env: { ...process.env, POSTGRES_PASSWORD: 'validation-only' }, stdio: 'pipe' });
    } else {
      console.log('[deploy] docker compose is not available here: skipped `docker compose config`; compose.yaml checked with the YAML parser only');
    }
    const compose = parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
    const services = compose.services;
    const verifiers = Object.entries(services).filter(([, service]) => service.environment?.VERIFIER_ROLE !== undefined);
    const roles = verifiers.map(([, service]) => service.environment!.VERIFIER_ROLE).sort();
    expect(roles).toEqual(['api', 'api', 'worker']);
    expect(services.postgres?.image).toMatch(/^postgres:15/);
    expect(services.postgres?.healthcheck).toBeDefined();
    for (const [name, service] of verifiers) {
      expect(service.build?.dockerfile, name).toBe('packages/verifier/Dockerfile');
      expect(existsSync(path.resolve(path.dirname(COMPOSE), service.build!.context, service.build!.dockerfile)), name).toBe(true);
      expect(service.depends_on?.postgres?.condition, name).toBe('service_healthy');
      expect(service.environment!.NODE_ENV, name).toBe('production');
      expect(service.environment!.DATABASE_URL, name).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(service.read_only, name).toBe(true);
      const grace = Number(/^(\d+)s$/.exec(service.stop_grace_period ?? '')?.[1]);
      expect(grace, name).toBeGreaterThan(Number(service.environment!.VERIFIER_SHUTDOWN_TIMEOUT_SECONDS));
      for (const secret of SECRET_NAMES) expect(service.environment, `${name} sets ${secret} inline`).not.toHaveProperty(secret);
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    const published = verifiers.flatMap(([, service]) => service.ports ?? []).map((port) => port.split(':')[1]);
    expect(new Set(published).size).toBe(published.length);
    // Database credentials come from the environment of `docker compose`, not from the file.
    expect((services.postgres!.environment as Record<string, string>).POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('Dockerfile: multi-stage, non-root, no secrets, every copied path present', () => {
    const text = readFileSync(DOCKERFILE, 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const final = stages.at(-1)!;
    expect(final).toMatch(/^USER (?!root\b|0\b)\S+/m);
    expect(final).toMatch(/^HEALTHCHECK /m);
    expect(final).toMatch(/^ENTRYPOINT \["node", "packages\/verifier\/bin\/ekyc-verifier\.js"\]/m);
    for (const secret of SECRET_NAMES) expect(text).not.toMatch(new RegExp(`^\\s*(ENV|ARG)\\b[^\\n]*\\b${secret}\\b`, 'm'));
    // Sources copied from the build context (not --from another stage) exist in the repository.
    const copied = [...text.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((match) => match[1]!.trim().split(/\s+/).slice(0, -1));
    expect(copied.length).toBeGreaterThan(5);
    for (const source of copied) expect(existsSync(path.join(ROOT, source)), source).toBe(true);
    // npm ci needs every workspace's package.json: they are found (depth 3), so each workspace must sit there.
    expect(text).toContain("find . -maxdepth 3 -name package.json");
    const workspaces = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    for (const workspace of workspaces) expect(workspace.split('/').length, workspace).toBeLessThanOrEqual(2);
    const ignore = readFileSync(`${DOCKERFILE}.dockerignore`, 'utf8');
    for (const excluded of ['**/node_modules', '**/.ekyc-verifier']) expect(ignore).toContain(excluded);
  });
});
