// React 19 renders <ekyc-flow> as a custom element: object props (`session`) are set as properties,
// `on<event-name>` props become listeners for the element's CustomEvents. No JSX, so no plugin.
import '@ekyc/elements';
import { createElement as h, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

function Verify() {
  const flow = useRef(null);
  const [outcome, setOutcome] = useState('');
  return h('main', null,
    h('ekyc-flow', {
      ref: flow,
      'asset-base-url': '/ekyc/',
      controller: 'Example Bank',
      'retention-days': '30',
      // No verifier here: a config session builds and signs the evidence on the device.
      session: { config: {} },
      'onekyc-complete': (event) => setOutcome(`Done: delivery ${event.detail.delivery}`),
      'onekyc-error': (event) => console.warn('ekyc-error', event.detail.code),
    }, h('button', { slot: 'idle', type: 'button', id: 'start', onClick: () => void flow.current?.start() }, 'Verify my identity')),
    h('p', { role: 'status' }, outcome));
}

createRoot(document.getElementById('root')).render(h(Verify));
