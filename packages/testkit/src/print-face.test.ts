import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRINT_FACE } from './print-face.ts';

const GENERIC = ['serif', 'sans-serif', 'monospace', 'system-ui', 'cursive', 'fantasy'];
const sourceDir = new URL('.', import.meta.url);
const renderers = readdirSync(sourceDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const firstFamily = PRINT_FACE.split(',')[0]!.trim().replace(/^"(.*)"$/, '$1');

const fcMatch = (pattern: string): string | null => {
  try {
    return execFileSync('fc-match', ['--format=%{family}', pattern], { encoding: 'utf8' });
  } catch {
    return null;
  }
};

describe('print face', () => {
  it('names a face first, so the page does not depend on what the machine calls sans-serif', () => {
    expect(GENERIC).not.toContain(firstFamily);
  });

  it('is the face every renderer prints in: no canvas font starts with a generic family', () => {
    const generic = new RegExp(`px\\s+(${GENERIC.join('|')})\\b`);
    for (const file of renderers) {
      expect(readFileSync(new URL(file, sourceDir), 'utf8'), file).not.toMatch(generic);
    }
  });

  // Chromium falls back to the generic family, silently, when the named face is not installed.
  it.skipIf(fcMatch('sans-serif') === null)('is installed (fontconfig resolves it to itself)', () => {
    expect(fcMatch(firstFamily)?.split(',')).toContain(firstFamily);
  });
});
