import { describe, expect, it } from 'vitest';
import { handoffLink, handoffTokenFromUrl } from './handoff-link.ts';

describe('handoff link', () => {
  it('puts the token in the fragment only, keeping the page URL and its query', () => {
    const url = handoffLink('https://shop.example/verify?lang=fr#old', 'hof_abc-_123');
    expect(url).toBe('https://shop.example/verify?lang=fr#ekyc-handoff=hof_abc-_123');
    expect(new URL(url).search).toBe('?lang=fr');
    expect(handoffTokenFromUrl(url)).toBe('hof_abc-_123');
  });

  it('finds no token where there is none or it is empty', () => {
    expect(handoffTokenFromUrl('https://shop.example/verify')).toBeNull();
    expect(handoffTokenFromUrl('https://shop.example/verify#ekyc-handoff=')).toBeNull();
    expect(handoffTokenFromUrl('https://shop.example/verify?ekyc-handoff=hof_x')).toBeNull();
  });
});
