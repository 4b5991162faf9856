/**
 * Screening as a risk signal: a hit scores 0 with `screening_hit` and a hard rule to `escalate`
 * (whatever the score; the user is told only the generic review line), a clear result scores 1,
 * no screening configured or no names in the bundle leaves the signal missing.
 */
import type { risk } from '@ekyc/core';
import type { ScreeningResult } from './types.ts';

export function screeningFindings(result: ScreeningResult | null, reason: 'not_configured' | 'subject_absent' | null): { signal: risk.RiskSignal; hardRules: risk.HardRule[] } {
  if (result === null) {
    const code = reason === 'subject_absent' ? 'screening_subject_absent' : 'screening_not_configured';
    return { signal: { name: 'sanctions', score: null, status: 'missing', source: 'none', reasonCodes: [code], details: {} }, hardRules: [] };
  }
  const details = { listId: result.listId, compared: result.compared, matches: result.matches.length };
  if (!result.hit) return { signal: { name: 'sanctions', score: 1, status: 'scored', source: 'server', reasonCodes: [], details }, hardRules: [] };
  return {
    signal: { name: 'sanctions', score: 0, status: 'scored', source: 'server', reasonCodes: ['screening_hit'], details },
    hardRules: [{ code: 'screening_hit', escalateTo: 'escalate' }],
  };
}
