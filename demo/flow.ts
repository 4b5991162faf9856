/**
 * The whole verification on the demo page with `<ekyc-flow>`, against the reference verifier that
 * `npm start` runs under `/api`. The session is created by the launcher's development-only
 * `POST /dev/session` (it holds the integrator API key; the page receives only the session id and
 * its client token). The flow ends on the verifier's decision; the session can then be opened in
 * the auditor page. Elements and flow code load only when the user starts.
 */
const start = document.getElementById('flow-start') as HTMLButtonElement | null;
const stage = document.getElementById('flow-stage');
const note = document.getElementById('flow-status');

function say(text: string): void {
  if (note) note.textContent = text;
}

async function begin(): Promise<void> {
  if (!stage || !start) return;
  start.disabled = true;
  const created = await fetch('/dev/session', { method: 'POST' }).catch(() => null);
  if (created === null || created.status === 404 || created.status === 405) {
    say('No verifier here: run `npm start` (it serves this page with the verifier and a development session endpoint).');
    start.disabled = false;
    return;
  }
  if (!created.ok) {
    const body = (await created.json().catch(() => null)) as { code?: string } | null;
    say(`The verifier refused to create a session: ${body?.code ?? created.status}.`);
    start.disabled = false;
    return;
  }
  const session = (await created.json()) as { sessionId: string; clientToken: string };
  await import('@ekyc/elements');
  const flow = document.createElement('ekyc-flow');
  const attributes: Record<string, string> = {
    'verifier-url': new URL('/api', location.href).href, 'session-id': session.sessionId, token: session.clientToken,
    'asset-base-url': '/ekyc/', controller: 'eKYC SDK demo', 'retention-days': '30',
  };
  for (const [name, value] of Object.entries(attributes)) flow.setAttribute(name, value);
  flow.addEventListener('ekyc-complete', () => {
    const link = document.createElement('a');
    link.href = `/demo/auditor.html?session=${encodeURIComponent(session.sessionId)}`;
    link.textContent = `Open session ${session.sessionId} in the auditor`;
    note?.replaceChildren(link);
  });
  stage.replaceChildren(flow);
  say(`Session ${session.sessionId}.`);
  await flow.updateComplete;
  await flow.start();
}

start?.addEventListener('click', () => void begin().catch((error: unknown) => {
  console.error(error);
  say('The verification could not start: see the console.');
  if (start) start.disabled = false;
}));
