// The console's views. Each is `async ({root, params, signal, session}) => void`: it builds
// its DOM under `root` (the h2 first, synchronously, so the shell can focus it), then
// keeps it current (polling or the event subscription) until `signal` aborts.
// Text from the server only ever goes through textContent: no innerHTML anywhere.
import { api, ApiError, query, subscribe } from '/console/api.js';

// ------------------------------------------------------------------ helpers

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function announce(message, isError = false) {
  const status = document.getElementById('status');
  status.textContent = message;
  status.classList.toggle('error', isError);
}

function heading(root, text, intro) {
  const title = h('h2', { tabindex: '-1' }, text);
  root.append(title);
  if (intro) root.append(h('p', { class: 'intro' }, intro));
  return title;
}

function delay(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

// Runs `step` now and every `ms` until `signal` aborts; errors are shown, not fatal
// (401 ends the session).
async function every(ms, signal, step, ctx) {
  while (!signal.aborted) {
    try {
      await step();
    } catch (error) {
      if (signal.aborted || error.name === 'AbortError') return;
      if (error instanceof ApiError && error.status === 401) return ctx.onUnauthorized();
      announce(`Error: ${error.message}`, true);
    }
    await delay(ms, signal);
  }
}

const pretty = (value) => JSON.stringify(value, null, 2);
const link = (href, text, attributes = {}) => h('a', { href, ...attributes }, text);
const streamHref = (stream, from) => `#/streams${query({ id: stream, from })}`;

function table(caption, columns, rows, attributes = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', attributes,
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h('tbody', {}, rows)));
}

function emptyRow(columns, text) {
  return h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, text));
}

function formatSeconds(seconds) {
  if (seconds < 1) return seconds === 0 ? '0' : seconds.toFixed(2);
  if (seconds < 120) return seconds.toFixed(1);
  return `${Math.round(seconds / 60)} min`;
}

// A timestamp as local time, the exact UTC value in its datetime and title.
function timeOf(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return h('time', { datetime: iso, title: iso }, date.toLocaleString(undefined, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }));
}

function jsonBlock(value, label) {
  return h('pre', { class: 'json', tabindex: '0', 'aria-label': label }, pretty(value));
}

function needAdmin(root, session, what) {
  if (session.admin) return false;
  root.append(h('p', { class: 'notice' }, `${what} needs an admin key; this key is read-only.`));
  return true;
}

// ------------------------------------------------------------------ projections

async function projectionsView({ root, signal, session, onUnauthorized }) {
  heading(root, 'Projections',
    'Each read model, its checkpoint against the head of the log, its lag, parked events and the process holding its lease. Updates every second.');
  const columns = [
    { label: 'Projection' }, { label: 'Checkpoint', numeric: true }, { label: 'Head', numeric: true },
    { label: 'Lag (events)', numeric: true }, { label: 'Lag (seconds)', numeric: true },
    { label: 'Parked', numeric: true }, { label: 'Held', numeric: true }, { label: 'Lease holder' },
    { label: 'Last checkpoint change' },
  ];
  const body = h('tbody');
  const updated = h('p', { class: 'meta' });
  root.append(h('div', { class: 'table-wrap' },
    h('table', { id: 'projections-table' },
      h('caption', {}, 'Projections'),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      body)), updated);
  await every(1000, signal, async () => {
    const { projections } = await api('/api/v1/projections', { signal });
    body.replaceChildren(...projections.map((p) => h('tr', { dataset: { projection: p.name } },
      h('th', { scope: 'row' }, p.name),
      h('td', { class: 'num', dataset: { field: 'checkpoint' } }, p.checkpoint),
      h('td', { class: 'num', dataset: { field: 'head' } }, p.head),
      h('td', { class: `num ${p.lag_events > 0 ? 'warn' : 'ok'}`, dataset: { field: 'lag_events' } }, p.lag_events),
      h('td', { class: 'num', dataset: { field: 'lag_seconds' } }, formatSeconds(p.lag_seconds)),
      h('td', { class: `num ${p.parked > 0 ? 'bad' : ''}`, dataset: { field: 'parked' } },
        p.parked > 0 && session.admin ? link(`#/parked${query({ projection: p.name })}`, p.parked,
          { 'aria-label': `${p.parked} parked events of ${p.name}` }) : p.parked),
      h('td', { class: 'num', dataset: { field: 'held' } }, p.held),
      h('td', { dataset: { field: 'lease_holder' } }, p.lease_holder ?? h('span', { class: 'muted' }, 'none')),
      h('td', {}, p.updated_at ? timeOf(p.updated_at) : h('span', { class: 'muted' }, 'never')))));
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }, { onUnauthorized });
}

// ------------------------------------------------------------------ parked events

async function parkedView({ root, params, signal, session, onUnauthorized }) {
  heading(root, 'Parked events',
    'Events a projector could not apply, and the later events of their streams held behind them. Retry applies the stream again once the cause is fixed; skip gives up on one event.');
  if (needAdmin(root, session, 'Listing parked events')) return;
  const { projections } = await api('/api/v1/projections', { signal });
  const selected = params.get('projection') ||
    (projections.find((p) => p.parked > 0) || projections[0] || { name: '' }).name;
  const select = h('select', { id: 'parked-projection', name: 'projection' },
    projections.map((p) => h('option', { value: p.name, selected: p.name === selected },
      `${p.name} (${p.parked} parked, ${p.held} held)`)));
  select.addEventListener('change', () => { location.hash = `#/parked${query({ projection: select.value })}`; });
  root.append(h('div', { class: 'toolbar' }, h('label', { for: 'parked-projection' }, 'Projection'), select));
  const list = h('div', { id: 'parked-list', 'aria-live': 'polite' });
  root.append(list);
  const confirming = new Set();

  async function act(action, p) {
    try {
      const result = await api(`/api/v1/projections/${encodeURIComponent(p.projection)}/parked/${p.sequence}/${action}`,
        { method: 'POST', signal });
      announce(action === 'retry'
        ? `Retry requested for stream ${result.streams.join(', ')}; the projector applies it within a second.`
        : `Skipped sequence ${p.sequence}${result.still_held ? `; ${result.still_held} later event(s) stay held` : ''}.`);
      confirming.delete(p.sequence);
      await refresh();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return onUnauthorized();
      announce(`${action} failed: ${error.message}`, true);
    }
  }

  function card(p) {
    const state = p.retry_requested ? 'retry requested'
      : p.held_behind ? `held behind sequence ${p.held_behind}` : 'parked';
    const buttons = h('div', { class: 'actions' });
    if (!p.retry_requested) {
      buttons.append(h('button', { type: 'button', onclick: () => act('retry', p),
        'aria-label': `Retry sequence ${p.sequence}`, dataset: { action: 'retry' } }, 'Retry'));
    }
    if (!p.held_behind) {
      if (confirming.has(p.sequence)) {
        buttons.append(
          h('button', { type: 'button', class: 'danger', onclick: () => act('skip', p),
            'aria-label': `Confirm: skip sequence ${p.sequence} for good` }, 'Confirm skip'),
          h('button', { type: 'button', onclick: () => { confirming.delete(p.sequence); refresh(); } }, 'Cancel'));
      } else {
        buttons.append(h('button', { type: 'button', onclick: () => { confirming.add(p.sequence); refresh(); },
          'aria-label': `Skip sequence ${p.sequence}` }, 'Skip…'));
      }
    }
    const event = p.event;
    return h('article', { class: 'card', dataset: { sequence: p.sequence } },
      h('h3', {}, `Sequence ${p.sequence}`, event ? ` · ${event.event_type}` : ''),
      h('dl', { class: 'facts' },
        h('dt', {}, 'State'), h('dd', { dataset: { field: 'state' } }, state),
        h('dt', {}, 'Stream'), h('dd', {}, link(streamHref(p.stream_id, event ? event.stream_version : undefined), p.stream_id)),
        h('dt', {}, 'Attempts'), h('dd', {}, p.attempts),
        h('dt', {}, 'Parked at'), h('dd', {}, timeOf(p.parked_at)),
        h('dt', {}, 'Error'), h('dd', { class: 'error-text', dataset: { field: 'error' } }, p.error)),
      event ? h('details', {}, h('summary', {}, 'Event payload and metadata'),
        jsonBlock({ payload: event.payload, metadata: event.metadata }, `Event ${p.sequence}`)) : null,
      buttons);
  }

  async function refresh() {
    if (!select.value) return;
    const { parked } = await api(`/api/v1/projections/${encodeURIComponent(select.value)}/parked`, { signal });
    if (signal.aborted) return;
    // Keep focus on a button across refreshes (keyboard users).
    const focused = document.activeElement && list.contains(document.activeElement)
      ? document.activeElement.getAttribute('aria-label') : null;
    list.replaceChildren(...(parked.length ? parked.map(card)
      : [h('p', { class: 'empty', id: 'parked-empty' }, `Nothing parked for ${select.value}.`)]));
    if (focused) {
      const again = [...list.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === focused);
      if (again) again.focus();
    }
  }
  await every(2000, signal, refresh, { onUnauthorized });
}

// ------------------------------------------------------------------ stream browser

async function streamsView({ root, params, signal, onUnauthorized }) {
  heading(root, 'Stream browser', 'Open a stream by id (e.g. document-<uuid>, project-<uuid>) and page through its events.');
  const input = h('input', { id: 'stream-id', name: 'stream', type: 'search', required: true, spellcheck: 'false',
    value: params.get('id') || '', size: 48 });
  const form = h('form', { class: 'toolbar', role: 'search' },
    h('label', { for: 'stream-id' }, 'Stream id'), input, h('button', { type: 'submit' }, 'Open'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = streamHref(input.value.trim(), 1);
  });
  root.append(form);
  const stream = params.get('id');
  if (!stream) return;
  const limit = 20;
  const from = Math.max(1, Number.parseInt(params.get('from') || '1', 10) || 1);
  let page;
  try {
    page = await api(`/api/v1/streams/${encodeURIComponent(stream)}/events${query({ from, limit })}`, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      root.append(h('p', { class: 'notice' }, `No stream "${stream}".`));
      return;
    }
    throw error;
  }
  const ids = new Set(page.events.map((e) => e.event_id));
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of the stream' },
    from > 1 ? link(streamHref(stream, Math.max(1, from - limit)), '← Earlier events') : null,
    h('span', {}, `Versions ${from}–${Math.min(page.version, from + limit - 1)} of ${page.version}`),
    from + limit <= page.version ? link(streamHref(stream, from + limit), 'Later events →') : null);
  root.append(h('h3', {}, 'Stream ', h('code', {}, stream)), pager);
  const metaLink = (label, value) => {
    if (!value) return null;
    const target = ids.has(value) ? link(`#event-${value}`, value, { 'data-local': 'true', onclick: (event) => {
      event.preventDefault();
      const article = document.getElementById(`event-${value}`);
      article.focus();
    } }) : link(`#/feed${query({ q: value })}`, value, { title: 'Find in the live feed' });
    return [h('dt', {}, label), h('dd', {}, target)];
  };
  root.append(h('ol', { class: 'events', id: 'stream-events' }, page.events.map((event) =>
    h('li', {},
      h('article', { class: 'card', id: `event-${event.event_id}`, tabindex: '-1' },
        h('h4', {}, `v${event.stream_version} · ${event.event_type}`),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Sequence'), h('dd', {}, event.sequence),
          h('dt', {}, 'Recorded'), h('dd', {}, timeOf(event.recorded_at)),
          h('dt', {}, 'Event id'), h('dd', {}, h('code', {}, event.event_id)),
          h('dt', {}, 'Actor'), h('dd', {}, event.metadata.actor ?? '—'),
          metaLink('Correlation', event.metadata.correlation_id),
          metaLink('Causation', event.metadata.causation_id)),
        h('details', { open: true }, h('summary', {}, 'Payload'), jsonBlock(event.payload, `Payload of version ${event.stream_version}`)))))));
  void onUnauthorized;
}

// ------------------------------------------------------------------ live feed

async function feedView({ root, params, signal, session, onUnauthorized }) {
  heading(root, 'Live feed', 'The global log as it is written (Server-Sent Events), newest first. Filter by type, stream, correlation or event id.');
  if (needAdmin(root, session, 'The global feed')) return;
  const filter = h('input', { id: 'feed-filter', type: 'search', value: params.get('q') || '', size: 40 });
  const pause = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause');
  const counter = h('span', { class: 'meta', id: 'feed-count' });
  root.append(h('div', { class: 'toolbar' }, h('label', { for: 'feed-filter' }, 'Filter'), filter, pause, counter));
  const list = h('ol', { class: 'feed', id: 'feed-list', reversed: true });
  root.append(list);
  const kept = [];
  let paused = false;
  const max = 300;
  const matches = (event) => {
    const q = filter.value.trim().toLowerCase();
    if (!q) return true;
    return [event.event_type, event.stream_id, event.event_id, event.metadata.correlation_id,
      event.metadata.causation_id, String(event.sequence)].some((v) => v && String(v).toLowerCase().includes(q));
  };
  const row = (event) => h('li', { dataset: { sequence: event.sequence } },
    h('span', { class: 'seq' }, `#${event.sequence}`), ' ',
    h('strong', {}, event.event_type), ' ',
    link(streamHref(event.stream_id, event.stream_version), `${event.stream_id} v${event.stream_version}`), ' ',
    timeOf(event.recorded_at),
    h('details', {}, h('summary', {}, 'Payload'), jsonBlock(event.payload, `Payload of event ${event.sequence}`)));
  // Rows are built once per event and reused, so an opened payload stays open.
  const rows = new WeakMap();
  const rowOf = (event) => {
    if (!rows.has(event)) rows.set(event, row(event));
    return rows.get(event);
  };
  const redraw = () => {
    const shown = kept.filter(matches);
    list.replaceChildren(...shown.slice(-100).reverse().map(rowOf));
    counter.textContent = `${shown.length} of ${kept.length} recent events${paused ? ' (paused)' : ''}`;
  };
  filter.addEventListener('input', redraw);
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume' : 'Pause';
    redraw();
  });
  const { projections } = await api('/api/v1/projections', { signal });
  let last = Math.max(0, (projections[0] ? projections[0].head : 0) - 100);
  let pending = null;
  while (!signal.aborted) {
    try {
      for await (const message of subscribe(last, signal)) {
        last = Number(message.id) || last;
        kept.push(message.data);
        if (kept.length > max) kept.splice(0, kept.length - max);
        if (!paused && !pending) pending = requestAnimationFrame(() => { pending = null; redraw(); });
      }
    } catch (error) {
      if (signal.aborted || error.name === 'AbortError') return;
      if (error instanceof ApiError && error.status === 401) return onUnauthorized();
      announce(`Live feed interrupted (${error.message}); reconnecting…`, true);
    }
    await delay(2000, signal);  // the server's `retry:` advice
  }
}

// ------------------------------------------------------------------ documents

const IR_TYPES = [
  { type: 'formula', title: 'Formulas', fields: [['name', 'Name'], ['expression', 'Expression'], ['variables', 'Variables']] },
  { type: 'definition', title: 'Definitions', fields: [['term', 'Term'], ['definition', 'Definition'], ['context', 'Context']] },
  { type: 'table', title: 'Tables', fields: [['name', 'Name'], ['row_count', 'Rows'], ['column_count', 'Columns']] },
  { type: 'cross_reference', title: 'Cross-references', fields: [['target', 'Target'], ['reference_type', 'Type'], ['location', 'Location']] },
];

function tableData(value) {
  const rows = Array.isArray(value) ? value : value && Array.isArray(value.rows) ? value.rows : null;
  const header = value && Array.isArray(value.headers) ? value.headers : null;
  if (!rows || !rows.every(Array.isArray)) return jsonBlock(value, 'Table data');
  return h('table', { class: 'ir-table' },
    header ? h('thead', {}, h('tr', {}, header.map((c) => h('th', { scope: 'col' }, String(c))))) : null,
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, typeof c === 'object' ? JSON.stringify(c) : String(c)))))));
}

async function documentDetail({ root, id, signal }) {
  const back = link('#/documents', '← All documents');
  root.append(h('p', {}, back));
  const doc = await api(`/api/v1/documents/${encodeURIComponent(id)}`, { signal });
  root.append(h('h3', {}, doc.filename || doc.document_id),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Document id'), h('dd', {}, h('code', {}, doc.document_id)),
      h('dt', {}, 'Status'), h('dd', {}, doc.status),
      h('dt', {}, 'Project'), h('dd', {}, h('code', {}, doc.project_id)),
      h('dt', {}, 'Content type'), h('dd', {}, doc.content_type ?? '—'),
      doc.source_url ? [h('dt', {}, 'Source'), h('dd', {}, h('code', {}, doc.source_url))] : null,
      h('dt', {}, 'Revision'), h('dd', {}, String(doc.revision ?? 1)),
      h('dt', {}, 'Converter'), h('dd', {}, doc.converter ?? '—'),
      doc.conversion_error ? [h('dt', {}, 'Conversion error'), h('dd', { class: 'error-text' }, doc.conversion_error)] : null,
      h('dt', {}, 'Stream'), h('dd', {}, link(streamHref(`document-${doc.document_id}`, 1), `document-${doc.document_id}`))));
  const ir = await api(`/api/v1/documents/${encodeURIComponent(id)}/semantic-ir`, { signal });
  const section = h('section', { id: 'semantic-ir', 'aria-labelledby': 'semantic-ir-title' },
    h('h3', { id: 'semantic-ir-title' }, `Semantic IR (${ir.items.length} items)`));
  if (!ir.items.length) section.append(h('p', { class: 'empty' }, doc.status === 'converted'
    ? 'No formulas, definitions, tables or cross-references found (or not analysed yet).'
    : 'The document is not converted: no semantic IR.'));
  for (const group of IR_TYPES) {
    const items = ir.items.filter((item) => item.ir_type === group.type);
    if (!items.length) continue;
    const columns = group.fields.map(([, label]) => ({ label }));
    section.append(h('section', { class: 'ir-group', dataset: { irType: group.type } },
      h('h4', {}, `${group.title} (${items.length})`),
      table(group.title, columns, items.map((item) => [
        h('tr', {}, group.fields.map(([field]) => h('td', {},
          Array.isArray(item[field]) ? item[field].join(', ') : item[field] ?? '—'))),
        group.type === 'table' && item.table_data !== undefined
          ? h('tr', {}, h('td', { colspan: columns.length }, h('details', {}, h('summary', {}, 'Table data'), tableData(item.table_data))))
          : null,
      ]))));
  }
  root.append(section);
}

async function documentsView({ root, params, signal }) {
  heading(root, 'Documents', 'Uploaded documents and the semantic IR extracted from their Markdown: formulas, definitions, tables and cross-references.');
  const id = params.get('id');
  if (id) return documentDetail({ root, id, signal });
  const { items: projects } = await api('/api/v1/projects?limit=500', { signal });
  const project = h('select', { id: 'doc-project' }, h('option', { value: '' }, 'All projects'),
    projects.map((p) => h('option', { value: p.project_id, selected: p.project_id === params.get('project_id') }, p.name)));
  const status = h('select', { id: 'doc-status' }, ['', 'uploaded', 'converted', 'conversion_failed'].map((s) =>
    h('option', { value: s, selected: s === (params.get('status') || '') }, s || 'Any status')));
  const form = h('form', { class: 'toolbar' },
    h('label', { for: 'doc-project' }, 'Project'), project,
    h('label', { for: 'doc-status' }, 'Status'), status,
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/documents${query({ project_id: project.value, status: status.value })}`;
  });
  root.append(form);
  const names = new Map(projects.map((p) => [p.project_id, p.name]));
  const columns = [{ label: 'File' }, { label: 'Status' }, { label: 'Project' }, { label: 'Version', numeric: true }, { label: 'Document id' }];
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'More documents');
  root.append(h('div', { class: 'table-wrap' }, h('table', { id: 'documents-table' },
    h('caption', {}, 'Documents'),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)))), body)), more);
  let cursor = '';
  async function load() {
    const page = await api(`/api/v1/documents${query({ project_id: params.get('project_id'), status: params.get('status'), cursor, limit: 50 })}`, { signal });
    for (const d of page.items) {
      body.append(h('tr', { dataset: { documentId: d.document_id } },
        h('th', { scope: 'row' }, link(`#/documents${query({ id: d.document_id })}`, d.filename || '(no name)',
          { 'aria-label': `${d.filename || d.document_id}: open its semantic IR` })),
        h('td', {}, d.status), h('td', {}, names.get(d.project_id) || d.project_id),
        h('td', { class: 'num' }, d.version), h('td', {}, h('code', {}, d.document_id))));
    }
    if (!body.children.length) body.append(emptyRow(columns, 'No documents.'));
    cursor = page.next_cursor || '';
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load().catch((e) => announce(`Error: ${e.message}`, true)));
  await load();
}

// ------------------------------------------------------------------ alerts

async function alertsView({ root, params, signal, onUnauthorized }) {
  heading(root, 'Alerts', 'Alerts raised by the alerts projection, newest first, with the state of their webhook delivery. Updates every 5 seconds.');
  const types = ['', 'job_failed', 'embedding_failure', 'orphaned_extractions', 'recovery_completed', 'projection_parked',
    'subscription_failing'];
  const type = h('select', { id: 'alert-type' }, types.map((t) => h('option', { value: t, selected: t === (params.get('type') || '') }, t || 'All types')));
  type.addEventListener('change', () => { location.hash = `#/alerts${query({ type: type.value })}`; });
  root.append(h('div', { class: 'toolbar' }, h('label', { for: 'alert-type' }, 'Type'), type));
  const columns = [{ label: 'Raised' }, { label: 'Level' }, { label: 'Type' }, { label: 'Key' }, { label: 'Message' },
    { label: 'Delivery' }, { label: 'Attempts', numeric: true }, { label: 'Last delivery error' }];
  const body = h('tbody');
  root.append(h('div', { class: 'table-wrap' }, h('table', { id: 'alerts-table' }, h('caption', {}, 'Alerts'),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)))), body)));
  await every(5000, signal, async () => {
    const { items } = await api(`/api/v1/alerts${query({ type: params.get('type'), limit: 100 })}`, { signal });
    body.replaceChildren(...(items.length ? items.map((a) => h('tr', { class: `level-${a.level}` },
      h('td', {}, timeOf(a.raised_at)),
      h('td', {}, a.level), h('td', {}, a.type), h('td', {}, h('code', {}, a.key)),
      h('td', { class: 'message' }, h('span', { class: 'text', title: a.message }, a.message),
        a.details && Object.keys(a.details).length ? h('details', {}, h('summary', {}, 'Details'), jsonBlock(a.details, 'Alert details')) : null),
      h('td', {}, a.delivery ? h('span', { class: `delivery delivery-${a.delivery.status}` }, a.delivery.status) : h('span', { class: 'muted' }, 'no webhook')),
      h('td', { class: 'num' }, a.delivery ? a.delivery.attempts : '—'),
      h('td', {}, a.delivery && a.delivery.last_error ? a.delivery.last_error : '—'))) : [emptyRow(columns, 'No alerts.')]));
  }, { onUnauthorized });
}

// ------------------------------------------------------------------ subscriptions

function subscriptionRow(s, onAction) {
  const c = s.cursor;
  const filters = [s.event_types.length ? s.event_types.join(', ') : 'all types', s.stream_prefix ? `streams ${s.stream_prefix}*` : null]
    .filter(Boolean).join('; ');
  const action = s.status === 'active' ? 'Pause' : 'Resume';
  return h('tr', { dataset: { subscription: s.subscription_id } },
    h('th', { scope: 'row' }, link(`#/subscriptions${query({ id: s.subscription_id })}`, s.subscription_id.slice(0, 8),
      { 'aria-label': `Deliveries of subscription ${s.subscription_id}` })),
    h('td', { class: 'message' }, h('span', { class: 'text', title: s.url }, s.url)),
    h('td', {}, filters),
    h('td', { dataset: { field: 'status' } }, h('span', { class: `delivery delivery-${s.status}` }, s.status)),
    h('td', { class: 'num', dataset: { field: 'cursor' } }, c ? c.after_sequence : '—'),
    h('td', { class: `num ${c && c.lag_events > 0 ? 'warn' : 'ok'}`, dataset: { field: 'lag_events' } }, c ? c.lag_events : '—'),
    h('td', { class: 'num', dataset: { field: 'failures' } }, c && c.failures ? c.failures : 0),
    h('td', {}, c && c.delivered_by ? c.delivered_by : h('span', { class: 'muted' }, 'none')),
    h('td', {}, c && c.last_delivered_at ? timeOf(c.last_delivered_at) : h('span', { class: 'muted' }, 'never')),
    h('td', {}, s.failing_error || (c && c.last_error) || '—'),
    h('td', {}, h('button', { type: 'button', onclick: () => onAction(s, action === 'Pause') }, action)));
}

async function subscriptionsView({ root, params, signal, session, onUnauthorized }) {
  heading(root, 'Subscriptions',
    'Outbound webhooks: each subscription\'s cursor over the log, its lag, the instance delivering it and its last deliveries. Updates every 2 seconds.');
  if (needAdmin(root, session, 'Subscriptions')) return;
  const columns = [{ label: 'Subscription' }, { label: 'URL' }, { label: 'Filter' }, { label: 'Status' },
    { label: 'Cursor', numeric: true }, { label: 'Lag (events)', numeric: true }, { label: 'Failures', numeric: true },
    { label: 'Delivered by' }, { label: 'Last delivered' }, { label: 'Last error' }, { label: 'Action' }];
  const body = h('tbody');
  root.append(table('Subscriptions', columns, body, { id: 'subscriptions-table' }));
  const selected = params.get('id');
  const deliveryColumns = [{ label: 'Attempted' }, { label: 'Outcome' }, { label: 'Status', numeric: true },
    { label: 'Range' }, { label: 'Events', numeric: true }, { label: 'Latency (ms)', numeric: true }, { label: 'webhook-id' },
    { label: 'Error' }];
  const deliveries = h('tbody');
  if (selected) root.append(table(`Last deliveries of ${selected}`, deliveryColumns, deliveries, { id: 'deliveries-table' }));
  const onAction = async (s, pause) => {
    try {
      await api(`/api/v1/subscriptions/${s.subscription_id}`, { method: 'PATCH', body: { paused: pause }, signal });
      announce(`Subscription ${s.subscription_id} ${pause ? 'paused' : 'resumed'}.`);
    } catch (error) {
      if (!signal.aborted) announce(`Error: ${error.message}`, true);
    }
  };
  await every(2000, signal, async () => {
    const { subscriptions } = await api('/api/v1/subscriptions', { signal });
    body.replaceChildren(...(subscriptions.length ? subscriptions.map((s) => subscriptionRow(s, onAction))
      : [emptyRow(columns, 'No subscriptions.')]));
    if (!selected) return;
    const list = await api(`/api/v1/subscriptions/${selected}/deliveries${query({ limit: 20 })}`, { signal });
    deliveries.replaceChildren(...(list.deliveries.length ? list.deliveries.map((d) => h('tr', {},
      h('td', {}, timeOf(d.attempted_at)),
      h('td', {}, h('span', { class: `delivery delivery-${d.outcome}` }, d.outcome)),
      h('td', { class: 'num' }, d.status_code ?? '—'),
      h('td', {}, `(${d.after_sequence}, ${d.through_sequence}]`),
      h('td', { class: 'num' }, d.event_count),
      h('td', { class: 'num' }, d.latency_ms.toFixed(1)),
      h('td', {}, h('code', {}, d.webhook_id)),
      h('td', {}, d.error || '—'))) : [emptyRow(deliveryColumns, 'No deliveries yet.')]));
  }, { onUnauthorized });
}

export const views = {
  projections: projectionsView,
  parked: parkedView,
  streams: streamsView,
  feed: feedView,
  documents: documentsView,
  alerts: alertsView,
  subscriptions: subscriptionsView,
};
