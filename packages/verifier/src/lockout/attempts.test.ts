/**
 * Retries and lockout on PGlite and PostgreSQL with a clock the test moves: 1 + maxRetries
 * attempts per session; the 6th failure within 3 minutes locks the device and the address out,
 * released after the period; counted per device and per address (IPv6 by /64); nothing raw stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkycError, generateNonce } from '@ekyc/core';
import { openDatabase, type Database } from '../db/driver.ts';
import { migrate } from '../db/migrate.ts';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { SessionStore } from '../storage/session-store.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { LivenessAttempts, addressKey } from './attempts.ts';

const codeOf = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (error) {
    if (error instanceof EkycError) return error.details?.retryAfterSeconds === undefined ? error.code : `${error.code}:${String(error.details.retryAfterSeconds)}`;
    throw error;
  }
  return 'recorded';
};

describe('addressKey', () => {
  it('counts IPv4 as is, mapped IPv6 as its IPv4, IPv6 by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb::9'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
  });
});

describe.each(['pglite', 'postgres'] as const)('liveness retries and lockout on %s', (kind) => {
  const skip = kind === 'postgres' && !postgresAvailable();
  let pgServer: TestPostgres | null = null;
  let db: Database;
  let store: SessionStore;
  let attempts: LivenessAttempts;
  let clock = new Date('2026-04-01T08:00:00.000Z');
  const advance = (seconds: number): void => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };

  beforeAll(async () => {
    if (skip) return;
    if (kind === 'postgres') pgServer = await startTestPostgres();
    db = await openDatabase(pgServer?.url ?? 'memory:');
    await migrate(db);
    store = new SessionStore(db);
    attempts = new LivenessAttempts(db, new TextEncoder().encode('test-pepper-0123456789abcdef'), { maxFailures: 5, windowSeconds: 180, lockoutSeconds: 600 });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await pgServer?.stop();
  });

  const session = async (maxRetries = 10): Promise<string> => {
    const id = `ses_lock_${Math.random().toString(36).slice(2, 12)}`;
    await store.createSession({ id, nonce: generateNonce(), createdAt: clock, expiresAt: new Date(clock.getTime() + 3_600_000), config: { ...DEFAULT_SESSION_CONFIG, maxRetries }, integratorReference: null });
    return id;
  };
  const device = (): string => `dev_${Math.random().toString(36).slice(2)}_${'x'.repeat(12)}`;
  const fail = (sessionId: string, deviceId: string, ip: string) => codeOf(() => attempts.record({ sessionId, deviceId, ip, passed: false }, clock));

  it.skipIf(skip)('allows 1 + maxRetries attempts per session', async () => {
    const id = await session(2);
    const phone = device();
    expect(await attempts.record({ sessionId: id, deviceId: phone, ip: '198.51.100.1', passed: false }, clock)).toEqual({ attempt: 1, attemptsAllowed: 3, attemptsRemaining: 2 });
    expect(await attempts.record({ sessionId: id, deviceId: phone, ip: '198.51.100.1', passed: false }, clock)).toMatchObject({ attempt: 2, attemptsRemaining: 1 });
    expect(await attempts.record({ sessionId: id, deviceId: phone, ip: '198.51.100.1', passed: true }, clock)).toMatchObject({ attempt: 3, attemptsRemaining: 0 });
    expect(await codeOf(() => attempts.record({ sessionId: id, deviceId: phone, ip: '198.51.100.1', passed: true }, clock))).toBe('session_retries_exhausted');
    const zero = await session(0);
    expect(await attempts.record({ sessionId: zero, deviceId: device(), ip: '198.51.100.2', passed: true }, clock)).toEqual({ attempt: 1, attemptsAllowed: 1, attemptsRemaining: 0 });
    expect(await codeOf(() => attempts.record({ sessionId: zero, deviceId: device(), ip: '198.51.100.2', passed: true }, clock))).toBe('session_retries_exhausted');
    expect(await codeOf(() => attempts.record({ sessionId: 'ses_unknown', deviceId: device(), ip: '198.51.100.2', passed: true }, clock))).toBe('session_not_found');
  });

  it.skipIf(skip)('concurrent reports never exceed the allowance', async () => {
    const id = await session(3);
    const phone = device();
    const results = await Promise.all(Array.from({ length: 8 }, () => codeOf(() => attempts.record({ sessionId: id, deviceId: phone, ip: '198.51.100.3', passed: true }, clock))));
    expect(results.filter((result) => result === 'recorded')).toHaveLength(4);
    expect(results.filter((result) => result === 'session_retries_exhausted')).toHaveLength(4);
  });

  it.skipIf(skip)('locks a device out on its 6th failure within 3 minutes, across sessions and addresses, and releases it after the period', async () => {
    const phone = device();
    for (let index = 0; index < 5; index += 1) {
      expect(await fail(await session(), phone, `192.0.2.${10 + index}`)).toBe('recorded');
      advance(30);
    }
    // 5 failures in 120 s: not yet. The 6th at 150 s locks for 600 s.
    expect(await fail(await session(), phone, '192.0.2.20')).toBe('liveness_locked_out:600');
    advance(1);
    expect(await codeOf(() => attempts.record({ sessionId: 'ses_any', deviceId: phone, ip: '192.0.2.99', passed: true }, clock))).toBe('liveness_locked_out:599');
    expect(await codeOf(() => attempts.assertNotLockedOut('192.0.2.99', phone, clock))).toBe('liveness_locked_out:599');
    // Another device on a fresh address is not affected.
    expect(await fail(await session(), device(), '192.0.2.100')).toBe('recorded');
    advance(598);
    expect(await codeOf(() => attempts.assertNotLockedOut('192.0.2.99', phone, clock))).toBe('liveness_locked_out:1');
    advance(1);
    expect(await codeOf(() => attempts.assertNotLockedOut('192.0.2.99', phone, clock))).toBe('recorded');
    expect(await attempts.record({ sessionId: await session(), deviceId: phone, ip: '192.0.2.21', passed: true }, clock)).toMatchObject({ attempt: 1 });
    // Only the device was locked (each failure came from another address).
    expect(await attempts.purgeExpired(clock)).toEqual({ lockouts: 1 });
  });

  it.skipIf(skip)('does not lock when the failures are spread over more than 3 minutes', async () => {
    const phone = device();
    for (let index = 0; index < 5; index += 1) {
      expect(await fail(await session(), phone, `192.0.2.${30 + index}`)).toBe('recorded');
      advance(40);
    }
    // The first failure is 200 s old now: 5 in the window, including this one.
    expect(await fail(await session(), phone, '192.0.2.40')).toBe('recorded');
    expect(await fail(await session(), phone, '192.0.2.41')).toBe('liveness_locked_out:600');
    advance(3600);
  });

  it.skipIf(skip)('locks an address out whatever the device ids, an IPv6 /64 as one address, and stores neither raw', async () => {
    for (let index = 0; index < 5; index += 1) expect(await fail(await session(), device(), `2001:db8:aa:bb::${index + 1}`)).toBe('recorded');
    expect(await fail(await session(), device(), '2001:db8:aa:bb:ffff::9')).toBe('liveness_locked_out:600');
    expect(await codeOf(() => attempts.assertNotLockedOut('2001:db8:aa:bb::77', null, clock))).toBe('liveness_locked_out:600');
    expect(await codeOf(() => attempts.assertNotLockedOut('2001:db8:aa:bc::77', null, clock))).toBe('recorded');
    const dump = JSON.stringify([
      (await db.query('SELECT * FROM verifier_liveness_attempts')).rows,
      (await db.query('SELECT * FROM verifier_lockouts')).rows,
    ]);
    expect(dump).not.toMatch(/2001:db8|192\.0\.2\.|198\.51\.100\.|dev_/);
    advance(3600);
  });
});
