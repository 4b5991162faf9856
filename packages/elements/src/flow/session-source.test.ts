import { describe, expect, it } from 'vitest';
import { handoffTokenFromHash, parseSessionUrl, sessionSourceFrom } from './session-source.ts';

describe('session source from attributes', () => {
  it('reads the handoff token from the URL fragment', () => {
    expect(handoffTokenFromHash('#ekyc-handoff=abc.def')).toBe('abc.def');
    expect(handoffTokenFromHash('#other=1&ekyc-handoff=xyz')).toBe('xyz');
    expect(handoffTokenFromHash('')).toBeNull();
    expect(handoffTokenFromHash('#ekyc-handoff=')).toBeNull();
  });

  it('splits a session URL into the verifier URL and the session id', () => {
    expect(parseSessionUrl('https://kyc.example.com/v1/sessions/s_1')).toEqual({ verifierUrl: 'https://kyc.example.com/v1', sessionId: 's_1' });
    expect(parseSessionUrl('https://kyc.example.com/other')).toBeNull();
  });

  it('prefers an explicit session, then a handoff token, then a verifier session; null when incomplete', () => {
    const config = { config: {} };
    expect(sessionSourceFrom({ session: config, verifierUrl: 'v', handoffToken: 't' })).toBe(config);
    expect(sessionSourceFrom({ verifierUrl: 'https://v', handoffToken: 'h', sessionId: 's', token: 'c' })).toEqual({ verifierUrl: 'https://v', handoffToken: 'h' });
    expect(sessionSourceFrom({ sessionUrl: 'https://v/sessions/s', token: 'c' })).toEqual({ verifierUrl: 'https://v', sessionId: 's', clientToken: 'c' });
    expect(sessionSourceFrom({ verifierUrl: 'https://v', sessionId: 's' })).toBeNull();
    expect(sessionSourceFrom({})).toBeNull();
  });
});
