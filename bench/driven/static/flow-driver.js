// Drives <ekyc-flow> from the prebuilt browser bundle (what an integrator ships), headless, the way a
// user would answer each wait, and records when each step began and became ready. Plain JavaScript:
// bench/driven/static-server.ts serves it as is, next to the bundle (/sdk/) and the assets (/ekyc/).
// Times are performance.now() (ms since this page's navigation started); `timeOrigin` turns them
// into epoch ms so bench/driven/flow-run.ts can attribute the network requests to steps.
//
//   ?mode=readiness  every step; the document by the camera (auto-capture, or the upload 20 s after
//                    both document workers are ready), the selfie uploaded once the liveness worker is ready
//   ?mode=camera     document steps only, by the camera; no upload: auto-capture or failure
const loadedAt = performance.now();
await import('/sdk/ekyc-elements.js');
const definedAt = performance.now();

const mode = new URLSearchParams(location.search).get('mode') ?? 'readiness';
const STEPS = mode === 'camera' ? ['document-front', 'document-review'] : undefined;
const UPLOAD_AFTER_READY_MS = 20_000;
const GUIDANCE_KEPT = 400;

const fixture = async (name) => (await fetch(`/fixtures/${name}`)).blob();

async function run() {
  const [documentJpeg, selfieJpeg] = await Promise.all([fixture('document.jpg'), fixture('selfie.jpg')]);
  const now = () => performance.now();
  const report = {
    mode, timeOrigin: performance.timeOrigin, loadedAt, definedAt, startAt: 0, steps: [], models: [], cameras: [], guidance: [], guidanceCount: {},
    processing: [], errors: [], awaiting: [], review: null, status: null, uploads: [], complete: null,
  };
  const element = document.createElement('ekyc-flow');
  element.session = { config: {} };
  element.assetBaseUrl = '/ekyc/';
  element.backend = 'wasm';
  element.capture = 'camera';
  element.locale = 'en';
  if (STEPS) element.steps = STEPS;
  document.body.append(element);

  let flow = null;
  const answered = new Set();
  const modelReady = (worker) => report.models.some((m) => m.worker === worker && m.readyAt !== null);
  const upload = (step, blob, why) => {
    if (!flow || flow.state.step !== step) return;
    report.uploads.push({ step, at: now(), why });
    void flow.useUpload([blob]);
  };
  const waitThen = (test, timeoutMs, action) => {
    const started = now();
    const tick = () => {
      if (test()) return action('ready');
      if (now() - started > timeoutMs) return action('timeout');
      setTimeout(tick, 100);
    };
    tick();
  };

  const listenToFlow = (f) => {
    f.addEventListener('camera', (e) => report.cameras.push({ step: e.detail.step, at: now(), open: e.detail.stream !== null, settings: e.detail.settings ?? null }));
    f.addEventListener('review', (e) => {
      const d = e.detail;
      report.review = { at: now(), valid: d.valid, format: d.format, documentType: d.documentType, fieldsFound: Object.values(d.fields).filter((v) => v !== null && v !== '').length, uncertain: d.uncertain.length, issues: d.issues, portraitFound: d.portraitFound, frames: f.state.sides.map((s) => s.frames ?? null) };
    });
    f.addEventListener('state', (e) => {
      const { step, awaiting, status } = e.detail;
      if (status !== 'running' || step === null || awaiting === null) return;
      const key = `${step}:${awaiting}`;
      if (answered.has(key)) return;
      answered.add(key);
      report.awaiting.push({ step, awaiting, at: now() });
      queueMicrotask(() => {
        if (awaiting === 'consent') f.grantConsent();
        else if (awaiting === 'review') f.confirmReview();
        else if (awaiting === 'upload') upload(step, step === 'liveness' ? selfieJpeg : documentJpeg, 'upload mode');
        else if (awaiting === 'error' && mode === 'readiness') {
          // A recoverable failure (no face on the liveness camera, say): the upload is a way forward in every capture step.
          if (step === 'liveness') upload(step, selfieJpeg, 'after error');
          else if (step === 'document-front') upload(step, documentJpeg, 'after error');
        } else if (awaiting === 'capture' && mode === 'readiness') {
          if (step === 'document-front') {
            waitThen(() => modelReady('quality') && modelReady('document') || f.state.step !== step, 180_000, () => {
              setTimeout(() => upload(step, documentJpeg, 'no auto-capture'), UPLOAD_AFTER_READY_MS);
            });
          } else if (step === 'liveness') {
            // The fake camera shows the document, never a face: once the worker is ready the selfie is uploaded.
            waitThen(() => modelReady('liveness') || f.state.step !== step, 180_000, () => upload(step, selfieJpeg, 'liveness worker ready'));
          }
        }
      });
    });
  };

  element.addEventListener('ekyc-step', (e) => {
    if (!flow && element.verificationFlow) {
      flow = element.verificationFlow;
      listenToFlow(flow);
    }
    report.steps.push({ step: e.detail.step, at: now(), awaiting: e.detail.awaiting });
  });
  element.addEventListener('ekyc-progress', (e) => {
    const d = e.detail;
    if (d.kind === 'model') {
      if (d.state === 'loading') report.models.push({ worker: d.worker, step: d.step, bytesTotal: d.bytesTotal, loadingAt: now(), readyAt: null });
      else {
        const entry = report.models.find((m) => m.worker === d.worker && m.readyAt === null);
        if (entry) entry.readyAt = now();
      }
    } else report.processing.push({ step: d.step, task: d.task, done: d.done, total: d.total, at: now() });
  });
  element.addEventListener('ekyc-guidance', (e) => {
    const d = e.detail;
    report.guidanceCount[d.step] = (report.guidanceCount[d.step] ?? 0) + 1;
    if (report.guidance.length < GUIDANCE_KEPT) report.guidance.push({ step: d.step, at: now(), source: d.source, codes: d.codes.join(','), stable: d.countdown?.stable ?? null, needed: d.countdown?.needed ?? null });
  });
  element.addEventListener('ekyc-error', (e) => report.errors.push({ step: e.detail.step, code: e.detail.code, recoverable: e.detail.recoverable, at: now() }));
  element.addEventListener('ekyc-complete', (e) => { report.complete = { at: now(), delivery: e.detail.delivery, local: e.detail.local }; });

  report.startAt = now();
  const final = await element.start();
  report.status = final?.status ?? null;
  report.endAt = now();
  element.remove();
  return report;
}

window.flowBenchDone = run().catch((error) => ({ failed: String(error?.stack ?? error) }));
document.body.dataset.ready = 'true';
