import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface AnnouncementClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: AnnouncementClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Decides what a live region says, so guidance that changes every frame does not flood a screen
 * reader: a text is announced only when it differs from the last one announced, at most once per
 * `minIntervalMs`; a change inside that gap waits and the latest text is spoken when the gap ends
 * (texts that came and went meanwhile are skipped). Announcing the same text twice is never done.
 */
export class AnnouncementThrottle {
  private lastText = '';
  private lastAt = Number.NEGATIVE_INFINITY;
  private pending: string | null = null;
  private timer: unknown = null;

  constructor(
    private readonly speak: (text: string) => void,
    readonly minIntervalMs = 3000,
    private readonly clock: AnnouncementClock = realClock,
  ) {}

  /** The current guidance text (empty: nothing to say). */
  offer(text: string): void {
    if (text === '') return;
    if (text === this.lastText) {
      this.pending = null;
      return;
    }
    const wait = this.lastAt + this.minIntervalMs - this.clock.now();
    if (wait <= 0 && this.timer === null) {
      this.say(text);
      return;
    }
    this.pending = text;
    if (this.timer === null) this.timer = this.clock.setTimeout(() => this.flush(), Math.max(0, wait));
  }

  /** Forgets what was said (a new step): the next offer is spoken at once. */
  reset(): void {
    this.cancel();
    this.lastText = '';
    this.lastAt = Number.NEGATIVE_INFINITY;
  }

  cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private flush(): void {
    this.timer = null;
    const text = this.pending;
    this.pending = null;
    if (text !== null && text !== this.lastText) this.say(text);
  }

  private say(text: string): void {
    this.lastText = text;
    this.lastAt = this.clock.now();
    this.speak(text);
  }
}

/**
 * A polite live region's text for a Lit element: `announce()` goes through the throttle, `text` is
 * what the element renders inside its `role="status"` region.
 */
export class LiveAnnouncer implements ReactiveController {
  text = '';
  private readonly throttle: AnnouncementThrottle;

  constructor(private readonly host: ReactiveControllerHost, minIntervalMs?: number) {
    host.addController(this);
    this.throttle = new AnnouncementThrottle((text) => {
      this.text = text;
      this.host.requestUpdate();
    }, minIntervalMs);
  }

  announce(text: string): void {
    this.throttle.offer(text);
  }

  reset(): void {
    this.throttle.reset();
    this.text = '';
  }

  hostDisconnected(): void {
    this.throttle.cancel();
  }
}
