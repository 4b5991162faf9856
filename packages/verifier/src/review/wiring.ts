/** What server.ts adds for review, audit, duplicates and screening: worker dependencies and API context. */
import type { VerifierConfig } from '../config.ts';
import type { KeyEncryptionKey } from '../crypto/envelope.ts';
import { parsePepper, type Pepper } from '../crypto/pepper.ts';
import type { Database } from '../db/driver.ts';
import { OperatorStore } from '../operators/store.ts';
import { loadScreeningList } from '../screening/list.ts';
import { ListScreening } from '../screening/matcher.ts';
import type { Screening } from '../screening/types.ts';

export interface ReviewWorkerDeps {
  previousPeppers: Pepper[];
  screening: Screening | null;
  faceDuplicateThreshold: number;
}

/** Loads the screening list once (a bad file stops the start with `invalid_argument`). */
export function reviewWorkerDeps(config: VerifierConfig): ReviewWorkerDeps {
  return {
    previousPeppers: config.previousPeppers.map((entry) => parsePepper(entry.id, entry.base64url)),
    screening: config.review.screeningListPath === null ? null : new ListScreening(loadScreeningList(config.review.screeningListPath)),
    faceDuplicateThreshold: config.review.faceDuplicateThreshold,
  };
}

export interface ReviewApiContext {
  operators: OperatorStore;
  /** KEKs to open stored bundles for auditors. */
  keks: ReadonlyMap<string, KeyEncryptionKey>;
  claimTtlSeconds: number;
}

export function reviewApiContext(db: Database, config: VerifierConfig, keks: ReadonlyMap<string, KeyEncryptionKey>, now: () => Date): ReviewApiContext {
  return { operators: new OperatorStore(db, now), keks, claimTtlSeconds: config.review.claimTtlSeconds };
}
