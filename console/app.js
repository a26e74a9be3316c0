// The console shell: sign-in, navigation (hash routes), one view at a time.
import { api, ApiError, forgetKey, storeKey, storedKey } from '/console/api.js';
import { views, announce } from '/console/views.js';

const $ = (id) => document.getElementById(id);
const session = { admin: false };
let current = null;  // { controller } of the mounted view

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name, search = ''] = hash.split('?');
  return { name: name || 'projections', params: new URLSearchParams(search) };
}

// Checks a key: read access via GET /api/v1/projections; admin if the global feed answers.
async function probe(key) {
  await api('/api/v1/projections', { key });
  try {
    await api('/api/v1/events?limit=1', { key });
    return { admin: true };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return { admin: false };
    throw error;
  }
}

function showLogin(message = '') {
  if (current) current.controller.abort();
  current = null;
  $('view').replaceChildren();
  $('nav').hidden = true;
  $('session').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('api-key').value = '';
  $('api-key').focus();
}

function render() {
  if (!storedKey()) return showLogin();
  const { name, params } = parseHash();
  const view = views[name] ? name : 'projections';
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (current) current.controller.abort();
  const controller = new AbortController();
  current = { controller };
  const root = $('view');
  root.replaceChildren();
  announce('');
  views[view]({ root, params, signal: controller.signal, session, onUnauthorized }).catch((error) => {
    if (controller.signal.aborted || error.name === 'AbortError') return;
    if (error instanceof ApiError && error.status === 401) return onUnauthorized();
    announce(`Error: ${error.message}`, true);
  });
  const heading = root.querySelector('h2');
  if (heading) heading.focus({ preventScroll: true });
}

function onUnauthorized() {
  forgetKey();
  showLogin('The API key was refused (401). Sign in again.');
}

async function signIn(event) {
  event.preventDefault();
  const key = $('api-key').value.trim();
  if (!key) return;
  $('login-error').textContent = '';
  try {
    const role = await probe(key);
    storeKey(key);
    session.admin = role.admin;
    enter();
  } catch (error) {
    $('login-error').textContent =
        error instanceof ApiError && error.status === 401 ? 'This key is not valid.' : `Sign-in failed: ${error.message}`;
  }
}

function enter() {
  $('login').hidden = true;
  $('nav').hidden = false;
  $('session').hidden = false;
  $('whoami').textContent = session.admin ? 'Signed in (admin)' : 'Signed in (read-only)';
  render();
}

async function start() {
  $('login-form').addEventListener('submit', signIn);
  $('logout').addEventListener('click', () => { forgetKey(); location.hash = '#/projections'; showLogin(); });
  window.addEventListener('hashchange', () => { if (storedKey()) render(); });
  const key = storedKey();
  if (!key) return showLogin();
  try {
    session.admin = (await probe(key)).admin;
    enter();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return onUnauthorized();
    showLogin(`Could not reach the server: ${error.message}`);
  }
}

start();
