/**
 * Prometheus metrics (prom-client) on a registry of the verifier's own (several verifiers in one
 * test process do not collide). Labels are bounded sets: outcomes, route patterns, status codes,
 * error codes; never a session id.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface QueueDepth {
  /** Jobs by pg-boss state (created, retry, active, ...) for the re-scoring queue. */
  (): Promise<Record<string, number>>;
}

export class VerifierMetrics {
  readonly registry = new Registry();
  readonly intakeRequests: Counter<'result' | 'code'>;
  readonly intakeBytes: Counter<'result'>;
  readonly decisions: Counter<'outcome'>;
  readonly rescoreSeconds: Histogram<'result'>;
  readonly httpSeconds: Histogram<'method' | 'route' | 'status_code'>;
  readonly httpInFlight: Gauge;
  readonly rateLimited: Counter<'route'>;
  readonly jobsInFlight: Gauge;
  #queueDepth: QueueDepth | null = null;

  constructor(options: { role: string; defaultMetrics?: boolean }) {
    this.registry.setDefaultLabels({ role: options.role });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'ekyc_verifier_' });
    const registers = [this.registry];
    this.intakeRequests = new Counter({
      name: 'ekyc_verifier_intake_requests_total', registers, labelNames: ['result', 'code'],
      help: 'Evidence upload requests by result: accepted (201, stored), repeat (200), partial (202 chunk), refused (4xx/5xx, with its error code).',
    });
    this.intakeBytes = new Counter({
      name: 'ekyc_verifier_intake_bytes_total', registers, labelNames: ['result'],
      help: 'Request body bytes of evidence uploads (sealed bundles and chunks), by result.',
    });
    this.decisions = new Counter({ name: 'ekyc_verifier_decisions_total', registers, labelNames: ['outcome'], help: 'Automatic decisions recorded by this worker, by outcome.' });
    this.rescoreSeconds = new Histogram({
      name: 'ekyc_verifier_rescore_duration_seconds', registers, labelNames: ['result'],
      help: 'Time one re-scoring job took (decrypt, re-score, record), by result (decided, already_decided, no_evidence, failed).',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    });
    this.httpSeconds = new Histogram({
      name: 'ekyc_verifier_http_request_duration_seconds', registers, labelNames: ['method', 'route', 'status_code'],
      help: 'HTTP request latency by route pattern and status code.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.httpInFlight = new Gauge({ name: 'ekyc_verifier_http_requests_in_flight', registers, help: 'HTTP requests being handled now.' });
    this.rateLimited = new Counter({ name: 'ekyc_verifier_rate_limited_total', registers, labelNames: ['route'], help: 'Requests refused with 429 rate_limited, by route class.' });
    this.jobsInFlight = new Gauge({ name: 'ekyc_verifier_jobs_in_flight', registers, help: 'Re-scoring jobs running in this process now.' });
    const self = this;
    new Gauge({
      name: 'ekyc_verifier_queue_jobs', registers, labelNames: ['state'],
      help: 'Re-scoring jobs in the queue by pg-boss state (created, retry, active, completed, failed, cancelled), read from the database at scrape time.',
      async collect() {
        if (self.#queueDepth === null) return;
        this.reset();
        try {
          for (const [state, count] of Object.entries(await self.#queueDepth())) this.set({ state }, count);
        } catch {
          // The database is down: /readyz says so; the scrape still answers.
        }
      },
    });
  }

  /** Where queue depth is read from at scrape time (the server passes a SQL query on pg-boss's table). */
  setQueueDepth(source: QueueDepth): void {
    this.#queueDepth = source;
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
