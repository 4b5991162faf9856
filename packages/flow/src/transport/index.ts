export type { EvidenceSink, SealedEvidence, SinkReceipt } from './sink.ts';
export { HttpSink, type HttpSinkOptions } from './http-sink.ts';
export { DEFAULT_BACKOFF, backoffDelayMs, parseRetryAfterMs, type BackoffPolicy } from './backoff.ts';
export { EvidenceOutbox, DEFAULT_OUTBOX_NAME, type OutboxEntry, type OutboxRecord, type OutboxState } from './outbox.ts';
export {
  EvidenceDelivery, DeliveryEvent, DEFAULT_DELIVERY_LIMITS,
  type DeliveryEventDetail, type DeliveryLimits, type FlushReport, type SubmitResult,
} from './delivery.ts';
