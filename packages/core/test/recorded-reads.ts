import { readFileSync } from 'node:fs';
import type { EngineMrzRead, OcrCharRead } from '../src/document/ocr-read.ts';

/** Engine reads the document worker merged for one document, as dumped to `src/document/__fixtures__/<name>.reads.json`. */
export function recordedReads(name: string): EngineMrzRead[] {
  return JSON.parse(readFileSync(new URL(`../src/document/__fixtures__/${name}.reads.json`, import.meta.url), 'utf8')) as EngineMrzRead[];
}

/** `reads` with one engine's character at `index` of `line` read as `cell` instead: what the merge makes of a read it did not get. */
export function withCharRead(reads: readonly EngineMrzRead[], engine: string, line: number, index: number, cell: OcrCharRead): EngineMrzRead[] {
  return reads.map((r) => {
    const old = r.engine === engine ? r.lines[line] : undefined;
    if (!old) return r;
    const chars = old.chars.map((c, i) => (i === index ? cell : c));
    const lines = [...r.lines];
    lines[line] = { text: chars.map((c) => c.char).join(''), chars };
    return { ...r, lines };
  });
}
