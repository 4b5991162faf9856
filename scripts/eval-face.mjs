#!/usr/bin/env node
// Face-match evaluation in headless Chromium, through the same worker pipeline the SDK ships.
//
//   npm run eval:face                      # photos shipped by npm / Debian packages (docs/face.md)
//   npm run eval:face -- --data DIR        # DIR holds images + pairs.json [{ "a": "x.jpg", "b": "y.jpg", "same": true }]
//   options: --backend wasm|auto|webgpu, --no-spoof, --detector fr-detect|blazeface-short-range
//
// Prints one JSON summary: TAR at FAR 1e-2 / 1e-3, AUC, score distributions (and the anti-spoof study).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withEvalPage } from './eval-page.mjs';
import { auc, summarize, tarAtFar } from './face-roc.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const dataDir = option('--data');
const backend = option('--backend') ?? 'wasm';
const detector = option('--detector') ?? 'fr-detect';
const withSpoof = !args.includes('--no-spoof') && !dataDir;
const log = (...m) => console.error('[eval:face]', ...m);

const mimeOf = (file) => (/\.png$/i.test(file) ? 'image/png' : 'image/jpeg');
const cosine = (a, b) => { let d = 0, na = 0, nb = 0; for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; } return d / Math.sqrt(na * nb); };

/** astronaut.png from Debian's python3-skimage, extracted without installing; undefined when apt is unavailable. */
function extractAstronaut(notes) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ekyc-skimage-'));
  try {
    execFileSync('apt-get', ['download', 'python3-skimage'], { cwd: dir, stdio: 'ignore' });
    const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
    execFileSync('dpkg', ['-x', path.join(dir, deb), path.join(dir, 'x')], { stdio: 'ignore' });
    const file = path.join(dir, 'x/usr/lib/python3/dist-packages/skimage/data/astronaut.png');
    if (!existsSync(file)) throw new Error('astronaut.png not in the package');
    return { bytes: readFileSync(file), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    notes.push(`astronaut.png skipped: ${error.message}`);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

function withBrowser(run) {
  return withEvalPage({ pagePath: 'e2e/pages/face.html', port: 5191 }, async (page) => {
    await page.evaluate(([b, d]) => window.faceTest.init(b, 100, d), [backend, detector]);
    return run(page);
  });
}

const load = (page, name, bytes, mime) => page.evaluate(([n, b, m]) => window.faceTest.load(n, b, m), [name, bytes.toString('base64'), mime]);
const embedAll = (page, name) => page.evaluate((n) => window.faceTest.embedAll(n), name);

function metrics(genuine, impostor) {
  return {
    pairs: { genuine: genuine.length, impostor: impostor.length },
    auc: auc(genuine, impostor),
    tarAtFar1e2: tarAtFar(genuine, impostor, 1e-2),
    tarAtFar1e3: tarAtFar(genuine, impostor, 1e-3),
    genuine: summarize(genuine),
    impostor: summarize(impostor),
  };
}

async function evalPairs(page) {
  const pairs = JSON.parse(readFileSync(path.join(dataDir, 'pairs.json'), 'utf8'));
  if (!Array.isArray(pairs)) throw new Error('pairs.json must be an array');
  const embeddings = new Map();
  const noFace = [];
  for (const file of new Set(pairs.flatMap((p) => [p.a, p.b]))) {
    await load(page, file, readFileSync(path.join(dataDir, file)), mimeOf(file));
    const faces = await embedAll(page, file);
    if (faces.length === 0) noFace.push(file);
    else embeddings.set(file, faces.sort((x, y) => y.score - x.score)[0].embedding); // best detector score, not biggest box
  }
  const genuine = [], impostor = [];
  let skipped = 0;
  for (const p of pairs) {
    const a = embeddings.get(p.a), b = embeddings.get(p.b);
    if (!a || !b) { skipped++; continue; }
    (p.same ? genuine : impostor).push(cosine(a, b));
  }
  return { data: dataDir, ...metrics(genuine, impostor), failedToDetect: noFace.length, pairsSkipped: skipped };
}

async function evalDefault(page) {
  const notes = [];
  const pkg = (p) => path.join(root, 'node_modules', p);
  const faces = []; // { id, group, embedding }
  const found = {}; // faces detected per image (recall: compare with the counts in docs/face.md)
  await load(page, 'facematch', readFileSync(pkg('@vladmandic/human/assets/screenshot-facematch.jpg')), 'image/jpeg');
  // The first row of the "extracted faces" grid: nine thumbnails of the same man.
  const grid = (await embedAll(page, 'facematch'))
    .filter((f) => { const cy = f.box.y + f.box.height / 2; return cy > 280 && cy < 390; })
    .sort((a, b) => a.box.x - b.box.x).slice(0, 9);
  found.facematchRow = grid.length;
  grid.forEach((f, i) => faces.push({ id: 'man', group: `thumb${i}`, embedding: f.embedding }));
  await load(page, 'selfie', readFileSync(pkg('@vladmandic/human/assets/screenshot-faceid.jpg')), 'image/jpeg');
  const selfieFaces = await embedAll(page, 'selfie');
  found.selfie = selfieFaces.length;
  const selfie = selfieFaces.sort((a, b) => b.score - a.score)[0];
  if (selfie) faces.push({ id: 'man', group: 'selfie', embedding: selfie.embedding });
  const images = ['selfie'];
  for (let n = 1; n <= 6; n++) {
    const name = `sample${n}`;
    await load(page, name, readFileSync(pkg(`@vladmandic/face-api/demo/${name}.jpg`)), 'image/jpeg');
    images.push(name);
    const inPhoto = await embedAll(page, name);
    found[name] = inPhoto.length;
    inPhoto.forEach((f, k) => faces.push({ id: `${name}#${k}`, group: name, embedding: f.embedding }));
  }
  const astronaut = extractAstronaut(notes);
  if (astronaut) {
    await load(page, 'astronaut', astronaut.bytes, 'image/png');
    astronaut.cleanup();
    images.push('astronaut');
    const all = await embedAll(page, 'astronaut');
    found.astronaut = all.length;
    const best = all.sort((a, b) => b.score - a.score)[0];
    if (best) faces.push({ id: 'astronaut', group: 'astronaut', embedding: best.embedding });
  }
  // Labels we can trust: the man's images are one identity; faces within one group photo are
  // different people; the man and the astronaut differ from everyone in the group photos. The
  // same women recur across face-api's photos, so cross-photo pairs among them are left out.
  const genuine = [], impostor = [];
  for (let i = 0; i < faces.length; i++) for (let j = i + 1; j < faces.length; j++) {
    const a = faces[i], b = faces[j];
    const s = cosine(a.embedding, b.embedding);
    if (a.id === b.id) genuine.push(s);
    else if (a.group === b.group || a.id === 'man' || b.id === 'man' || a.id === 'astronaut' || b.id === 'astronaut') impostor.push(s);
  }
  const result = { data: 'default (npm + Debian photos)', faces: faces.length, manImages: faces.filter((f) => f.id === 'man').length, found, ...metrics(genuine, impostor), notes };
  if (withSpoof) result.antiSpoof = await spoofStudy(page, images);
  return result;
}

/** Mean class probabilities of fr-liveness on genuine faces vs simulated screen / print recaptures. */
async function spoofStudy(page, images) {
  const rows = [];
  for (const name of images) rows.push(...(await page.evaluate((n) => window.faceTest.spoofProbe(n), name)));
  const mean = (key) => [0, 1, 2].map((c) => rows.reduce((s, r) => s + r[key][c], 0) / rows.length);
  const argmaxShare = (key, c) => rows.filter((r) => r[key].indexOf(Math.max(...r[key])) === c).length / rows.length;
  return {
    faces: rows.length,
    meanProbabilities: { genuine: mean('genuine'), screen: mean('screen'), print: mean('print') },
    argmaxShare: Object.fromEntries(['genuine', 'screen', 'print'].map((k) => [k, [0, 1, 2].map((c) => argmaxShare(k, c))])),
    genuineAboveRecapture: [0, 1, 2].map((c) => rows.filter((r) => r.genuine[c] > r.screen[c] && r.genuine[c] > r.print[c]).length / rows.length),
  };
}

const t0 = Date.now();
const summary = await withBrowser((page) => (dataDir ? evalPairs(page) : evalDefault(page)));
summary.backend = backend;
summary.detector = detector;
summary.seconds = Math.round((Date.now() - t0) / 1000);
console.log(JSON.stringify(summary, null, 2));
