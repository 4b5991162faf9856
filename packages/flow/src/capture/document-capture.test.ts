import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EkycError } from '@ekyc/core';
import type { TimedAssessment } from '@ekyc/workers';
import { AssessmentEvent, DocumentCapture, type FrameAnalyzer } from './document-capture.ts';

// The I/O boundary is faked: a video whose frames the test presents by hand, createImageBitmap,
// and the worker (answers released by the test). DocumentCapture itself is real.
class FakeVideo {
  private callbacks = new Map<number, () => void>();
  private next = 1;
  requestVideoFrameCallback(callback: () => void): number {
    this.callbacks.set(this.next, callback);
    return this.next++;
  }
  cancelVideoFrameCallback(handle: number): void {
    this.callbacks.delete(handle);
  }
  present(): void {
    const pending = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const callback of pending) callback();
  }
}

class FakeWorker implements FrameAnalyzer {
  readonly received: unknown[] = [];
  private readonly answers: Array<{ resolve: (a: TimedAssessment) => void; reject: (e: unknown) => void }> = [];
  analyzeFrame(input: unknown): Promise<TimedAssessment> {
    this.received.push(input);
    return new Promise((resolve, reject) => this.answers.push({ resolve, reject }));
  }
  answer(capture: boolean): void {
    const frame = { width: 2, height: 2, data: new Uint8ClampedArray(16) };
    this.answers.shift()!.resolve({ capture, guidance: [capture ? 'good' : 'no_document'], ...(capture ? { frame } : {}) } as unknown as TimedAssessment);
  }
  fail(error: unknown): void {
    this.answers.shift()!.reject(error);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('DocumentCapture', () => {
  let video: FakeVideo;
  let worker: FakeWorker;
  beforeEach(() => {
    video = new FakeVideo();
    worker = new FakeWorker();
    vi.stubGlobal('createImageBitmap', async () => ({ width: 2, height: 2, close: () => undefined }));
  });
  afterEach(() => vi.unstubAllGlobals());

  const start = (signal?: AbortSignal) => new DocumentCapture({ video: video as unknown as HTMLVideoElement, quality: worker, ...(signal ? { signal } : {}) });

  it('keeps one frame in flight and drops, never queues, frames that arrive meanwhile', async () => {
    const capture = start();
    const guidance: string[] = [];
    capture.addEventListener('assessment', (event) => guidance.push(event.assessment.guidance[0]!));
    video.present();
    await settle();
    video.present();
    video.present();
    await settle();
    expect(worker.received.length).toBe(1);
    worker.answer(false);
    await settle();
    video.present();
    await settle();
    expect(worker.received.length).toBe(2);
    expect(capture.stats).toMatchObject({ videoFrames: 4, skippedBusy: 2, sent: 2, analysed: 1 });
    expect(guidance).toEqual(['no_document']);
  });

  it('resolves once with the captured frame, then sends nothing more', async () => {
    const capture = start();
    const events: AssessmentEvent[] = [];
    capture.addEventListener('assessment', (event) => events.push(event));
    video.present();
    await settle();
    worker.answer(true);
    const result = await capture.captured;
    expect(result.frame.width).toBe(2);
    expect('frame' in result.assessment).toBe(false);
    expect(capture.isStopped).toBe(true);
    video.present();
    await settle();
    expect(worker.received.length).toBe(1);
    expect(events.length).toBe(1);
  });

  it('rejects with the worker error unchanged and stops', async () => {
    const capture = start();
    video.present();
    await settle();
    const error = new EkycError('worker_timeout', 'slow');
    worker.fail(error);
    await expect(capture.captured).rejects.toBe(error);
    video.present();
    await settle();
    expect(worker.received.length).toBe(1);
  });

  it('stops on abort: the frame in flight is not reported and no more are sent', async () => {
    const controller = new AbortController();
    const capture = start(controller.signal);
    const events: AssessmentEvent[] = [];
    capture.addEventListener('assessment', (event) => events.push(event));
    video.present();
    await settle();
    controller.abort(new DOMException('left the page', 'AbortError'));
    await expect(capture.captured).rejects.toMatchObject({ name: 'AbortError' });
    worker.answer(true);
    video.present();
    await settle();
    expect(events).toEqual([]);
    expect(worker.received.length).toBe(1);
    expect(start(AbortSignal.abort()).isStopped).toBe(true);
  });

  it('falls back to requestAnimationFrame without requestVideoFrameCallback, and cancels it on stop', async () => {
    const pending = new Map<number, () => void>();
    let next = 1;
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => (pending.set(next, callback), next++));
    vi.stubGlobal('cancelAnimationFrame', (handle: number) => pending.delete(handle));
    const capture = new DocumentCapture({ video: {} as HTMLVideoElement, quality: worker });
    const tick = () => {
      const callbacks = [...pending.values()];
      pending.clear();
      for (const callback of callbacks) callback();
    };
    tick();
    await settle();
    expect(worker.received.length).toBe(1);
    capture.stop();
    expect(pending.size).toBe(0);
  });
});
