// The local receiver of benchmarks/run-subscription-benchmark: answers every POST 204 at
// once and counts, per path (one path per subscription), the events received (distinct
// sequences) and, per event, the time from its `recorded_at` (when PostgreSQL recorded
// it) to its arrival here. Only node:http: nothing to install.
//
//   node benchmarks/webhook-receiver.mjs PORT_FILE
// writes the port it listens on to PORT_FILE. GET /stats answers
// {"<path>": {"events": N, "first_at": ms, "last_at": ms, "latencies_ms": [...]}}.
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';

const stats = new Map();

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(Object.fromEntries(stats)));
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const now = Date.now();
    let entry = stats.get(request.url);
    if (!entry) {
      entry = { events: 0, first_at: now, last_at: now, latencies_ms: [], seen_through: 0 };
      stats.set(request.url, entry);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    for (const event of body.events) {
      if (event.sequence <= entry.seen_through) continue;  // a re-sent batch
      entry.events += 1;
      entry.latencies_ms.push(now - Date.parse(event.recorded_at));
    }
    entry.seen_through = Math.max(entry.seen_through, body.through_sequence);
    entry.last_at = now;
    response.writeHead(204);
    response.end();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => writeFileSync(process.argv[2], String(server.address().port)));
