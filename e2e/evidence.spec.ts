import { createHash } from 'node:crypto';
import { expect, test, type Page, type Request } from '@playwright/test';
import { MemoryNonceStore, verifyEvidence, EkycError, evidenceAck, evidencePartial, missingRanges } from '@ekyc/core';
import { exportJWK, generateKeyPair } from 'jose';
const UPLOAD_PATH = '/e2e-evidence-upload'; // same as e2e/pages/evidence.ts

/** The evidence page with no outbox left over from an earlier test. */
async function openWithEmptyOutbox(page: Page): Promise<void> {
  await page.goto('/e2e/pages/evidence.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase('ekyc-evidence-outbox');
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  }));
}

/**
 * Built, signed and encrypted in Chromium; decrypted and verified in Node. The upload endpoint
 * is Playwright's network layer: first offline (every request aborted), then accepting.
 */
test('a bundle sealed in the browser survives a reload while offline and verifies in Node', async ({ page }) => {
  const verifier = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const publicJwk = { ...(await exportJWK(verifier.publicKey)), kid: 'verifier-2025-01' };
  const nonceStore = new MemoryNonceStore();
  const { nonce } = await nonceStore.issue('e2e-session');

  await openWithEmptyOutbox(page);

  let offlineAttempts = 0;
  await page.route(`**${UPLOAD_PATH}`, async (route) => {
    offlineAttempts += 1;
    await route.abort('internetdisconnected');
  });
  const artifactBytes = [600_000, 200_000, 150_000, 150_000, 150_000, 150_000];
  const sealed = await page.evaluate(
    ([jwk, n, sizes]) => window.evidenceTest.sealAndSubmit(jwk, 'e2e-session', n, sizes),
    [publicJwk, nonce, artifactBytes] as const,
  );
  expect(sealed.delivered).toBe(false);
  expect(sealed.errorCode).toBe('transport_failed');
  expect(offlineAttempts).toBe(2);
  const sealedBytes = Buffer.from(sealed.sealedBase64, 'base64');
  expect(sealed.id).toBe(createHash('sha256').update(sealedBytes).digest('hex'));
  const header = JSON.parse(Buffer.from(sealedBytes.toString('utf8').split('.')[0]!, 'base64url').toString('utf8'));
  // In the clear: algorithms and the verifier-issued session id and nonce (checked before decryption).
  expect(header).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'verifier-2025-01', ekyc_sid: 'e2e-session', ekyc_nonce: nonce });
  expect(Object.keys(header).sort()).toEqual(['alg', 'cty', 'ekyc_nonce', 'ekyc_sid', 'enc', 'epk', 'kid']);
  console.log(`browser: build+sign ${sealed.timings.buildMs.toFixed(1)} ms, seal ${sealed.timings.sealMs.toFixed(1)} ms, ${(sealed.sealedBytes / 1e6).toFixed(2)} MB sealed`);

  await page.reload();
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  expect(await page.evaluate(() => window.evidenceTest.pending())).toEqual([
    { id: sealed.id, attempts: 1, lastError: 'transport_failed', bytes: sealedBytes.byteLength },
  ]);

  await page.unroute(`**${UPLOAD_PATH}`);
  const received: Request[] = [];
  const bodies: Buffer[] = [];
  const held = new Set<number>();
  await page.route(`**${UPLOAD_PATH}`, async (route) => {
    received.push(route.request());
    bodies.push(route.request().postDataBuffer() ?? Buffer.alloc(0));
    const key = route.request().headers()['idempotency-key']!;
    const [index, count] = (route.request().headers()['evidence-chunk'] ?? '0/1').split('/').map(Number) as [number, number];
    held.add(index);
    const missing = missingRanges(count, held);
    const answer = missing.length === 0 ? { status: 201, body: evidenceAck(key) } : { status: 202, body: evidencePartial(key, missing) };
    await route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) });
  });
  expect(await page.evaluate(() => window.evidenceTest.flush())).toEqual({ delivered: [sealed.id], pending: [], rejected: [], expired: [] });
  expect(await page.evaluate(() => window.evidenceTest.pending())).toEqual([]);

  // About 1.9 MB in 1 MiB chunks, each with the same idempotency key.
  const chunkCount = Math.ceil(sealedBytes.byteLength / (1024 * 1024));
  expect(chunkCount).toBeGreaterThan(1);
  expect(received.map((request) => request.headers()['evidence-chunk'])).toEqual(Array.from({ length: chunkCount }, (_, index) => `${index}/${chunkCount}`));
  expect(new Set(received.map((request) => request.headers()['idempotency-key']))).toEqual(new Set([sealed.id]));
  const uploaded = new Uint8Array(Buffer.concat(bodies));
  expect(Buffer.from(uploaded).equals(sealedBytes)).toBe(true);

  const verified = await verifyEvidence(uploaded, { decryptionKey: verifier.privateKey, nonceStore });
  expect(verified.bundle.manifest.session).toMatchObject({ id: 'e2e-session', nonce });
  expect(verified.bundle.manifest.artifacts.map((artifact) => artifact.bytes)).toEqual(artifactBytes);

  const replay = await verifyEvidence(uploaded, { decryptionKey: verifier.privateKey, nonceStore }).catch((error: unknown) => error);
  expect(replay).toBeInstanceOf(EkycError);
  expect((replay as EkycError).code).toBe('evidence_nonce_replayed');
});

/** A captive portal answers the upload with a redirect to its own 200 page: that is not delivery. */
test('a redirect to a captive portal keeps the bundle in the outbox', async ({ page }) => {
  const verifier = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const publicJwk = await exportJWK(verifier.publicKey);
  const { nonce } = await new MemoryNonceStore().issue('e2e-portal');
  await openWithEmptyOutbox(page);
  let uploads = 0;
  let portalVisits = 0;
  await page.route(`**${UPLOAD_PATH}`, async (route) => {
    uploads += 1;
    await route.fulfill({ status: 302, headers: { Location: '/e2e-portal' } });
  });
  await page.route('**/e2e-portal', async (route) => {
    portalVisits += 1;
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<html>Welcome to the hotel Wi-Fi</html>' });
  });
  const result = await page.evaluate(([jwk, n]) => window.evidenceTest.sealAndSubmit(jwk, 'e2e-portal', n, [1_000]), [publicJwk, nonce] as const);
  expect(result.delivered).toBe(false);
  expect(result.errorCode).toMatch(/^transport_(failed|not_acknowledged)$/);
  expect(uploads).toBe(2);
  expect(portalVisits).toBe(0);
  expect(await page.evaluate(() => window.evidenceTest.pending())).toEqual([
    { id: result.id, attempts: 1, lastError: result.errorCode, bytes: result.sealedBytes },
  ]);
});
