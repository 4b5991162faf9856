/**
 * Cross-device handoff: the device holding a session's client token (a desktop without a camera)
 * asks for a short-lived, single-use link; another device (the user's phone) exchanges the link's
 * token once for its own client token of the same session, and the first device follows the
 * session's status. Also the client's bootstrap (`GET /sessions/:id/client`): what a page holding
 * only a session id and client token needs to run the flow (nonce, configuration, verifier key).
 *
 * Only the SHA-256 of a handoff token is stored. The exchange is one atomic UPDATE (unused, not
 * revoked, unexpired, session still open), so two phones racing on one link get one token between them.
 */
import { createHash } from 'node:crypto';
import { EkycError, type EkycErrorCode } from '@ekyc/core';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireClient } from './auth.ts';
import type { ApiContext } from './context.ts';
import { sessionConfigSchema } from '../session-config.ts';
import { errorBodySchema, sessionIdSchema, sessionParamsSchema, verifierJwkSchema } from './schemas.ts';

/** Default link lifetime: long enough to scan a QR code and open it, short enough that a photo of the screen soon goes stale. */
export const HANDOFF_TTL_SECONDS = 300;

const handoffTokenSchema = z.string().regex(/^hof_[A-Za-z0-9_-]{43}$/).describe('Single-use handoff token from the link');

const createHandoffResponseSchema = z.object({
  sessionId: sessionIdSchema,
  handoffToken: handoffTokenSchema,
  expiresAt: z.iso.datetime(),
  ttlSeconds: z.number().int(),
});

const handoffStatusResponseSchema = z.object({
  sessionId: sessionIdSchema,
  /** `none`: no link issued; `pending`: issued, unused; `exchanged`: a device took it; `expired`: unused and past its time (or revoked). */
  state: z.enum(['none', 'pending', 'exchanged', 'expired']),
  expiresAt: z.iso.datetime().nullable(),
  exchangedAt: z.iso.datetime().nullable(),
});

const clientSessionResponseSchema = z.object({
  sessionId: sessionIdSchema,
  nonce: z.string(),
  expiresAt: z.iso.datetime(),
  config: sessionConfigSchema,
  verifierKey: verifierJwkSchema,
  endpoints: z.object({ key: z.string(), evidence: z.string(), status: z.string(), handoff: z.string() }),
});

const exchangeResponseSchema = clientSessionResponseSchema.extend({
  clientToken: z.string().describe('A client token of the same session for this device'),
  clientTokenExpiresAt: z.iso.datetime(),
});

export interface HandoffOptions {
  ttlSeconds?: number;
}

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
const newHandoffToken = (): string => `hof_${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

const endpointsOf = (id: string) => ({ key: `/sessions/${id}/key`, evidence: `/sessions/${id}/evidence`, status: `/sessions/${id}`, handoff: `/sessions/${id}/handoff` });

/** Refusals of this plugin answer with their own status (the shared map does not know these codes). */
const STATUS: Partial<Record<EkycErrorCode, number>> = {
  handoff_invalid: 404,
  handoff_used: 409,
  handoff_expired: 410,
  handoff_unavailable: 409,
  session_expired: 410,
};

function refuse(reply: FastifyReply, code: EkycErrorCode): FastifyReply {
  return reply.code(STATUS[code] ?? 400).send({ code });
}

interface HandoffRow {
  session_id: string;
  expires_at: Date | string;
  exchanged_at: Date | string | null;
  revoked_at: Date | string | null;
}

export function handoffPlugin(context: ApiContext, options: HandoffOptions = {}): FastifyPluginAsync {
  const ttlSeconds = options.ttlSeconds ?? HANDOFF_TTL_SECONDS;
  const { store } = context;
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    const clientSession = async (id: string) => {
      const session = await store.getSession(id);
      if (session === null) throw new EkycError('session_not_found', 'No session has this id.');
      return {
        sessionId: session.id,
        nonce: session.nonce,
        expiresAt: session.expiresAt.toISOString(),
        config: session.config,
        verifierKey: context.verifierPublicJwk as never,
        endpoints: endpointsOf(session.id),
      };
    };

    app.get('/sessions/:id/client', {
      schema: {
        summary: 'What the client needs to run the session',
        description: 'Client token. The nonce, session configuration and verifier key, for a page that was handed only the session id and client token.',
        tags: ['handoff'],
        security: [{ clientToken: [] }],
        params: sessionParamsSchema,
        response: { 200: clientSessionResponseSchema, 401: errorBodySchema, 404: errorBodySchema },
      },
    }, async (request) => {
      await requireClient(request, context, request.params.id);
      return clientSession(request.params.id);
    });

    app.post('/sessions/:id/handoff', {
      schema: {
        summary: 'Issue a single-use link to continue the session on another device',
        description: `Client token. Returns a token for the link (put it in the URL fragment), valid ${ttlSeconds} s and never past the session's expiry. A new link revokes the session's unused ones. Refused once a signing key is bound or evidence arrived (\`handoff_unavailable\`), or when the session expired.`,
        tags: ['handoff'],
        security: [{ clientToken: [] }],
        params: sessionParamsSchema,
        response: { 201: createHandoffResponseSchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 410: errorBodySchema },
      },
    }, async (request, reply) => {
      const { id } = request.params;
      await requireClient(request, context, id);
      const now = context.now();
      const session = await store.getSession(id);
      if (session === null) throw new EkycError('session_not_found', 'No session has this id.');
      if (session.expiresAt.getTime() <= now.getTime()) return refuse(reply, 'session_expired');
      // The phone binds its own signing key; a session with a key already bound cannot move.
      if (session.status !== 'created') return refuse(reply, 'handoff_unavailable');
      const token = newHandoffToken();
      const expiresAt = new Date(Math.min(now.getTime() + ttlSeconds * 1000, session.expiresAt.getTime()));
      await store.db.transaction(async (tx) => {
        await tx.query('UPDATE verifier_handoffs SET revoked_at = $2 WHERE session_id = $1 AND exchanged_at IS NULL AND revoked_at IS NULL', [id, now]);
        await tx.query('INSERT INTO verifier_handoffs (token_sha256, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash(token), id, now, expiresAt]);
      });
      context.logger.info({ sessionId: id }, 'handoff issued');
      return reply.code(201).send({ sessionId: id, handoffToken: token, expiresAt: expiresAt.toISOString(), ttlSeconds: Math.round((expiresAt.getTime() - now.getTime()) / 1000) });
    });

    app.get('/sessions/:id/handoff', {
      schema: {
        summary: 'State of the session\'s latest handoff link',
        description: 'Client token. Whether the latest link is pending, was exchanged by another device, or expired; the session status itself is `GET /sessions/:id`.',
        tags: ['handoff'],
        security: [{ clientToken: [] }],
        params: sessionParamsSchema,
        response: { 200: handoffStatusResponseSchema, 401: errorBodySchema },
      },
    }, async (request) => {
      const { id } = request.params;
      await requireClient(request, context, id);
      const rows = await store.db.query<HandoffRow>(
        'SELECT session_id, expires_at, exchanged_at, revoked_at FROM verifier_handoffs WHERE session_id = $1 ORDER BY created_at DESC LIMIT 1', [id],
      );
      const row = rows.rows[0];
      if (row === undefined) return { sessionId: id, state: 'none' as const, expiresAt: null, exchangedAt: null };
      const expiresAt = asDate(row.expires_at);
      const exchangedAt = row.exchanged_at === null ? null : asDate(row.exchanged_at);
      const state = exchangedAt !== null ? 'exchanged' as const
        : row.revoked_at !== null || expiresAt.getTime() <= context.now().getTime() ? 'expired' as const : 'pending' as const;
      return { sessionId: id, state, expiresAt: expiresAt.toISOString(), exchangedAt: exchangedAt?.toISOString() ?? null };
    });

    app.post('/handoff/exchange', {
      schema: {
        summary: 'Exchange a handoff token for a client token of its session',
        description: 'No bearer: the single-use token is the credential. Answers what the client needs to run the session, with a client token for this device. `handoff_invalid` (404), `handoff_used` (409), `handoff_expired` (410), `handoff_unavailable` (409), `session_expired` (410).',
        tags: ['handoff'],
        body: z.object({ handoffToken: z.string().max(256) }).strict(),
        response: { 201: exchangeResponseSchema, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 410: errorBodySchema },
      },
    }, async (request, reply) => {
      const { handoffToken } = request.body;
      if (!handoffTokenSchema.safeParse(handoffToken).success) return refuse(reply, 'handoff_invalid');
      const hash = tokenHash(handoffToken);
      const now = context.now();
      const taken = await store.db.query<{ session_id: string }>(
        `UPDATE verifier_handoffs h SET exchanged_at = $2
         FROM verifier_sessions s
         WHERE h.token_sha256 = $1 AND h.exchanged_at IS NULL AND h.revoked_at IS NULL AND h.expires_at > $2
           AND s.id = h.session_id AND s.status = 'created' AND s.expires_at > $2
         RETURNING h.session_id`,
        [hash, now],
      );
      const sessionId = taken.rows[0]?.session_id;
      if (sessionId === undefined) return refuse(reply, await whyNotExchanged(hash, now));
      const session = await clientSession(sessionId);
      const client = await context.tokens.issue(sessionId, new Date(session.expiresAt));
      context.logger.info({ sessionId }, 'handoff exchanged');
      return reply.code(201).send({ ...session, clientToken: client.token, clientTokenExpiresAt: client.expiresAt.toISOString() });
    });

    /** Read after a refused exchange, to name the refusal. */
    async function whyNotExchanged(hash: string, now: Date): Promise<EkycErrorCode> {
      const found = await store.db.query<HandoffRow>('SELECT session_id, expires_at, exchanged_at, revoked_at FROM verifier_handoffs WHERE token_sha256 = $1', [hash]);
      const row = found.rows[0];
      if (row === undefined) return 'handoff_invalid';
      if (row.exchanged_at !== null) return 'handoff_used';
      if (row.revoked_at !== null || asDate(row.expires_at).getTime() <= now.getTime()) return 'handoff_expired';
      const session = await store.getSession(row.session_id);
      if (session === null) return 'handoff_invalid';
      if (session.expiresAt.getTime() <= now.getTime()) return 'session_expired';
      return 'handoff_unavailable';
    }
  };
}
