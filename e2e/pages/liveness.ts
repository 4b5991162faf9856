import { face, liveness, sha256Hex, type RgbaImage } from '@ekyc/core';
import { decodeImageBlob, rgbaToI420 } from '@ekyc/testkit';
import { animateFace, type FacePose } from '@ekyc/testkit/liveness-video';
import { CLIP_FACE_WIDTH, clipDuration, clipFrame, clipFrameCount, clipScript, DEFAULT_CLIP, poseAt, type ClipScript } from '@ekyc/testkit/liveness-video';
import { parseY4mHeader, simulateScreenReplay, y4mFrames } from '@ekyc/testkit/liveness-video';
import { FaceClient, LivenessClient, toLivenessFrame, type TrackResult } from '@ekyc/workers';

/** Test, benchmark and evaluation page of the liveness worker; e2e/liveness.spec.ts, bench and scripts/eval-liveness.mjs drive `window.livenessTest`. */

export interface PageTrack {
  faceCount: number;
  points: number;
  landmarks: number[];
  signals: liveness.FaceSignals | null;
  presence: number | null;
  brightness: number;
  detected: boolean;
  timings: TrackResult['timings'];
}

let client: LivenessClient | undefined;
let faces: FaceClient | undefined;
const images = new Map<string, RgbaImage>();
const meshes = new Map<string, Float32Array>();

export type Attack = 'static' | 'rigid' | 'two_faces' | 'swap';

export interface ClipSpec {
  /** Composed photo (see `composeFace`) whose landmarks were settled (`settle`). */
  photo: string;
  performs: liveness.ChallengeKind[];
  /** The order the engine asks for (default: `performs`). */
  sequence?: liveness.ChallengeKind[];
  attack?: Attack;
  /** Second person: pasted beside the face (two_faces) or taking over halfway (swap). */
  other?: string;
  seed: number;
  /** Neutral time before the first action (default DEFAULT_CLIP's 1.5 s): a camera run needs longer, its baseline starts when the first frame is tracked. */
  leadMs?: number;
}

export interface ClipOutcome {
  state: liveness.LivenessState;
  reason: string | null;
  passed: liveness.ChallengeKind[];
  /** Pose-matched continuity (core PoseMatchedContinuity): the weakest link between each embedded face and the earlier one nearest in yaw (null: fewer than 2 embedded). */
  continuityMin: number | null;
  continuityOk: boolean;
  /** The links behind continuityMin. */
  continuityLinks: liveness.ContinuityLink[];
  /** Neutral-only continuity (before pose matching): lowest cosine of each challenge keyframe's face against the neutral keyframe's. */
  neutralContinuityMin: number | null;
  /** Median moiré score (core moireScore) of the keyframes' faces. */
  moire: number | null;
  signals: liveness.ReplaySignal[];
  frames: number;
  trackMs: number[];
  /** Guidance codes seen while waiting for the baseline, with counts (why a baseline was not taken). */
  waitingGuidance: Record<string, number>;
  transcript: liveness.LivenessTranscript;
}

const copy = (image: RgbaImage): RgbaImage => ({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) });

function need(name: string): RgbaImage {
  const image = images.get(name);
  if (!image) throw new Error(`image ${name} not loaded`);
  return image;
}

function summary(r: TrackResult, withLandmarks: boolean): PageTrack {
  return {
    faceCount: r.faceCount,
    points: r.landmarks ? r.landmarks.length / 3 : 0,
    landmarks: withLandmarks && r.landmarks ? Array.from(r.landmarks) : [],
    signals: r.signals ?? null,
    presence: r.presence ?? null,
    brightness: r.brightness,
    detected: r.detected,
    timings: r.timings,
  };
}

/** Face box -> frame: the face 210 px wide centred at (320, 220) of 640x480; outside an ellipse around the head, grey (one face per frame). */
function composeAround(src: RgbaImage, box: face.Box): RgbaImage {
  const [width, height] = [640, 480];
  const scale = 210 / box.width;
  const fx = box.x + box.width / 2;
  const fy = box.y + box.height / 2;
  const data = new Uint8ClampedArray(width * height * 4);
  const rx = box.width * 0.95;
  const ry = box.height * 1.05;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const sx = fx + (u - 320) / scale;
      const sy = fy + (v - 220) / scale;
      const o = (v * width + u) * 4;
      const e = ((sx - fx) / rx) ** 2 + ((sy - fy + box.height * 0.1) / ry) ** 2;
      const inside = sx >= 0 && sy >= 0 && sx < src.width - 1 && sy < src.height - 1;
      const k = inside ? Math.max(0, Math.min(1, (1.15 - e) / 0.15)) : 0;
      const i = (Math.floor(sy) * src.width + Math.floor(sx)) * 4;
      for (let c = 0; c < 3; c++) data[o + c] = k * (inside ? src.data[i + c]! : 0) + (1 - k) * 118;
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}

/** Pastes `small` (scaled by `scale`) at (x, y) onto a copy of `frame`. */
function paste(frame: RgbaImage, small: RgbaImage, x: number, y: number, scale: number): RgbaImage {
  const out = new Uint8ClampedArray(frame.data);
  const w = Math.floor(small.width * scale);
  const h = Math.floor(small.height * scale);
  for (let v = 0; v < h; v++) {
    for (let u = 0; u < w; u++) {
      const X = x + u;
      const Y = y + v;
      if (X < 0 || Y < 0 || X >= frame.width || Y >= frame.height) continue;
      const i = (Math.floor(v / scale) * small.width + Math.floor(u / scale)) * 4;
      out.set(small.data.subarray(i, i + 4), (Y * frame.width + X) * 4);
    }
  }
  return { width: frame.width, height: frame.height, data: out };
}

async function embedding(frame: RgbaImage): Promise<Float32Array | undefined> {
  faces ??= new FaceClient({ assetBaseUrl: '/ekyc/', backend: 'wasm', models: { antiSpoof: undefined, eye: undefined } }, 170_000);
  const found = await faces.embedAll(copy(frame));
  if (found.length === 0) return undefined;
  return found.sort((a, b) => b.face.box.width - a.face.box.width)[0]!.embedding;
}

/** Runs frames through the worker and an engine; keyframes get hashes and embeddings (continuity). */
async function judgeFrames(frames: Iterable<RgbaImage> | AsyncIterable<RgbaImage>, fps: number, sequence: liveness.ChallengeKind[]): Promise<ClipOutcome> {
  if (!client) throw new Error('init first');
  await client.reset();
  const engine = liveness.LivenessEngine.forEvaluation(sequence, liveness.DEFAULT_LIVENESS_CONFIG);
  // 0.4: above every impostor pair measured for fr-feature (max 0.366, docs/face.md). Turned, smiling keyframes
  // of one person went down to 0.496, and ~45-degree turned photo animations to 0.316 (docs/liveness.md).
  const continuity = new face.FaceContinuity({ threshold: 0.4 });
  let neutralContinuityMin: number | null = null;
  let embedded = 0;
  const poseContinuity = new liveness.PoseMatchedContinuity();
  const moireValues: number[] = [];
  let neutralTaken = false;
  const trackMs: number[] = [];
  const waitingGuidance: Record<string, number> = {};
  let n = 0;
  for await (const frame of frames) {
    const t = 1000 + (n++ * 1000) / fps;
    const keep = copy(frame);
    const t0 = performance.now();
    const r = await client.track(frame);
    trackMs.push(performance.now() - t0);
    const step = engine.push(toLivenessFrame(r, t));
    if (step.state === 'waiting') for (const g of step.guidance.length ? step.guidance : ['none']) waitingGuidance[g] = (waitingGuidance[g] ?? 0) + 1;
    if (step.keyframe) {
      engine.attachKeyframe(t, { sha256: await sha256Hex(new Uint8Array(keep.data.buffer as ArrayBuffer, keep.data.byteOffset, keep.data.byteLength)), ...(r.landmarks ? { landmarks: r.landmarks } : {}) });
      if (step.keyframe === 'neutral') neutralTaken = true;
      const m = r.signals ? liveness.moireScore(keep, r.signals.box).value : null;
      if (m !== null) moireValues.push(m);
    }
    const yaw = r.faceCount === 1 ? r.signals?.yaw : undefined;
    if (neutralTaken && step.accepted && yaw !== undefined && poseContinuity.select(t, yaw, step.keyframe !== null)) {
      const e = await embedding(keep);
      if (e) {
        poseContinuity.add(t, yaw, e);
        if (step.keyframe) {
          const check = continuity.check(e);
          if (++embedded > 1) neutralContinuityMin = check.minimum;
        }
      } else {
        poseContinuity.cancel(t);
      }
    }
    if (step.state !== 'waiting' && step.state !== 'active') break;
  }
  const transcript = engine.transcript();
  const result = engine.result();
  moireValues.sort((a, b) => a - b);
  const mid = moireValues.length >> 1;
  const moire = moireValues.length ? (moireValues.length % 2 ? moireValues[mid]! : (moireValues[mid - 1]! + moireValues[mid]!) / 2) : null;
  return {
    state: result.state,
    reason: result.reason,
    passed: [...result.passed],
    continuityMin: poseContinuity.minimum,
    continuityOk: poseContinuity.ok,
    continuityLinks: [...poseContinuity.links],
    neutralContinuityMin,
    moire,
    signals: liveness.assessReplaySignals({ series: transcript.frames, continuityMinimum: poseContinuity.minimum, moire }),
    frames: n,
    trackMs,
    waitingGuidance,
    transcript,
  };
}

function scriptOf(spec: ClipSpec): ClipScript {
  return clipScript(spec.performs, spec.seed, { still: spec.attack === 'static', ...(spec.leadMs !== undefined ? { leadMs: spec.leadMs } : {}) });
}

function frameCount(spec: ClipSpec): number {
  return clipFrameCount(scriptOf(spec));
}

/** Frame `i` of a generated clip (poses are a function of time, so any frame can be made alone). */
function frameAt(spec: ClipSpec, i: number): RgbaImage {
  const script = scriptOf(spec);
  const photo = need(spec.photo);
  const mesh = meshes.get(spec.photo);
  if (!mesh) throw new Error(`settle ${spec.photo} first`);
  if (spec.attack === undefined || spec.attack === 'static') return clipFrame(photo, mesh, script, i, spec.attack === 'static');
  const other = spec.other ? need(spec.other) : undefined;
  const otherMesh = spec.other ? meshes.get(spec.other) : undefined;
  const t = (i * 1000) / script.fps;
  let pose: FacePose = poseAt(script, t);
  if (spec.attack === 'rigid') {
    // The photo moved as a whole, harder than a head moves: slid, rotated, scaled; no expression, no turn.
    const s = t / 1000;
    pose = { eyeClosure: 0, smile: 0, yaw: 0, dx: 40 * Math.sin(1.3 * s), dy: 15 * Math.sin(0.9 * s), roll: 12 * Math.sin(1.1 * s), scale: 1 + 0.12 * Math.sin(0.7 * s) };
  }
  const swapped = spec.attack === 'swap' && other && otherMesh && t > clipDuration(script) / 2;
  let frame = swapped ? animateFace(other, otherMesh, pose, CLIP_FACE_WIDTH) : animateFace(photo, mesh, pose, CLIP_FACE_WIDTH);
  if (spec.attack === 'two_faces' && other) frame = paste(frame, other, 450, 0, 0.3);
  return frame;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k += 0x8000) s += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(s);
}

function* clipFrames(spec: ClipSpec): Generator<RgbaImage> {
  const total = frameCount(spec);
  for (let i = 0; i < total; i++) yield frameAt(spec, i);
}

const livenessTest = {
  async init(detectEvery = 10): Promise<void> {
    client?.terminate();
    client = new LivenessClient({ assetBaseUrl: '/ekyc/', detectEvery }, 170_000);
    await client.reset();
  },
  async loadUrl(name: string, url: string): Promise<{ width: number; height: number }> {
    const blob = await (await fetch(url)).blob();
    const image = await decodeImageBlob(blob);
    images.set(name, image);
    return { width: image.width, height: image.height };
  },
  /** Puts a loaded image on a `width` x `height` grey canvas at (x, y), scaled by `scale`. */
  compose(name: string, source: string, width: number, height: number, x: number, y: number, scale: number): void {
    const src = need(source);
    const out = new Uint8ClampedArray(width * height * 4).fill(128);
    for (let v = 0; v < height; v++) {
      for (let u = 0; u < width; u++) {
        const sx = Math.floor((u - x) / scale);
        const sy = Math.floor((v - y) / scale);
        const o = (v * width + u) * 4;
        if (sx >= 0 && sy >= 0 && sx < src.width && sy < src.height) out.set(src.data.subarray((sy * src.width + sx) * 4, (sy * src.width + sx) * 4 + 4), o);
        out[o + 3] = 255;
      }
    }
    images.set(name, { width, height, data: out });
  },
  blank(name: string, width: number, height: number): void {
    images.set(name, { width, height, data: new Uint8ClampedArray(width * height * 4).fill(90) });
  },
  async reset(): Promise<void> {
    await client!.reset();
  },
  async track(name: string, withLandmarks = false): Promise<PageTrack> {
    if (!client) throw new Error('init first');
    return summary(await client.track(copy(need(name))), withLandmarks);
  },
  /** Tracks the same image `n` times (a still stream): per-frame times on the page and in the worker. */
  async trackLoop(name: string, n: number): Promise<{ roundTripMs: number[]; totalMs: number[]; landmarksMs: number[]; detectMs: number[]; faces: number[] }> {
    if (!client) throw new Error('init first');
    const image = need(name);
    const out = { roundTripMs: [] as number[], totalMs: [] as number[], landmarksMs: [] as number[], detectMs: [] as number[], faces: [] as number[] };
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await client.track(copy(image));
      out.roundTripMs.push(performance.now() - t0);
      out.totalMs.push(r.timings.totalMs);
      out.landmarksMs.push(r.timings.landmarksMs);
      out.detectMs.push(r.timings.detectMs);
      out.faces.push(r.faceCount);
    }
    return out;
  },
  /** Boxes of the faces in a loaded photo (fr-detect), largest first. */
  async detectFaces(name: string): Promise<face.Box[]> {
    faces ??= new FaceClient({ assetBaseUrl: '/ekyc/', backend: 'wasm', models: { antiSpoof: undefined, eye: undefined } }, 170_000);
    return (await faces.detect(copy(need(name)))).map((f) => f.box);
  },
  /** A 640x480 frame of one face of a photo (see composeAround). */
  composeFace(name: string, source: string, box: face.Box): void {
    images.set(name, composeAround(need(source), box));
  },
  /** Tracks an image a few times and keeps its landmarks for animation; null when no face is tracked. */
  async settle(name: string): Promise<{ points: number; signals: liveness.FaceSignals } | null> {
    if (!client) throw new Error('init first');
    await client.reset();
    let last: TrackResult | undefined;
    for (let i = 0; i < 4; i++) last = await client.track(copy(need(name)));
    if (!last?.landmarks || !last.signals || last.faceCount !== 1) return null;
    meshes.set(name, last.landmarks);
    return { points: last.landmarks.length / 3, signals: last.signals };
  },
  /** A settled photo animated to one pose, kept as `name` (to track a single pose). */
  pose(name: string, photo: string, pose: FacePose): void {
    const mesh = meshes.get(photo);
    if (!mesh) throw new Error(`photo ${photo} not settled`);
    images.set(name, animateFace(need(photo), mesh, pose, 210));
  },
  /** `base` with `other` pasted at (x, y), scaled (the two_faces attack's frame: 450, 0, 0.3). */
  paste(name: string, base: string, other: string, x: number, y: number, scale: number): void {
    images.set(name, paste(need(base), need(other), x, y, scale));
  },
  /** Generates a clip of a settled photo in the page and judges it. */
  async runClip(spec: ClipSpec): Promise<ClipOutcome> {
    return judgeFrames(clipFrames(spec), DEFAULT_CLIP.fps, spec.sequence ?? spec.performs);
  },
  /** Frame count and fps of a generated clip. */
  clipInfo(spec: ClipSpec): { frames: number; fps: number; width: number; height: number } {
    const photo = need(spec.photo);
    return { frames: frameCount(spec), fps: DEFAULT_CLIP.fps, width: photo.width, height: photo.height };
  },
  /**
   * A composed photo and its settled landmarks, for rendering clips in Node (e2e/face-clip.ts: a frame's
   * I420 planes through page.evaluate cost about 45 ms each in base64 and transfer alone).
   */
  clipSource(name: string): { width: number; height: number; rgba: string; landmarks: number[] } {
    const photo = need(name);
    const mesh = meshes.get(name);
    if (!mesh) throw new Error(`settle ${name} first`);
    return { width: photo.width, height: photo.height, rgba: base64(new Uint8Array(photo.data.buffer, photo.data.byteOffset, photo.data.byteLength)), landmarks: Array.from(mesh) };
  },
  /** Frame `i` of a generated clip as I420 planes, base64 (for writing y4m files in Node). */
  clipFrameI420(spec: ClipSpec, i: number): string {
    return base64(rgbaToI420(frameAt(spec, i)));
  },
  /** Judges a y4m clip served at `url` against `sequence` (eval --data). */
  async runY4m(url: string, sequence: liveness.ChallengeKind[]): Promise<ClipOutcome> {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const info = parseY4mHeader(bytes);
    return judgeFrames(y4mFrames(bytes, info), info.fps, sequence);
  },
  /** The recorded frames of a transcript judged under another order (a replay under a new nonce). */
  replayUnder(transcript: liveness.LivenessTranscript, order: liveness.ChallengeKind[]): liveness.LivenessState {
    return liveness.replayTranscript({ ...transcript, sequence: { source: 'explicit', order } }).current;
  },
  /**
   * Live camera (the fake camera in tests): every new video frame is read back, tracked in the
   * worker and fed to one engine per sequence (one frame in flight; frames arriving meanwhile are
   * dropped). Ends when every engine has ended or after `maxMs`.
   */
  async runCamera(sequences: liveness.ChallengeKind[][], maxMs: number): Promise<{ states: liveness.LivenessState[]; reasons: (string | null)[]; transcripts: liveness.LivenessTranscript[]; frames: number; dropped: number; trackMs: number[]; label: string; width: number; height: number }> {
    if (!client) throw new Error('init first');
    await client.reset();
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await video.play();
    const engines = sequences.map((seq) => liveness.LivenessEngine.forEvaluation(seq, liveness.DEFAULT_LIVENESS_CONFIG));
    const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const trackMs: number[] = [];
    let frames = 0;
    let dropped = 0;
    let busy = false;
    const start = performance.now();
    const done = () => engines.every((e) => e.current !== 'waiting' && e.current !== 'active');
    await new Promise<void>((resolve) => {
      const onFrame = (): void => {
        if (done() || performance.now() - start > maxMs) return resolve();
        video.requestVideoFrameCallback(onFrame);
        if (busy) {
          dropped++;
          return;
        }
        busy = true;
        const t = performance.now();
        ctx.drawImage(video, 0, 0);
        const { width, height, data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        client!.track({ width, height, data }).then((r) => {
          trackMs.push(performance.now() - t);
          frames++;
          for (const e of engines) if (e.current === 'waiting' || e.current === 'active') e.push(toLivenessFrame(r, t));
          busy = false;
        });
      };
      video.requestVideoFrameCallback(onFrame);
    });
    const label = stream.getVideoTracks()[0]?.label ?? '';
    for (const track of stream.getTracks()) track.stop();
    return { states: engines.map((e) => e.current), reasons: engines.map((e) => e.result().reason), transcripts: engines.map((e) => e.transcript()), frames, dropped, trackMs, label, width: canvas.width, height: canvas.height };
  },
  /**
   * Moiré scores (core `moireScore`) of a settled photo's rendered frame: as the camera would give it
   * (sensor noise 2 levels), turned 30 degrees, after JPEG at quality 0.8, and filmed off a simulated
   * screen (testkit `simulateScreenReplay`) at each pitch and angle. The face box is the tracker's on
   * the camera frame (the screen shows the face at the same place), so a screen frame is scored
   * whether or not the tracker holds it.
   */
  async moire(photo: string, pitches: number[], angles: number[]): Promise<{ genuine: number | null; turned: number | null; jpeg: number | null; screens: { pitch: number; angle: number; value: number | null }[] }> {
    if (!client) throw new Error('init first');
    const mesh = meshes.get(photo);
    if (!mesh) throw new Error(`settle ${photo} first`);
    // The camera path without a screen: fill 1 lights the whole pixel, so only blur and noise remain.
    const camera = (image: RgbaImage, seed: number): RgbaImage => simulateScreenReplay(image, { pitch: 1, angleDeg: 0, fill: 1, seed });
    const boxOf = async (image: RgbaImage): Promise<face.Box | null> => {
      await client!.reset();
      const r = await client!.track(copy(image));
      return r.signals?.box ?? null;
    };
    const score = (image: RgbaImage, box: face.Box | null): number | null => (box ? liveness.moireScore(image, box).value : null);
    const frame = animateFace(need(photo), mesh, { eyeClosure: 0, smile: 0, yaw: 0 }, 210);
    const canvas = new OffscreenCanvas(frame.width, frame.height);
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(frame.data), frame.width, frame.height), 0, 0);
    const jpeg = await decodeImageBlob(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 }));
    const genuine = camera(frame, 1);
    const box = await boxOf(genuine);
    const turned = camera(animateFace(need(photo), mesh, { eyeClosure: 0, smile: 0, yaw: 30 }, 210), 2);
    const screens: { pitch: number; angle: number; value: number | null }[] = [];
    for (const pitch of pitches) for (const angle of angles) screens.push({ pitch, angle, value: score(simulateScreenReplay(frame, { pitch, angleDeg: angle, seed: screens.length + 3 }), box) });
    return { genuine: score(genuine, box), turned: score(turned, await boxOf(turned)), jpeg: score(jpeg, box), screens };
  },
  /** Engine frame for a tracked image (what the session would push). */
  async frame(name: string, t: number): Promise<liveness.LivenessFrame> {
    if (!client) throw new Error('init first');
    return toLivenessFrame(await client.track(copy(need(name))), t);
  },
};

declare global {
  interface Window { livenessTest: typeof livenessTest }
}
window.livenessTest = livenessTest;
document.body.dataset['ready'] = 'true';
