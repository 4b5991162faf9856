export * from './schema.ts';
export { canonicalJson, canonicalBytes, sha256HexOf, sha256OfCanonical } from './canonical.ts';
export { describeArtifact, verifyArtifacts, type ArtifactInput } from './artifacts.ts';
export { EventChain, chainGenesis, chainLink, verifyChain, CHAIN_ALGORITHM, type UnhashedEvent } from './chain.ts';
export { createSessionSigner, verifyCanonicalSignature, type SessionSigner } from './signer.ts';
export { encodeContainer, decodeContainer } from './container.ts';
export {
  sealEvidence, openEvidence, readSealedHeader, DEFAULT_MAX_SEALED_BYTES, EVIDENCE_HEADER_NONCE, EVIDENCE_HEADER_SESSION_ID, EVIDENCE_CONTENT_TYPE, EVIDENCE_JWE_ALG, EVIDENCE_JWE_ENC,
  type SealOptions, type SealedHeader, type VerifierKey,
} from './seal.ts';
export { buildEvidence, type EvidenceInput } from './builder.ts';
export {
  MemoryNonceStore, generateNonce, type IssuedNonce, type NonceConsumeResult, type NonceLookupResult, type NonceStore, type MemoryNonceStoreOptions,
} from './nonce-store.ts';
export { verifyTimestamps, DEFAULT_TIMESTAMP_POLICY, type TimestampPolicy } from './timestamps.ts';
export { verifyEvidence, verifyBundleIntegrity, type IntegrityOptions, type VerifyEvidenceOptions, type VerifiedEvidence } from './verify.ts';
export * from './upload-protocol.ts';
export {
  ChunkAssembler, MemoryChunkStore, DEFAULT_CHUNK_LIMITS,
  type ChunkAcceptResult, type ChunkAssemblerOptions, type ChunkInput, type ChunkStore, type PendingUpload,
} from './chunk-assembler.ts';
export {
  DOCUMENT_GEOMETRY_TYPE, documentGeometrySchema, parseDocumentGeometry, placeGeometry,
  type DocumentGeometry, type DocumentGeometryV2, type PlacedGeometry,
} from './document-geometry.ts';
