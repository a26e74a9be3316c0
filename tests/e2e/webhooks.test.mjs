// Outbound subscriptions, verified by an independent implementation of the Standard
// Webhooks specification: the `standardwebhooks` package from the npm registry. The real
// `docledger` binary (migrate + serve) delivers to a receiver in this test (node:http),
// which verifies every request's webhook-id, webhook-timestamp and webhook-signature
// before it answers.
//
// Environment: DOCLEDGER_TEST_DATABASE_URL (required; a fresh database is made and dropped),
// DOCLEDGER_BINARY, DOCLEDGER_E2E_ARTIFACTS (the server log goes there).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, dropDatabase, freePort } from './support.mjs';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BINARY = resolve(ROOT, process.env.DOCLEDGER_BINARY || 'build/debug/docledger');
const ARTIFACTS = resolve(ROOT, process.env.DOCLEDGER_E2E_ARTIFACTS || 'build/e2e-artifacts');
const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef0123456789';

let adminUrl = '';
let databaseName = '';
let server = null;
let serverExit = null;
let base = '';
let receiver = null;
let receiverUrl = '';
const received = [];    // every request: { path, headers, body, status }
const answers = [];     // statuses to answer next, in order (then 200)
const arrivals = new EventEmitter();  // 'request' after each one is recorded

// Waits until `condition` returns a truthy value (returned) or `ms` pass (throws). The
// conditions read what the receiver in this process recorded, so each is looked at again
// when a request arrives, not on a timer.
async function until(what, condition, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (serverExit) throw new Error(`docledger serve exited (${serverExit}) while waiting for ${what}`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => {
      const done = () => { clearTimeout(timer); arrivals.off('request', done); resolve(); };
      const timer = setTimeout(done, left);
      arrivals.once('request', done);
    });
  }
}

async function call(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function appendJob(stream) {
  const reply = await call('POST', `/api/v1/streams/${stream}/events`,
    { events: [{ event_type: 'JobStarted', payload: { job_id: randomUUID(), kind: 'crawl' } }] });
  assert.equal(reply.status, 201, JSON.stringify(reply.json));
  return reply.json.events[0].sequence;
}

// The requests to `path` the receiver answered 2xx.
function deliveredTo(path) {
  return received.filter((r) => r.path === path && r.status < 300);
}

before(async () => {
  const clusterUrl = process.env.DOCLEDGER_TEST_DATABASE_URL;
  assert.ok(clusterUrl, 'DOCLEDGER_TEST_DATABASE_URL is required (scripts/pg-local start prints one)');
  mkdirSync(ARTIFACTS, { recursive: true });
  adminUrl = clusterUrl;
  const database = createDatabase(clusterUrl, 'e2e_webhooks');
  databaseName = database.name;

  receiver = createHttpServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const status = answers.length > 0 ? answers.shift() : 200;
      received.push({ path: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      arrivals.emit('request');
      response.writeHead(status, { 'Content-Type': 'text/plain' });
      response.end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${receiver.address().port}`;

  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    DOCLEDGER_ENV: 'development',
    DOCLEDGER_LOG_FORMAT: 'text',
    DOCLEDGER_API_KEYS: `admin:${ADMIN_KEY}`,
    DOCLEDGER_SUBSCRIPTION_RETRY_BASE_MS: '50',
    DOCLEDGER_SUBSCRIPTION_RETRY_MAX_MS: '200',
  };
  execFileSync(BINARY, ['migrate'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const log = openSync(`${ARTIFACTS}/webhooks-server.log`, 'w');
  server = spawn(BINARY, ['serve'], { env: { ...env, DOCLEDGER_LISTEN: `127.0.0.1:${port}` }, stdio: ['ignore', log, log] });
  server.on('exit', (code, signal) => { serverExit = signal || String(code); });
  // Another process's state: looked at every 50 ms until it answers.
  const ready = Date.now() + 60000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) break;
    } catch { /* not listening yet */ }
    if (serverExit) throw new Error(`docledger serve exited (${serverExit}) before it was ready`);
    if (Date.now() > ready) throw new Error('docledger serve was not ready within 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  if (server && !serverExit) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (receiver) await new Promise((r) => receiver.close(r));
  if (databaseName) dropDatabase(adminUrl, databaseName);
});

test('every delivery verifies with the standardwebhooks package, in order, the same id on a retry', async () => {
  const created = await call('POST', '/api/v1/subscriptions',
    { url: `${receiverUrl}/ordered`, stream_prefix: 'node-', max_batch: 2, description: 'node verifier' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const { secret } = created.json;
  assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  const webhook = new Webhook(secret);

  answers.push(500);  // the first attempt fails; the batch is sent again under its id
  const sequences = [];
  for (let i = 0; i < 5; i += 1) sequences.push(await appendJob(`node-${i}`));
  await until('all five events', () => deliveredTo('/ordered').flatMap((r) => JSON.parse(r.body).events).length >= 5);

  const requests = received.filter((r) => r.path === '/ordered');
  for (const request of requests) {
    const payload = webhook.verify(request.body, request.headers);  // throws on a bad signature
    assert.equal(payload.subscription_id, created.json.subscription_id);
    assert.equal(request.headers['content-type'], 'application/json');
  }
  assert.equal(requests[0].status, 500);
  assert.equal(requests[1].headers['webhook-id'], requests[0].headers['webhook-id'], 'a retry keeps the webhook-id');
  assert.equal(requests[1].body, requests[0].body, 'and the batch');
  const delivered = deliveredTo('/ordered').flatMap((r) => JSON.parse(r.body).events.map((e) => e.sequence));
  assert.deepEqual(delivered, sequences);

  // The verifier is not a rubber stamp: a changed body or a foreign secret is refused.
  const tampered = requests[1].body.replace('"JobStarted"', '"JobStartex"');
  assert.throws(() => webhook.verify(tampered, requests[1].headers), WebhookVerificationError);
  const stranger = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
  assert.throws(() => stranger.verify(requests[1].body, requests[1].headers), WebhookVerificationError);
});

test('during a secret rotation both the old and the new secret verify', async () => {
  const created = await call('POST', '/api/v1/subscriptions', { url: `${receiverUrl}/rotated`, stream_prefix: 'rot-' });
  assert.equal(created.status, 201);
  const id = created.json.subscription_id;
  const rotated = await call('POST', `/api/v1/subscriptions/${id}/rotate-secret`, { overlap_seconds: 600 });
  assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
  assert.equal(rotated.json.secret_version, 2);
  await appendJob('rot-1');
  const [request] = await until('a delivery after the rotation', () => deliveredTo('/rotated').length && deliveredTo('/rotated'));
  new Webhook(created.json.secret).verify(request.body, request.headers);
  new Webhook(rotated.json.secret).verify(request.body, request.headers);
  assert.equal(request.headers['webhook-signature'].split(' ').length, 2);
});
