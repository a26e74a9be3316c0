// The v1 API as the console uses it: every call carries the key from sessionStorage.
const KEY = 'docledger.console.apiKey';

export function storedKey() { return sessionStorage.getItem(KEY); }
export function storeKey(key) { sessionStorage.setItem(KEY, key); }
export function forgetKey() { sessionStorage.removeItem(KEY); }

export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error ? body.error : {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || String(status);
    this.details = error.details || [];
    this.correlationId = error.correlation_id || '';
  }
}

function headers(extra = {}) {
  const key = storedKey();
  const out = { Accept: 'application/json', ...extra };
  if (key) out.Authorization = `Bearer ${key}`;
  return out;
}

// GET/POST a v1 path; the parsed JSON body, or an ApiError.
export async function api(path, { method = 'GET', body, signal, key } = {}) {
  const init = { method, signal, headers: headers(), cache: 'no-store' };
  if (key) init.headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// GET /api/v1/events/subscribe as an async iterator of {id, event, data}. EventSource
// cannot send an Authorization header, so this reads the text/event-stream body with
// fetch. Resumes after `after` (Last-Event-ID); ends when `signal` aborts.
export async function* subscribe(after, signal) {
  const response = await fetch('/api/v1/events/subscribe', {
    headers: headers({ Accept: 'text/event-stream', 'Last-Event-ID': String(after) }),
    signal,
    cache: 'no-store',
  });
  if (!response.ok) {
    let json = null;
    try { json = await response.json(); } catch { json = null; }
    throw new ApiError(response.status, json);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = { id: '', event: 'message', data: '' };
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const field = line.slice(0, colon);
        const text = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') message.id = text;
        else if (field === 'event') message.event = text;
        else if (field === 'data') message.data += (message.data ? '\n' : '') + text;
      }
      if (message.data) yield { ...message, data: JSON.parse(message.data) };
    }
  }
}
