import { createHash, timingSafeEqual } from 'node:crypto';
import { EkycError } from '@ekyc/core';
import type { FastifyRequest } from 'fastify';
import type { ApiContext } from './context.ts';
import { appendAudit } from '../audit/log.ts';
import type { Operator, OperatorRole } from '../operators/store.ts';

export function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header);
  return match === null ? null : match[1]!;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export function isIntegrator(request: FastifyRequest, context: ApiContext): boolean {
  const token = bearerOf(request);
  // Compare digests: equal length, constant time, whatever the presented key's length.
  return token !== null && timingSafeEqual(digest(token), digest(context.apiKey));
}

export function requireIntegrator(request: FastifyRequest, context: ApiContext): void {
  if (!isIntegrator(request, context)) throw new EkycError('auth_failed', 'The integrator API key is missing or wrong.');
}

/** A client token for exactly this session. */
export async function requireClient(request: FastifyRequest, context: ApiContext, sessionId: string): Promise<void> {
  const token = bearerOf(request);
  if (token === null) throw new EkycError('auth_failed', 'A client token is required.');
  const subject = await context.tokens.verify(token);
  if (subject !== sessionId) throw new EkycError('auth_failed', 'The client token belongs to another session.');
}

/**
 * A reviewer or auditor (operator token, `ekop.<id>.<secret>`) whose role is in `roles`. Any other
 * bearer (integrator key, client token, wrong or disabled operator token) is `auth_failed`; an
 * operator whose role may not do this is `auth_forbidden`, and that refusal is audited.
 */
export async function requireOperator(request: FastifyRequest, context: ApiContext, roles: readonly OperatorRole[]): Promise<Operator> {
  const token = bearerOf(request);
  const operator = token === null ? null : await context.operators.authenticate(token);
  if (operator === null) throw new EkycError('auth_failed', 'An operator token is missing, wrong or disabled.');
  if (!roles.includes(operator.role)) {
    await appendAudit(context.store.db, {
      actorKind: 'operator', actorId: operator.id, action: 'access.denied', sessionId: null,
      details: { route: request.routeOptions.url ?? null, method: request.method, role: operator.role }, at: context.now(),
    });
    throw new EkycError('auth_forbidden', 'This operator role may not do this.', { details: { role: operator.role } });
  }
  return operator;
}
