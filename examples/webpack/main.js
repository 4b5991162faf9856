// Importing @ekyc/elements defines every <ekyc-*> element. The flow and its workers load on start().
import '@ekyc/elements';

const flow = document.querySelector('ekyc-flow');
// No verifier here: a config session builds and signs the evidence on the device.
// With a verifier, set verifier-url, session-id and token (from your backend's POST /sessions).
flow.session = { config: {} };
document.querySelector('#start').addEventListener('click', () => void flow.start());
flow.addEventListener('ekyc-complete', (event) => {
  document.querySelector('#outcome').textContent = `Done: delivery ${event.detail.delivery}`;
});
