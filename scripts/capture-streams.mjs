#!/usr/bin/env node
// Captures camera glare streams (bench/browser/stream-capture.ts: the frames `eval:mrz --streams N
// --stream-stress glare --seed S` reads, every frame read with its engine evidence) to a JSON file, for
// replaying the fusion and the vote in Node (scripts/replay-streams.ts).
//   node scripts/capture-streams.mjs --seed 301000 --streams 10 --levels mild,strong --out /tmp/streams.json
// `--formats TD1,TD2`: only the streams of those formats (stream i is format i mod 5 in eval:mrz's order).
// Captures made before session 13 used another order (TD3 first): their stream 301500 is a TD3, eval's a TD1.
import { writeFileSync } from 'node:fs';
import { withEvalPage } from './eval-page.mjs';

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const seed = Number(option('--seed') ?? 301000);
const count = Number(option('--streams') ?? 10);
const first = Number(option('--first') ?? 0);
const levels = (option('--levels') ?? 'mild,strong').split(',');
const out = option('--out') ?? `/tmp/streams-${seed}.json`;
const formats = option('--formats')?.split(',');
const FORMATS = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'];

const streams = await withEvalPage({ pagePath: 'bench/pages/run.html', port: 5194 }, async (page) => {
  const all = [];
  for (const level of levels) {
    for (let i = first; i < count; i++) {
      if (formats && !formats.includes(FORMATS[i % FORMATS.length])) continue;
      const [s] = await page.evaluate(([sd, n, l, k]) => import('/bench/browser/stream-capture.ts').then((m) => m.captureStreams(sd, n, l, 8, k)), [seed, i + 1, level, i]);
      console.error(`[capture] ${level} ${s.format} ${s.seed}: ${s.reads.map((r) => (r.mrz?.valid ? 'v' : r.mrzFound ? 'x' : '-')).join('')}`);
      all.push(s);
      writeFileSync(out, JSON.stringify({ seed, levels, streams: all }));
    }
  }
  return all;
});
console.error(`[capture] ${streams.length} streams to ${out}`);
