#!/usr/bin/env node
// Active liveness evaluation in headless Chromium, through the worker pipeline and the core engine.
//
//   npm run eval:liveness                     # clips generated from the face photos npm packages ship
//   npm run eval:liveness -- --data DIR       # DIR holds .y4m clips + labels.json
//        { "clip.y4m": { "genuine": true|false, "performs": ["blink", "turn_left", ...], "attack"?: "name" } }
//   options: --faces N (genuine photos used, default all), --clips-per-face N (genuine clips per photo,
//            each with another order; default 2), --attack-faces N (default 8),
//            --write DIR (also write the generated clips as y4m + labels.json, for --data),
//            --moire (only the screen-replay moiré cue on each face: camera frame, turned, JPEG, simulated screens)
//
// Each clip is judged against the challenges it performs, in that order (the engine takes an explicit
// sequence for evaluation only; in production the order comes from the nonce). A clip passes when the
// engine passes it AND the face stays the same person across its keyframes (FaceContinuity, 0.4).
// The generated genuine clips are photo animations: passing them proves the judging, not liveness
// (docs/liveness.md). Logs go to stderr; the last stdout line is one JSON object.
import { mkdirSync, readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { withEvalPage } from './eval-page.mjs';

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const dataDir = option('--data') && path.resolve(option('--data'));
const writeDir = option('--write') && path.resolve(option('--write'));
const maxFaces = Number(option('--faces') ?? Infinity);
const attackFaces = Number(option('--attack-faces') ?? 8);
const clipsPerFace = Number(option('--clips-per-face') ?? 2);
const moireOnly = args.includes('--moire');
const log = (...m) => console.error('[eval:liveness]', ...m);

const KINDS = ['blink', 'smile', 'turn_left', 'turn_right'];
/** All 24 ordered triples of distinct challenges; clip i performs ORDERS[i % 24]. */
const ORDERS = [];
for (const a of KINDS) for (const b of KINDS) for (const c of KINDS) if (new Set([a, b, c]).size === 3) ORDERS.push([a, b, c]);

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null; };
const rate = (outcomes) => ({ videos: outcomes.length, passRate: outcomes.length ? outcomes.filter(Boolean).length / outcomes.length : 0 });
const passes = (o) => o.state === 'passed' && o.continuityOk;
// Before pose matching (for the before/after table): each challenge keyframe against the neutral one only.
const passesNeutralContinuity = (o) => o.state === 'passed' && (o.neutralContinuityMin === null || o.neutralContinuityMin >= 0.4);
const passesEngine = (o) => o.state === 'passed';

function withPage(run) {
  // Clips are served to the page from DIR (outside the dev server's root).
  const prepare = dataDir && ((page) => page.route('**/eval-liveness-data/**', (route) => {
    const file = decodeURIComponent(new URL(route.request().url()).pathname.split('/eval-liveness-data/')[1]);
    route.fulfill({ body: readFileSync(path.join(dataDir, path.basename(file))), headers: { 'content-type': 'application/octet-stream', 'cross-origin-resource-policy': 'same-origin' } });
  }));
  return withEvalPage({ pagePath: 'e2e/pages/liveness.html', timeoutMs: 900_000, prepare }, async (page) => {
    await page.evaluate(() => window.livenessTest.init());
    return run(page);
  });
}

const pose = (o) => {
  const { yaw, pitch, eyeL } = o.transcript?.frames.signals ?? {};
  const first = (v) => median((v ?? []).slice(0, 20).filter((x) => x !== null));
  return { yaw: first(yaw), pitch: first(pitch), eye: first(eyeL) };
};
const summary = (o) => ({
  state: o.state, reason: o.reason, passed: o.passed, continuityMin: o.continuityMin, neutralContinuityMin: o.neutralContinuityMin,
  continuityLinks: o.continuityLinks?.map((l) => `${l.yaw.toFixed(1)}~${l.againstYaw.toFixed(1)}:${l.similarity.toFixed(3)}`), frames: o.frames,
  ...(o.state === 'waiting' ? { waitingGuidance: o.waitingGuidance, startPose: pose(o) } : {}),
  staticImage: o.signals.find((s) => s.id === 'static_image').value,
  moire: o.moire,
  moireFlagged: o.signals.find((s) => s.id === 'screen_moire')?.flagged ?? false,
});

async function evalData(page) {
  const labels = JSON.parse(readFileSync(path.join(dataDir, 'labels.json'), 'utf8'));
  const genuine = [];
  const attacks = {};
  const trackMs = [];
  const clips = {};
  for (const [file, label] of Object.entries(labels)) {
    if (!Array.isArray(label.performs) || typeof label.genuine !== 'boolean') throw new Error(`labels.json: ${file} needs genuine and performs`);
    const o = await page.evaluate(([u, seq]) => window.livenessTest.runY4m(u, seq).then((r) => ({ ...r, transcript: undefined })), [`/eval-liveness-data/${encodeURIComponent(file)}`, label.performs]);
    trackMs.push(...o.trackMs);
    clips[file] = summary(o);
    log(file, label.genuine ? 'genuine' : `attack ${label.attack ?? ''}`, o.state, o.reason ?? '', o.continuityOk ? '' : 'continuity broken');
    if (label.genuine) genuine.push(passes(o));
    else (attacks[label.attack ?? 'attack'] ??= []).push(passes(o));
  }
  return {
    data: dataDir,
    genuine: rate(genuine),
    attacks: Object.fromEntries(Object.entries(attacks).map(([k, v]) => [k, rate(v)])),
    trackMsMedian: median(trackMs),
    clips,
  };
}

async function writeClip(page, spec, file) {
  const info = await page.evaluate((s) => window.livenessTest.clipInfo(s), spec);
  const fd = openSync(file, 'w');
  writeSync(fd, `YUV4MPEG2 W${info.width} H${info.height} F${info.fps}:1 Ip A1:1 C420jpeg\n`);
  for (let i = 0; i < info.frames; i++) {
    writeSync(fd, 'FRAME\n');
    writeSync(fd, Buffer.from(await page.evaluate(([s, k]) => window.livenessTest.clipFrameI420(s, k), [spec, i]), 'base64'));
  }
  closeSync(fd);
}

/**
 * --moire: the screen-replay cue (core moireScore) on each face's rendered frame as a camera gives it,
 * turned, after JPEG, and filmed off a simulated screen (testkit simulateScreenReplay) at several pitches
 * and angles. The simulation is a simplified model, not a real screen: its numbers show the cue works
 * on the model only.
 */
async function evalMoire(page, used) {
  const pitches = [0.6, 0.8, 1.1, 1.5, 2, 2.8];
  const angles = [0, 3, 8];
  const faces = {};
  for (const name of used) {
    faces[name] = await page.evaluate(([n, p, a]) => window.livenessTest.moire(n, p, a), [name, pitches, angles]);
    log(name, JSON.stringify(faces[name]));
  }
  const all = Object.values(faces);
  const range = (v) => { const x = v.filter((y) => y !== null); return x.length ? { min: Math.min(...x), max: Math.max(...x), n: x.length } : null; };
  return {
    moire: {
      genuine: range(all.map((f) => f.genuine)),
      turned: range(all.map((f) => f.turned)),
      jpeg: range(all.map((f) => f.jpeg)),
      screen: range(all.flatMap((f) => f.screens.map((s) => s.value))),
      screenByPitch: Object.fromEntries(pitches.map((p) => [p, range(all.flatMap((f) => f.screens.filter((s) => s.pitch === p).map((s) => s.value)))])),
    },
    faces,
  };
}

async function evalGenerated(page) {
  const photos = [
    ['faceid', '@vladmandic/human/assets/screenshot-faceid.jpg'],
    ...[1, 2, 3, 4, 5, 6].map((i) => [`sample${i}`, `@vladmandic/face-api/demo/sample${i}.jpg`]),
  ];
  const faces = [];
  const skipped = [];
  for (const [id, file] of photos) {
    await page.evaluate(([n, u]) => window.livenessTest.loadUrl(n, u), [id, `/node_modules/${file}`]);
    const boxes = await page.evaluate((n) => window.livenessTest.detectFaces(n), id);
    for (let k = 0; k < boxes.length; k++) {
      const name = `${id}-${k}`;
      await page.evaluate(([n, s, b]) => window.livenessTest.composeFace(n, s, b), [name, id, boxes[k]]);
      const settled = await page.evaluate((n) => window.livenessTest.settle(n), name);
      // A genuine user looks at the camera: photos of turned, tilted or closed-eye faces cannot give a
      // neutral baseline (the engine's default limits: |yaw| <= 20, |pitch| <= 25, the more open eye >= 0.15).
      const s = settled?.signals;
      if (s && Math.abs(s.yaw) <= 20 && Math.abs(s.pitch) <= 25 && Math.max(s.eyeOpennessLeft, s.eyeOpennessRight) >= 0.15) faces.push(name);
      else skipped.push(`${name} (${s ? `yaw ${s.yaw.toFixed(0)}, pitch ${s.pitch.toFixed(0)}` : 'not tracked'})`);
    }
  }
  log(`${faces.length} frontal faces (${skipped.length} left out: ${skipped.join(', ')})`);
  const used = faces.slice(0, Math.min(faces.length, maxFaces));
  if (moireOnly) return evalMoire(page, used);
  const labels = {};
  const run = async (spec, file, label) => {
    const o = await page.evaluate((s) => window.livenessTest.runClip(s), spec);
    if (writeDir) {
      await writeClip(page, spec, path.join(writeDir, file));
      labels[file] = label;
    }
    return o;
  };
  if (writeDir) mkdirSync(writeDir, { recursive: true });

  const genuine = [];
  const genuineEngine = [];
  const genuineNeutral = [];
  const attacksNeutral = {};
  const trackMs = [];
  const clips = {};
  const replay = [];
  const staticRisk = { genuine: [], static: [] };
  const moireGenuine = [];
  for (let j = 0; j < used.length * clipsPerFace; j++) {
    const i = j % used.length;
    const performs = ORDERS[(i * 7 + Math.floor(j / used.length) * 11) % ORDERS.length];
    const key = `genuine ${used[i]} ${performs.join(',')}`;
    const o = await run({ photo: used[i], performs, seed: j + 1 }, `genuine-${used[i]}-${performs.join('-')}.y4m`, { genuine: true, performs });
    trackMs.push(...o.trackMs);
    genuine.push(passes(o));
    genuineEngine.push(passesEngine(o));
    genuineNeutral.push(passesNeutralContinuity(o));
    clips[key] = { performs, ...summary(o) };
    staticRisk.genuine.push(o.signals.find((s) => s.id === 'static_image').risk);
    moireGenuine.push(o.moire);
    log(key, JSON.stringify(clips[key]));
    // The same recording under a new nonce: every other order of the same three challenges, and of others.
    if (o.state === 'passed') {
      for (const order of ORDERS.filter((x) => x.join() !== performs.join()).filter((_, k) => k % 4 === i % 4)) {
        replay.push((await page.evaluate(([t, ord]) => window.livenessTest.replayUnder(t, ord), [o.transcript, order])) === 'passed');
      }
    }
  }

  const attacks = { static_photo: [], rigid_photo: [], replay_new_nonce: replay, two_faces: [], face_swap: [] };
  const attackUsed = used.slice(0, Math.min(used.length, attackFaces));
  for (let i = 0; i < attackUsed.length; i++) {
    const photo = attackUsed[i];
    // Another person from every trackable photo, not only those --faces kept: with --faces 1 the
    // two-faces and swap attacks would otherwise pair a face with itself.
    const other = faces[(faces.indexOf(photo) + 1) % faces.length];
    const performs = ORDERS[i % ORDERS.length];
    const cases = [
      ['static_photo', { photo, performs, seed: i + 1, attack: 'static' }],
      ['rigid_photo', { photo, performs: i % 2 ? ['smile', 'blink'] : ['blink', 'smile'], seed: i + 1, attack: 'rigid' }],
      ['two_faces', { photo, performs, seed: i + 1, attack: 'two_faces', other }],
      ['face_swap', { photo, performs, seed: i + 1, attack: 'swap', other }],
    ];
    for (const [name, spec] of cases) {
      const o = await run(spec, `${name}-${photo}.y4m`, { genuine: false, performs: spec.performs, attack: name });
      attacks[name].push(passes(o));
      (attacksNeutral[name] ??= []).push(passesNeutralContinuity(o));
      clips[`${name} ${photo}`] = { performs: spec.performs, ...summary(o) };
      if (name === 'static_photo') staticRisk.static.push(o.signals.find((s) => s.id === 'static_image').risk);
      log(name, photo, JSON.stringify(clips[`${name} ${photo}`]));
    }
  }
  if (writeDir) writeFileSync(path.join(writeDir, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
  const t = median(trackMs);
  return {
    genuine: rate(genuine),
    attacks: Object.fromEntries(Object.entries(attacks).map(([k, v]) => [k, rate(v)])),
    // The same clips judged by the engine alone, and with the neutral-only continuity used before pose matching.
    genuineEngineOnly: rate(genuineEngine),
    genuineNeutralContinuity: rate(genuineNeutral),
    attacksNeutralContinuity: Object.fromEntries(Object.entries(attacksNeutral).map(([k, v]) => [k, rate(v)])),
    trackMsMedian: t,
    fps: t ? 1000 / t : null,
    staticImageSignal: {
      genuineFlagged: staticRisk.genuine.filter((r) => r >= 0.5).length / Math.max(1, staticRisk.genuine.length),
      staticFlagged: staticRisk.static.filter((r) => r >= 0.5).length / Math.max(1, staticRisk.static.length),
    },
    // The screen-moiré cue on the genuine clips' keyframes (no screen in them: every flag is a false alarm).
    screenMoireSignal: {
      genuine: moireGenuine.filter((v) => v !== null).length ? { min: Math.min(...moireGenuine.filter((v) => v !== null)), max: Math.max(...moireGenuine.filter((v) => v !== null)) } : null,
      genuineFlagged: Object.entries(clips).filter(([k, c]) => k.startsWith('genuine') && c.moireFlagged).length,
    },
    facesSkipped: skipped,
    clips,
  };
}

const t0 = Date.now();
const result = await withPage((page) => (dataDir ? evalData(page) : evalGenerated(page)));
log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(JSON.stringify(result));
