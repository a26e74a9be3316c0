// End-to-end test of the operator console (GET /console/): the real `docledger` binary
// (migrate + serve) against a fresh PostgreSQL database, driven through Debian's headless
// Chromium by playwright-core (never a downloaded browser).
//
// Environment:
//   DOCLEDGER_TEST_DATABASE_URL  a PostgreSQL cluster (scripts/pg-local); this test creates a
//                                fresh database on it and drops it at the end (required)
//   DOCLEDGER_BINARY             the binary under test (default build/debug/docledger)
//   DOCLEDGER_E2E_ARTIFACTS      where the screenshots and the server log go
//                                (default build/e2e-artifacts)
//   CHROMIUM                     the browser (default /usr/bin/chromium)
//
// Every wait awaits a condition (Playwright's auto-waiting assertions, or polling a
// condition with a deadline); none is a fixed sleep.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, dropDatabase, freePort, psql } from './support.mjs';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BINARY = resolve(ROOT, process.env.DOCLEDGER_BINARY || 'build/debug/docledger');
const ARTIFACTS = resolve(ROOT, process.env.DOCLEDGER_E2E_ARTIFACTS || 'build/e2e-artifacts');
const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef0123456789';
const READ_KEY = 'e2e-read-key-0123456789abcdef01234567890';
const WRITE_KEY = 'e2e-write-key-0123456789abcdef0123456789';

let databaseUrl = '';
let adminUrl = '';
let databaseName = '';
let server = null;
let serverExit = null;
let base = '';
let browser = null;
let page = null;
let projectId = '';
const external = [];  // requests the page made to anything but the server

// Polls `condition` until it returns a truthy value (returned) or `ms` pass (throws).
async function until(what, condition, ms = 20000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (serverExit) throw new Error(`docledger serve exited (${serverExit}) while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50));  // poll interval of the condition, not a synchronisation
  }
}

async function call(method, path, body, key = ADMIN_KEY) {
  const response = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function upload(filename, content) {
  const reply = await call('POST', '/api/v1/documents',
    { project_id: projectId, filename, content_type: 'text/markdown', content }, WRITE_KEY);
  assert.equal(reply.status, 201, JSON.stringify(reply.json));
  return reply.json.document_id;
}

async function shot(name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: false });
}

// The console's rendering of one projection's row: { checkpoint, head, lag_events, ... }.
async function projectionRow(name) {
  const row = page.locator(`#projections-table tr[data-projection="${name}"]`);
  const cells = {};
  for (const field of ['checkpoint', 'head', 'lag_events', 'parked']) {
    cells[field] = Number(await row.locator(`td[data-field="${field}"]`).innerText());
  }
  return cells;
}

async function openView(hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

before(async () => {
  const clusterUrl = process.env.DOCLEDGER_TEST_DATABASE_URL;
  assert.ok(clusterUrl, 'DOCLEDGER_TEST_DATABASE_URL is required (scripts/pg-local start prints one)');
  mkdirSync(ARTIFACTS, { recursive: true });
  adminUrl = clusterUrl;
  const database = createDatabase(clusterUrl, 'e2e_console');
  databaseName = database.name;
  databaseUrl = database.url;

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DOCLEDGER_ENV: 'development',
    DOCLEDGER_LOG_FORMAT: 'text',
    DOCLEDGER_API_KEYS: `admin:${ADMIN_KEY},read:${READ_KEY},write:${WRITE_KEY}`,
  };
  execFileSync(BINARY, ['migrate'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const log = openSync(`${ARTIFACTS}/server.log`, 'w');
  server = spawn(BINARY, ['serve'], { env: { ...env, DOCLEDGER_LISTEN: `127.0.0.1:${port}` }, stdio: ['ignore', log, log] });
  server.on('exit', (code, signal) => { serverExit = signal || String(code); });
  await until('the server to be ready', async () => (await fetch(`${base}/health/ready`)).status === 200, 60000);

  const project = await call('POST', '/api/v1/projects', { name: 'E2E papers', description: 'console test',
    json_schema: { type: 'object' }, entity_types: ['paper'] }, WRITE_KEY);
  assert.equal(project.status, 201, JSON.stringify(project.json));
  projectId = project.json.project_id;

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  // The console must load nothing from anywhere but its own origin.
  page.on('request', (request) => {
    if (!request.url().startsWith(base)) external.push(request.url());
  });
  page.on('pageerror', (error) => console.error('page error:', error));
});

after(async () => {
  if (browser) await browser.close();
  if (server && !serverExit) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (databaseName) dropDatabase(adminUrl, databaseName);
});

test('serves the console with a strict Content-Security-Policy and no external resources', async () => {
  const redirect = await fetch(`${base}/console`, { redirect: 'manual' });
  assert.equal(redirect.status, 308);
  assert.equal(redirect.headers.get('location'), '/console/');
  const index = await fetch(`${base}/console/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.match(index.headers.get('content-security-policy'), /default-src 'self'/);
  const html = await index.text();
  assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL in the page');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  const again = await fetch(`${base}/console/`, { headers: { 'If-None-Match': index.headers.get('etag') } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(`${base}/console/app.js`)).headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await fetch(`${base}/console/nope.js`)).status, 404);
});

test('signs in once with the key kept in sessionStorage only', async () => {
  await page.goto(`${base}/console/`);
  const key = page.getByLabel('API key');
  await key.waitFor();
  await key.fill('not-a-key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('This key is not valid.').waitFor();
  await key.fill(ADMIN_KEY);
  await key.press('Enter');  // keyboard only
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
  await page.getByText('Signed in (admin)').waitFor();
  const storage = await page.evaluate(() => ({ session: Object.values(sessionStorage), local: localStorage.length }));
  assert.deepEqual(storage.session, [ADMIN_KEY]);
  assert.equal(storage.local, 0);
  assert.deepEqual(await page.context().cookies(), []);
  // A reload keeps the session (same tab).
  await page.reload();
  await page.getByText('Signed in (admin)').waitFor();
  await page.locator('#projections-table tr[data-projection="document_views"]').waitFor();
  await shot('projections');
});

test('a projection\'s lag rises while it is blocked and falls to 0 after the appends', async () => {
  await openView('#/projections');
  await page.locator('#projections-table tr[data-projection="stream_catalog"]').waitFor();
  // Hold stream_catalog's checkpoint row: its projector cannot commit a batch meanwhile.
  const blocker = spawn(process.env.PSQL || 'psql', [databaseUrl, '-qAt', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  blocker.stdout.on('data', (d) => { out += d; });
  blocker.stdin.write("BEGIN;\nSELECT 'locked' FROM projection_checkpoints WHERE name = 'stream_catalog' FOR UPDATE;\n");
  try {
    await until('the checkpoint row lock', () => out.includes('locked'));
    for (let i = 0; i < 5; ++i) await upload(`lag-${i}.md`, `# Lag ${i}\n`);
    const head = await until('the console to show lag', async () => {
      const row = await projectionRow('stream_catalog');
      return row.lag_events >= 5 ? row.head : 0;
    });
    await shot('projections-lagging');
    blocker.stdin.end('COMMIT;\n');
    await until('the lag to fall to 0', async () => {
      const row = await projectionRow('stream_catalog');
      return row.lag_events === 0 && row.checkpoint >= head;
    });
    await page.locator('#projections-table tr[data-projection="stream_catalog"] td[data-field="lag_events"]',
      { hasText: /^0$/ }).waitFor();
  } finally {
    if (blocker.exitCode === null) blocker.stdin.end('ROLLBACK;\n');
    await new Promise((r) => (blocker.exitCode !== null ? r() : blocker.once('exit', r)));
  }
});

test('retries a parked event from the console and sees it applied', async () => {
  // A deterministic failure: a constraint document_views' rows cannot meet (an operator
  // mistake, say). The projector parks the event; once the constraint is gone, a retry
  // applies it.
  psql(databaseUrl, "ALTER TABLE document_views ADD CONSTRAINT e2e_no_poison CHECK (filename <> 'poison.md') NOT VALID");
  let documentId;
  try {
    documentId = await upload('poison.md', '# Poison\n');
    await openView('#/projections');
    await until('the parked count', async () => (await projectionRow('document_views')).parked === 1);
    await page.getByRole('link', { name: '1 parked events of document_views' }).click();
    const card = page.locator('#parked-list article').first();
    await card.locator('[data-field="error"]', { hasText: 'e2e_no_poison' }).waitFor();
    assert.match(await card.innerText(), /DocumentUploaded/);
    await card.getByText('Event payload and metadata').click();
    await card.locator('pre.json', { hasText: 'poison.md' }).waitFor();
    await shot('parked');
    assert.equal((await call('GET', `/api/v1/documents/${documentId}`)).status, 404, 'not applied yet');
  } finally {
    psql(databaseUrl, 'ALTER TABLE document_views DROP CONSTRAINT IF EXISTS e2e_no_poison');
  }
  const sequence = await page.locator('#parked-list article').first().getAttribute('data-sequence');
  const retry = page.getByRole('button', { name: `Retry sequence ${sequence}` });
  await retry.focus();
  await page.keyboard.press('Enter');
  await page.locator('#parked-empty').waitFor();
  await until('the document view', async () => (await call('GET', `/api/v1/documents/${documentId}`)).status === 200);
  await openView(`#/documents?id=${documentId}`);
  await page.locator('dd', { hasText: 'uploaded' }).first().waitFor();
});

test('opens a document\'s semantic IR grouped by type', async () => {
  const documentId = await upload('physics.md', '# Physics notes\n');
  const markdown = [
    '# Physics notes', '',
    '**Mass**: the amount of matter in a body.', '',
    'The energy is $$E = mc^2$$ where $m$ is the mass.', '',
    '| Quantity | Unit |', '|---|---|', '| mass | kg |', '| energy | J |', '',
    'See [Section 2](#section-2) for details.', '',
  ].join('\n');
  const conversion = await call('POST', `/api/v1/documents/${documentId}/conversion`,
    { markdown, converter: 'e2e 1.0' }, WRITE_KEY);
  assert.equal(conversion.status, 200, JSON.stringify(conversion.json));
  await until('the semantic IR', async () => {
    const ir = await call('GET', `/api/v1/documents/${documentId}/semantic-ir`, undefined, READ_KEY);
    return ir.status === 200 && ir.json.items.length > 0;
  });
  await openView('#/documents');
  await page.getByRole('link', { name: 'physics.md: open its semantic IR' }).click();
  const section = page.locator('#semantic-ir');
  await section.getByRole('heading', { name: /Semantic IR \(\d+ items\)/ }).waitFor();
  await section.locator('[data-ir-type="definition"]', { hasText: 'Mass' }).waitFor();
  await section.locator('[data-ir-type="table"]').waitFor();
  await shot('document-semantic-ir');
  await openView('#/documents');
  await page.locator('#documents-table tr[data-document-id]').first().waitFor();
  await shot('documents');
});

test('browses a stream, tails the live feed and lists alerts', async () => {
  await openView('#/streams');
  const stream = `project-${projectId}`;
  await page.getByLabel('Stream id').fill(stream);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.locator('#stream-events article').first().waitFor();
  assert.match(await page.locator('#stream-events').innerText(), /ProjectCreated/);
  await page.locator('#stream-events pre.json', { hasText: '"E2E papers"' }).waitFor();
  await shot('streams');

  await openView('#/feed');
  await page.locator('#feed-list li').first().waitFor();
  const fresh = await upload('live.md', '# Live\n');
  await page.locator('#feed-list li', { hasText: `document-${fresh}` }).first().waitFor();
  await shot('feed');

  await openView('#/alerts');
  // Parking raised a projection_parked alert.
  await page.locator('#alerts-table td', { hasText: 'projection_parked' }).first().waitFor();
  await shot('alerts');
});

test('shows each subscription with its cursor and deliveries, and pauses one', async () => {
  // A target nothing listens on: every attempt fails and is listed.
  const created = await call('POST', '/api/v1/subscriptions', { url: 'http://127.0.0.1:9/hook', stream_prefix: 'document-' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.subscription_id;
  await upload('hooked.md', '# Hooked\n');
  await openView(`#/subscriptions?id=${id}`);
  const row = page.locator(`#subscriptions-table tr[data-subscription="${id}"]`);
  await row.waitFor();
  await page.locator('#deliveries-table td', { hasText: 'failed' }).first().waitFor();
  assert.notEqual(await row.locator('td[data-field="failures"]').innerText(), '0');
  await shot('subscriptions');
  await row.getByRole('button', { name: 'Pause' }).click();
  await row.locator('td[data-field="status"]', { hasText: 'paused' }).waitFor();
  assert.equal((await call('GET', `/api/v1/subscriptions/${id}`)).json.status, 'paused');
});

test('a read-only key sees no admin actions', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await context.newPage();
  try {
    await other.goto(`${base}/console/#/parked`);
    await other.getByLabel('API key').fill(READ_KEY);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByText('Signed in (read-only)').waitFor();
    await other.getByText('needs an admin key').waitFor();
    assert.equal(await other.getByRole('button', { name: /^Retry/ }).count(), 0);
  } finally {
    await context.close();
  }
  assert.deepEqual(external, [], 'the console loaded something from elsewhere');
});
