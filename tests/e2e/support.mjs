// Shared by the end-to-end tests: a fresh database on the test cluster, and a free port.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

export function psql(url, sql) {
  return execFileSync(process.env.PSQL || 'psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

// A new database named `<prefix>_<pid>_<time>` on the cluster of `clusterUrl`: its name and URL.
export function createDatabase(clusterUrl, prefix) {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  psql(clusterUrl, `CREATE DATABASE ${name}`);
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export function dropDatabase(clusterUrl, name) {
  psql(clusterUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}
