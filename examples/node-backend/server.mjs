// A minimal integrator backend next to the reference verifier (docs/verifier.md):
//   POST /start    creates a verifier session with the integrator key and returns what the page
//                  gives <ekyc-flow> (verifier-url, session-id, token)
//   POST /webhooks receives the verifier's decision webhooks (signature checked in webhook.mjs)
// Environment: VERIFIER_URL, VERIFIER_API_KEY, WEBHOOK_SECRETS (comma-separated), PORT.
import { createServer } from 'node:http';
import { receiveWebhook } from './webhook.mjs';

const verifierUrl = process.env.VERIFIER_URL ?? 'http://127.0.0.1:8787';
const apiKey = process.env.VERIFIER_API_KEY;
const secrets = (process.env.WEBHOOK_SECRETS ?? '').split(',').filter(Boolean);
if (!apiKey || secrets.length === 0) {
  console.error('Set VERIFIER_API_KEY and WEBHOOK_SECRETS.');
  process.exit(1);
}

const readBody = async (req) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/start') {
    const created = await fetch(`${verifierUrl}/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const session = await created.json();
    res.writeHead(created.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ verifierUrl, sessionId: session.sessionId, token: session.clientToken }));
    return;
  }
  if (req.method === 'POST' && req.url === '/webhooks') {
    const result = receiveWebhook(await readBody(req), req.headers, secrets);
    // Act on result.event here (decision approved / declined / review); never on an unverified body.
    res.writeHead(result.status).end();
    return;
  }
  res.writeHead(404).end();
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
