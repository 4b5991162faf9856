import type { document as coreDocument } from '@ekyc/core';

/** The session's document rules, as the flow holds them. */
export interface DocumentPolicyInput {
  acceptedDocuments: readonly coreDocument.DocumentType[];
  acceptedCountries: readonly string[];
  minimumAge: number;
  referenceDate?: Date;
}

/** Core's document-check policy for the session's: an empty country list accepts every state. */
export function documentPolicy(policy: DocumentPolicyInput): coreDocument.DocumentPolicy {
  return {
    minimumAge: policy.minimumAge,
    acceptedDocuments: policy.acceptedDocuments,
    ...(policy.acceptedCountries.length > 0 ? { acceptedCountries: policy.acceptedCountries } : {}),
    ...(policy.referenceDate ? { referenceDate: policy.referenceDate } : {}),
  };
}
