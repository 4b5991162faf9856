/**
 * The session configuration the verifier hands the client with every session (seed 004): what
 * documents and countries are accepted, the thresholds it will judge by, how many liveness
 * challenges to run, how many retries are allowed and how long the session lives.
 */
import { liveness } from '@ekyc/core';
import { z } from 'zod';

export const sessionConfigSchema = z.object({
  acceptedDocuments: z.array(z.enum(['passport', 'id_card', 'residence_permit', 'visa', 'driving_licence'])).min(1),
  /** ICAO 3-letter codes; empty = every country. */
  acceptedCountries: z.array(z.string().regex(/^[A-Z<]{3}$/)),
  thresholds: z.object({
    faceMatch: z.number().min(-1).max(1),
    faceContinuity: z.number().min(-1).max(1),
    minimumAge: z.number().int().min(0).max(150),
    /** A client score this far from the server's (absolute, on the score's own scale) is a disagreement. */
    clientDisagreement: z.number().min(0).max(2),
  }),
  /** The liveness engine asks 2 to 4 challenges (core/liveness/sequence.ts). */
  livenessChallengeCount: z.number().int().min(liveness.MIN_CHALLENGES).max(liveness.MAX_CHALLENGES),
  maxRetries: z.number().int().min(0).max(20),
  ttlSeconds: z.number().int().min(60).max(24 * 3600),
});
export type SessionConfig = z.infer<typeof sessionConfigSchema>;

export const DEFAULT_SESSION_CONFIG: SessionConfig = {
  acceptedDocuments: ['passport', 'id_card'],
  acceptedCountries: [],
  thresholds: { faceMatch: 0.5, faceContinuity: 0.5, minimumAge: 18, clientDisagreement: 0.15 },
  livenessChallengeCount: 3,
  maxRetries: 3,
  ttlSeconds: 1800,
};

/** The MRZ document code's first letter names the document kind (ICAO 9303). */
export function documentKindOf(documentCode: string): SessionConfig['acceptedDocuments'][number] | null {
  switch (documentCode[0]) {
    case 'P': return 'passport';
    case 'V': return 'visa';
    case 'I': case 'A': case 'C': return documentCode.startsWith('IR') || documentCode.startsWith('AR') ? 'residence_permit' : 'id_card';
    default: return null;
  }
}
