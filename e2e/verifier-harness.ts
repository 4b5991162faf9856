// The reference verifier as the browser specs use it: its bin started as a child process, and
// a page's same-origin requests forwarded to it.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Route } from '@playwright/test';
import { exportJWK, generateKeyPair } from 'jose';

/**
 * A route handler that forwards a page's same-origin `prefix` requests (path and query) to the
 * verifier, as a reverse proxy does under `npm start`. A request the page abandons meanwhile
 * (navigation, a closed page, an aborted poll) disposes Playwright's response; that is the page
 * moving on, not a failure, and so is a poll still in flight when the test ends ("Test ended"):
 * both are dropped instead of failing the test from the handler.
 */
export function forwardTo(verifierUrl: string, prefix: string): (route: Route) => Promise<void> {
  return async (route) => {
    const url = new URL(route.request().url());
    try {
      await route.fulfill({ response: await route.fetch({ url: verifierUrl + url.pathname.slice(prefix.length) + url.search }) });
    } catch (error) {
      if (!/disposed|closed|Route is already handled|Test ended/i.test(String(error))) throw error;
    }
  };
}

/** Starts the verifier's bin with `env` and resolves once it says where it listens. */
export async function startVerifier(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['packages/verifier/bin/ekyc-verifier.js'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('exit', (code) => reject(new Error(`verifier exited (${code}): ${output.slice(-2000)}`)));
  });
}

const secret = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');

/**
 * The verifier as every browser spec runs it: on PGlite in memory, state in `stateDir`, a fresh key pair,
 * API key and secrets, sanctions and velocity screening optional; `env` adds to or overrides that.
 */
export async function startTestVerifier(stateDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; apiKey: string }> {
  const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const apiKey = `e2e_${secret()}`;
  const verifier = await startVerifier({
    PORT: '0', DATABASE_URL: 'memory:', VERIFIER_STATE_DIR: stateDir, LOG_LEVEL: 'warn',
    VERIFIER_PRIVATE_JWK: JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'e2e-key' }), VERIFIER_API_KEY: apiKey,
    VERIFIER_TOKEN_SECRET: secret(), VERIFIER_KEK: secret(), VERIFIER_PEPPER: secret(),
    VERIFIER_RISK_OPTIONAL_SIGNALS: 'sanctions,device_velocity',
    ...env,
  });
  return { ...verifier, apiKey };
}
