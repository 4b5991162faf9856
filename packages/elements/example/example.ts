// Runs with this repository's dev server: `npm run demo`, then open /packages/elements/example/.
// No verifier: a config session builds and signs the evidence on the device (`delivery: 'local'`).
// With a verifier, set verifier-url, session-id and token instead (from your backend's POST /sessions).
import '@ekyc/elements';

const flow = document.querySelector('ekyc-flow')!;
flow.session = { config: {} };
document.querySelector('#start')!.addEventListener('click', () => void flow.start());
flow.addEventListener('ekyc-complete', (event) => {
  document.querySelector('#outcome')!.textContent = `Done: delivery ${event.detail.delivery}`;
});
flow.addEventListener('ekyc-error', (event) => console.warn('ekyc-error', event.detail.code, event.detail.recoverable));
