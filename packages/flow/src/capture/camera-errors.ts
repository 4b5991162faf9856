import { EkycError, type EkycErrorCode } from '@ekyc/core';

/** getUserMedia's rejections by `name` (DOMException, or OverconstrainedError in Chromium). */
const CODE_BY_NAME: Readonly<Record<string, EkycErrorCode>> = {
  NotAllowedError: 'camera_denied',
  SecurityError: 'camera_denied',
  NotFoundError: 'camera_not_found',
  OverconstrainedError: 'camera_not_found',
  NotReadableError: 'camera_in_use',
  AbortError: 'camera_in_use',
  TypeError: 'invalid_argument',
};

/**
 * The coded error for a failed `getUserMedia`. Only the error's name (and, for an unsatisfiable
 * constraint, the constraint's name) is kept: browser messages can name the device.
 */
export function cameraError(error: unknown): EkycError {
  if (error instanceof EkycError) return error;
  const name = typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : typeof error;
  const code = CODE_BY_NAME[name] ?? 'camera_in_use';
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  const details = typeof constraint === 'string' ? { cause: name, constraint } : { cause: name };
  return new EkycError(code, `The camera could not be opened (${name})`, { details });
}

/** No `navigator.mediaDevices`: browsers hide it outside a secure context (HTTPS or localhost). */
export function cameraUnsupportedError(isSecureContext: boolean): EkycError {
  return new EkycError('camera_unsupported', isSecureContext ? 'This browser has no getUserMedia' : 'The camera needs a secure context (HTTPS or localhost)', {
    details: { secureContext: isSecureContext },
  });
}
