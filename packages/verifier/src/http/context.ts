import type { JWK } from 'jose';
import type { Logger } from 'pino';
import type { TokenIssuer } from '../crypto/tokens.ts';
import type { EvidenceIntake } from '../intake/intake.ts';
import type { SessionConfig } from '../session-config.ts';
import type { SessionStore } from '../storage/session-store.ts';
import type { ReviewApiContext } from '../review/wiring.ts';
import type { LivenessAttempts } from '../lockout/attempts.ts';

/** What the route plugins need; built once by the server. */
export interface ApiContext extends ReviewApiContext {
  store: SessionStore;
  intake: EvidenceIntake;
  tokens: TokenIssuer;
  apiKey: string;
  verifierPublicJwk: JWK;
  sessionDefaults: SessionConfig;
  maxSealedBytes: number;
  /** Largest request body: one chunk, or a whole bundle up to maxSealedBytes. */
  bodyLimit: number;
  logger: Logger;
  now: () => Date;
  /** Readiness probes (database, queue). */
  ready: () => Promise<Record<string, 'ok' | 'failed'>>;
  /** Liveness retries and lockout (POST /sessions/:id/liveness-attempts); absent: route not served. */
  attempts?: LivenessAttempts;
}
