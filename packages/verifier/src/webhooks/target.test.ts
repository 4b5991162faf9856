/** SSRF rules for webhook targets: ranges, mapped forms, names resolving inward, the allow-list, start-up checks. */
import { describe, expect, it } from 'vitest';
import { EkycError } from '@ekyc/core';
import { loadWebhookConfig } from './config.ts';
import { checkTargetUrl, parseAllowList, refusedRange, resolveTarget } from './target.ts';

const refusal = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (error) {
    if (error instanceof EkycError) return `${error.code}:${String(error.details?.reason)}:${String(error.details?.range ?? '')}`;
    throw error;
  }
  return 'allowed';
};

describe('webhook targets (SSRF)', () => {
  it('refuses loopback, private, link-local, reserved and IPv4-embedding addresses; allows public unicast', () => {
    const cases: [string, string | null][] = [
      ['127.0.0.1', 'loopback'], ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['192.168.1.1', 'private'],
      ['169.254.169.254', 'linkLocal'], ['100.64.0.1', 'carrierGradeNat'], ['0.0.0.0', 'unspecified'], ['240.0.0.1', 'reserved'],
      ['224.0.0.1', 'multicast'], ['255.255.255.255', 'broadcast'],
      ['::1', 'loopback'], ['::', 'unspecified'], ['fc00::1', 'uniqueLocal'], ['fe80::1', 'linkLocal'],
      ['::ffff:127.0.0.1', 'loopback'], ['::ffff:169.254.169.254', 'linkLocal'], ['64:ff9b::7f00:1', 'rfc6052'], ['2002:7f00:1::', '6to4'],
      ['93.184.216.34', null], ['2606:4700:4700::1111', null],
    ];
    for (const [address, range] of cases) expect([address, refusedRange(address, [])]).toEqual([address, range]);
  });

  it('refuses URLs with such literals, including the bracketed IPv6 and mapped forms', async () => {
    for (const url of ['http://127.0.0.1/', 'http://10.0.0.5:8080/x', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/']) {
      expect([url, await refusal(() => resolveTarget(new URL(url), []))]).toEqual([url, expect.stringMatching(/^webhook_target_refused:address:/)]);
    }
  });

  it('refuses a host name resolving to loopback (the system resolver), and one with any inward answer', async () => {
    expect(await refusal(() => resolveTarget(new URL('http://localhost:9/'), []))).toMatch(/^webhook_target_refused:address:loopback$/);
    const mixed = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }];
    expect(await refusal(() => resolveTarget(new URL('https://hooks.example.test/'), [], mixed))).toBe('webhook_target_refused:address:private');
    const outward = async () => [{ address: '93.184.216.34', family: 4 }];
    expect(await resolveTarget(new URL('https://hooks.example.test/'), [], outward)).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it('lets the allow-list through (local development receivers), and only it', async () => {
    const allow = parseAllowList('127.0.0.1/32, ::1');
    expect(await resolveTarget(new URL('http://127.0.0.1:8080/'), allow)).toMatchObject({ address: '127.0.0.1' });
    expect(await resolveTarget(new URL('http://[::1]:8080/'), allow)).toMatchObject({ address: '::1' });
    expect(await resolveTarget(new URL('http://[::ffff:127.0.0.1]:8080/'), allow)).toMatchObject({ family: 6 });
    expect(await refusal(() => resolveTarget(new URL('http://127.0.0.2/'), allow))).toBe('webhook_target_refused:address:loopback');
    expect(await refusal(() => resolveTarget(new URL('http://10.0.0.1/'), allow))).toBe('webhook_target_refused:address:private');
    expect(() => parseAllowList('127.0.0.1/33')).toThrow(EkycError);
  });

  it('requires https in production and refuses credentials in the URL', () => {
    expect(() => checkTargetUrl('http://hooks.example.com/', { requireHttps: true })).toThrow(/https:/);
    expect(checkTargetUrl('http://hooks.example.com/', { requireHttps: false }).protocol).toBe('http:');
    expect(() => checkTargetUrl('https://user:pw@hooks.example.com/', { requireHttps: true })).toThrow(/credentials/);
    expect(() => checkTargetUrl('ftp://hooks.example.com/', { requireHttps: false })).toThrow(EkycError);
  });

  it('checks the configuration at start-up with messages naming the variable', () => {
    const secret = 'whsec_0123456789abcdefghijklmnopqrstuvwxyz';
    expect(() => loadWebhookConfig({ VERIFIER_WEBHOOK_URLS: 'http://hooks.example.com/' }, true)).toThrow(/VERIFIER_WEBHOOK_URLS entry 1 is refused \(scheme: https is required in production\)/);
    expect(() => loadWebhookConfig({ VERIFIER_WEBHOOK_URLS: 'https://hooks.example.com/' }, true)).toThrow(/VERIFIER_WEBHOOK_SECRETS is required/);
    expect(() => loadWebhookConfig({ VERIFIER_WEBHOOK_URLS: 'https://hooks.example.com/', VERIFIER_WEBHOOK_SECRETS: 'short' }, true)).toThrow(/shorter than 32/);
    expect(() => loadWebhookConfig({ VERIFIER_WEBHOOK_URLS: 'http://127.0.0.1:3000/', VERIFIER_WEBHOOK_SECRETS: secret }, false)).toThrow(/loopback address; list it in VERIFIER_WEBHOOK_ALLOW_PRIVATE/);
    expect(() => loadWebhookConfig({ VERIFIER_WEBHOOK_MAX_ATTEMPTS: '0' }, false)).toThrow(/VERIFIER_WEBHOOK_MAX_ATTEMPTS/);
    const config = loadWebhookConfig({ VERIFIER_WEBHOOK_URLS: 'http://127.0.0.1:3000/h', VERIFIER_WEBHOOK_SECRETS: `${secret},${secret}x`, VERIFIER_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32' }, false);
    expect(config.targets.map((target) => target.url.href)).toEqual(['http://127.0.0.1:3000/h']);
    expect(config.secrets).toHaveLength(2);
    expect(loadWebhookConfig({}, true).targets).toEqual([]);
  });
});
