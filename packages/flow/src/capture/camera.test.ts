import { describe, expect, it } from 'vitest';
import { EkycError } from '@ekyc/core';
import { cameraConstraints } from './camera-constraints.ts';
import { cameraError, cameraUnsupportedError } from './camera-errors.ts';

/** getUserMedia rejects with DOMExceptions (and Chromium's OverconstrainedError, which has `constraint`). */
const rejection = (name: string, extra: Record<string, unknown> = {}): unknown => Object.assign(new DOMException('Camera "Acme HD Webcam (1234:abcd)" failed', name), extra);

describe('cameraError', () => {
  it('maps getUserMedia rejections to camera codes', () => {
    const cases: Array<[string, string]> = [
      ['NotAllowedError', 'camera_denied'],
      ['SecurityError', 'camera_denied'],
      ['NotFoundError', 'camera_not_found'],
      ['OverconstrainedError', 'camera_not_found'],
      ['NotReadableError', 'camera_in_use'],
      ['AbortError', 'camera_in_use'],
      ['SomethingNew', 'camera_in_use'],
    ];
    for (const [name, code] of cases) {
      const error = cameraError(rejection(name));
      expect(error, name).toBeInstanceOf(EkycError);
      expect(error.code, name).toBe(code);
      expect(error.details, name).toEqual({ cause: name });
    }
    expect(cameraError(new TypeError('bad constraints')).code).toBe('invalid_argument');
  });

  it('keeps the unsatisfied constraint name but never the browser message (it can name the device)', () => {
    const error = cameraError(rejection('OverconstrainedError', { constraint: 'deviceId' }));
    expect(error.details).toEqual({ cause: 'OverconstrainedError', constraint: 'deviceId' });
    expect(JSON.stringify(error.toJSON())).not.toContain('Acme');
    expect(error.message).not.toContain('Acme');
  });

  it('passes an EkycError through and survives non-errors', () => {
    const coded = new EkycError('camera_denied', 'already coded');
    expect(cameraError(coded)).toBe(coded);
    expect(cameraError(undefined).code).toBe('camera_in_use');
    expect(cameraError(null).details).toEqual({ cause: 'object' });
  });

  it('names the missing camera API, insecure context or not', () => {
    expect(cameraUnsupportedError(false)).toMatchObject({ code: 'camera_unsupported', recoverable: false, details: { secureContext: false } });
    expect(cameraUnsupportedError(true).message).toContain('getUserMedia');
  });
});

describe('cameraConstraints', () => {
  it('asks for the back camera at 1280x720 by default, video only, all ideals', () => {
    expect(cameraConstraints()).toEqual({
      audio: false,
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: { ideal: 'environment' } },
    });
  });

  it('requires a chosen device exactly and drops the facing mode', () => {
    expect(cameraConstraints({ deviceId: 'abc', width: 1920, height: 1080, frameRate: 30 })).toEqual({
      audio: false,
      video: { width: { ideal: 1920 }, height: { ideal: 1080 }, deviceId: { exact: 'abc' }, frameRate: { ideal: 30 } },
    });
    expect(cameraConstraints({ facingMode: 'user' }).video).toMatchObject({ facingMode: { ideal: 'user' } });
  });
});
