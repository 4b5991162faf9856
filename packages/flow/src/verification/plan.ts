/** Which steps a run goes through: the caller's `steps`, in the fixed order, with the required ones added back. */
import { EkycError } from '@ekyc/core';
import { STEP_IDS, type StepId } from './types.ts';

const ALWAYS: readonly StepId[] = ['session', 'consent', 'evidence'];

/**
 * `document-back` is planned only once a side says it is needed (see `withBack`); `submit` needs a
 * verifier and is required with one; `face-match` needs a document and a selfie.
 */
export function planSteps(requested: readonly StepId[] | undefined, hasVerifier: boolean): StepId[] {
  const wanted = new Set<StepId>(requested ?? STEP_IDS);
  for (const step of requested ?? []) {
    if (!(STEP_IDS as readonly string[]).includes(step)) throw new EkycError('invalid_argument', `Unknown step "${String(step)}".`, { details: { step: String(step) } });
  }
  for (const step of ALWAYS) wanted.add(step);
  if (hasVerifier) wanted.add('submit');
  else wanted.delete('submit');
  wanted.delete('document-back');
  const documentWanted = wanted.has('document-front') || wanted.has('document-read') || wanted.has('document-review');
  if (documentWanted) {
    wanted.add('document-front');
    wanted.add('document-read');
  }
  if (wanted.has('face-match') && !(documentWanted && wanted.has('liveness'))) {
    throw new EkycError('invalid_argument', 'The face-match step needs the document steps and the liveness step.', { details: { step: 'face-match' } });
  }
  return STEP_IDS.filter((step) => wanted.has(step));
}

/** The plan with `document-back` right after `document-front`, once a back is known to be needed. */
export function withBack(plan: readonly StepId[]): StepId[] {
  if (plan.includes('document-back')) return [...plan];
  const at = plan.indexOf('document-front');
  return at < 0 ? [...plan] : [...plan.slice(0, at + 1), 'document-back', ...plan.slice(at + 1)];
}
