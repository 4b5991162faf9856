// Runs after ekyc-elements.js (module scripts run in order), so <ekyc-flow> is defined.
const flow = document.querySelector('ekyc-flow');
flow.session = { config: {} };
document.querySelector('#start').addEventListener('click', () => void flow.start());
flow.addEventListener('ekyc-complete', (event) => {
  document.querySelector('#outcome').textContent = `Done: delivery ${event.detail.delivery}`;
});
