import { describe, expect, it } from 'vitest';
import { AnnouncementThrottle, type AnnouncementClock } from './announcer.ts';

/** A clock the test moves by hand: timers fire when `advance` passes them. */
function manualClock(): AnnouncementClock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    setTimeout: (callback, ms) => { timers.push({ at: now + ms, callback, id: ++next }); return next; },
    clearTimeout: (id) => { timers = timers.filter((t) => t.id !== id); },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.callback();
      }
      now = end;
    },
  };
}

describe('AnnouncementThrottle', () => {
  it('speaks the first text at once and never repeats a text', () => {
    const spoken: string[] = [];
    const clock = manualClock();
    const throttle = new AnnouncementThrottle((t) => spoken.push(t), 3000, clock);
    throttle.offer('Move closer');
    for (let i = 0; i < 100; i++) { clock.advance(100); throttle.offer('Move closer'); }
    expect(spoken).toEqual(['Move closer']);
  });

  it('speaks at most once per interval, the latest text when the gap ends, skipping texts that came and went', () => {
    const spoken: string[] = [];
    const clock = manualClock();
    const throttle = new AnnouncementThrottle((t) => spoken.push(t), 3000, clock);
    const codes = ['A', 'B', 'C', 'B', 'D'];
    // A new text every 100 ms for 3 s: 30 offers.
    for (let i = 0; i < 30; i++) { throttle.offer(codes[i % codes.length]!); clock.advance(100); }
    clock.advance(3000);
    expect(spoken.length).toBeLessThanOrEqual(2);
    expect(spoken[0]).toBe('A');
    expect(spoken.at(-1)).toBe(codes[29 % codes.length]);
  });

  it('drops a pending text that went back to what was last said', () => {
    const spoken: string[] = [];
    const clock = manualClock();
    const throttle = new AnnouncementThrottle((t) => spoken.push(t), 3000, clock);
    throttle.offer('Hold steady');
    throttle.offer('Move closer');
    throttle.offer('Hold steady');
    clock.advance(5000);
    expect(spoken).toEqual(['Hold steady']);
  });

  it('speaks at once again after reset (a new step)', () => {
    const spoken: string[] = [];
    const clock = manualClock();
    const throttle = new AnnouncementThrottle((t) => spoken.push(t), 3000, clock);
    throttle.offer('A');
    throttle.reset();
    throttle.offer('B');
    expect(spoken).toEqual(['A', 'B']);
  });
});
