/**
 * SSRF rules for webhook targets (docs/verifier-webhooks.md). A target is resolved at delivery
 * time and every address it resolves to must be public unicast (or inside the explicit
 * allow-list); the request then connects to the address that was checked, never resolving the
 * name again, so a DNS answer that changes between check and connect (rebinding) cannot move the
 * request to an internal address.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { EkycError } from '@ekyc/core';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type AllowList = readonly [Address, number][];

/** `VERIFIER_WEBHOOK_ALLOW_PRIVATE`: comma list of CIDRs or single addresses (e.g. `127.0.0.1/32,::1`). */
export function parseAllowList(value: string | undefined): AllowList {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').map((entry) => {
    try {
      if (entry.includes('/')) return ipaddr.parseCIDR(entry);
      const address = ipaddr.parse(entry);
      return [address, address.kind() === 'ipv4' ? 32 : 128] as [Address, number];
    } catch (cause) {
      throw new EkycError('invalid_argument', 'VERIFIER_WEBHOOK_ALLOW_PRIVATE is a comma list of IP addresses or CIDR ranges.', { cause, details: { entry } });
    }
  });
}

const inAllowList = (address: Address, allow: AllowList): boolean =>
  allow.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));

/**
 * Why `text` (an IP address) may not be a webhook target, or null when it may. Only public
 * unicast passes: loopback, private, link-local (cloud metadata), carrier-grade NAT, unique-local,
 * multicast, reserved, unspecified, and IPv6 forms embedding IPv4 (mapped, 6to4, Teredo, NAT64)
 * are refused unless the allow-list names them. A mapped address is judged as its IPv4 address.
 */
export function refusedRange(text: string, allow: AllowList): string | null {
  let address: Address = ipaddr.parse(text);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  if (inAllowList(address, allow)) return null;
  const range = address.range();
  return range === 'unicast' ? null : range;
}

export interface ResolvedTarget {
  url: URL;
  /** The checked address the request connects to. */
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Scheme and form only (start-up): https in production, http allowed outside it; no credentials in the URL. */
export function checkTargetUrl(raw: string, options: { requireHttps: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new EkycError('webhook_target_refused', 'A webhook URL does not parse.', { cause, details: { reason: 'url' } });
  }
  const schemes = options.requireHttps ? ['https:'] : ['https:', 'http:'];
  if (!schemes.includes(url.protocol)) throw new EkycError('webhook_target_refused', `A webhook URL must use ${schemes.join(' or ')}.`, { details: { reason: 'scheme' } });
  if (url.username !== '' || url.password !== '') throw new EkycError('webhook_target_refused', 'A webhook URL must not carry credentials.', { details: { reason: 'credentials' } });
  return url;
}

/**
 * Resolves and checks a target now. Every resolved address must pass (a name answering with one
 * public and one internal address is refused), and the first is the one to connect to.
 */
export async function resolveTarget(url: URL, allow: AllowList, resolve: Resolver = systemResolver): Promise<ResolvedTarget> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (cause) {
      throw new EkycError('webhook_target_refused', 'A webhook host does not resolve.', { cause, recoverable: true, details: { reason: 'dns' } });
    }
  }
  if (addresses.length === 0) throw new EkycError('webhook_target_refused', 'A webhook host resolves to no address.', { recoverable: true, details: { reason: 'dns' } });
  for (const { address } of addresses) {
    const range = refusedRange(address, allow);
    if (range !== null) throw new EkycError('webhook_target_refused', 'A webhook host resolves to an address outside the public ranges.', { details: { reason: 'address', range } });
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
