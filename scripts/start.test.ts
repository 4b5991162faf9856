import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

/**
 * `npm start` (scripts/start.mjs) as a user runs it: one process that builds the assets, starts
 * the verifier on PGlite and the dev server, serves the pages and the verifier's API on one origin
 * with the SDK's headers, keeps the integrator API key out of the browser's reach, and stops every
 * process it started on SIGINT. Bounded: a free port, an in-memory database, a temporary state
 * directory, and every wait capped.
 */
const root = path.resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function waitFor(child: ChildProcess, output: { text: string }, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${output.text.slice(-3000)}`)), ms);
    const check = (): void => {
      const match = pattern.exec(output.text);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(match);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited (${code}):\n${output.text.slice(-3000)}`)); });
    check();
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  const state = mkdtempSync(path.join(os.tmpdir(), 'ekyc-start-test-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('serves the demo, the auditor and the verifier on one origin with the SDK headers, and Ctrl-C stops every process', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
      cwd: root,
      env: { ...process.env, EKYC_PORT: String(port), VERIFIER_STATE_DIR: state, DATABASE_URL: '', VERIFIER_API_KEY: '', EKYC_SKIP_ASSETS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    child.stdout!.on('data', (chunk: Buffer) => { output.text += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { output.text += chunk.toString(); });
    try {
      const [, base] = await waitFor(child, output, /ekyc-start: ready (http:\/\/\S+)/, 200_000);
      const apiKey = /VERIFIER_API_KEY=(\S+)/.exec(output.text)?.[1];
      expect(apiKey, 'the generated API key is printed').toBeTruthy();
      expect(output.text.split(apiKey!).length - 1, 'and printed once').toBe(1);
      const verifierUrl = /verifier (http:\/\/\S+)/.exec(output.text)![1]!;

      for (const page of ['/demo/', '/demo/auditor.html']) {
        const answer = await fetch(`${base}${page}`);
        expect(answer.status, page).toBe(200);
        expect(answer.headers.get('cross-origin-opener-policy')).toBe('same-origin');
        expect(answer.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
        expect(answer.headers.get('content-security-policy-report-only')).toContain("script-src 'self'");
      }
      const health = await fetch(`${base}/api/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(health.headers.get('cross-origin-embedder-policy')).toBe('require-corp');

      // The page gets a session (client token, nonce, verifier public key), never the integrator key.
      const session = await fetch(`${base}/dev/session`, { method: 'POST' });
      expect(session.status).toBe(201);
      const text = await session.text();
      expect(text).not.toContain(apiKey!);
      const body = JSON.parse(text) as { sessionId: string; clientToken: string; verifierKey: { d?: string } };
      expect(body.clientToken).toBeTruthy();
      expect(body.verifierKey.d).toBeUndefined();
      // The integrator API behind /api still wants the key: the proxy adds none.
      expect((await fetch(`${base}/api/sessions/${body.sessionId}`)).status).toBe(401);

      // A development reviewer and auditor, their tokens printed once and accepted by the verifier behind /api.
      for (const role of ['reviewer', 'auditor']) {
        const operatorToken = new RegExp(`${role} token +(\\S+)`).exec(output.text)?.[1];
        expect(operatorToken, `${role} token printed`).toBeTruthy();
        expect(output.text.split(operatorToken!).length - 1).toBe(1);
        const me = await fetch(`${base}/api/operators/me`, { headers: { authorization: `Bearer ${operatorToken}` } });
        expect(await me.json()).toMatchObject({ role });
      }

      // In a browser: the demo page starts <ekyc-flow> on a session from /dev/session (consent first), the auditor page loads.
      const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
      try {
        const page = await browser.newPage();
        await page.goto(`${base}/demo/`);
        await page.click('#flow-start');
        await page.locator('ekyc-consent').waitFor({ state: 'visible', timeout: 120_000 });
        expect(await page.locator('#flow-status').textContent()).toMatch(/^Session ses_/);
        await page.goto(`${base}/demo/auditor.html?session=ses_example`);
        await page.locator('body[data-ready=true]').waitFor({ state: 'attached', timeout: 60_000 });
        expect(await page.inputValue('#session-id')).toBe('ses_example');
      } finally {
        await browser.close();
      }

      const verifierPid = Number(/ekyc-start: verifier pid (\d+)/.exec(output.text)?.[1]);
      expect(alive(verifierPid)).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000))])).toBe(0);
      expect(output.text).toContain('ekyc-start: stopped');
      expect(alive(verifierPid), 'the verifier is gone').toBe(false);
      await expect(fetch(`${base}/demo/`)).rejects.toThrow();
      await expect(fetch(`${verifierUrl}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 240_000);
});
