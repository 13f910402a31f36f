/**
 * The mock on PostgreSQL for `npm run bench`: a throwaway PostgreSQL 15
 * (test/support/postgres-cluster.ts), one mock process on one database, and
 * three mock processes on another database behind a round-robin TCP proxy
 * (bench/round-robin-proxy.ts, pinned to the load generator's core). Each
 * mock is pinned to the server core like every other server; PostgreSQL
 * itself is not pinned.
 */
import { Client } from 'pg';
import { clusterUnavailableReason, startCluster, stopCluster } from '../../test/support/postgres-cluster';
import { databaseUrl } from '../../test/support/postgres-server';
import { type Started, startProcess } from './child-processes';
import { pinned } from './cpu-pinning';
import { fromRoot } from './repo-root';
import { type RunningServer, startMock } from './servers';

const PROXY_SCRIPT = fromRoot('dist', 'bench', 'round-robin-proxy.js');

export interface PostgresMocks {
  one: RunningServer;
  three: RunningServer;
  stop(): Promise<void>;
}

/** Why the PostgreSQL run cannot happen here (no programs, no postgres user), or undefined. */
export function postgresUnavailableReason(): string | undefined {
  return clusterUnavailableReason();
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return databaseUrl(serverUrl, name);
}

async function startProxy(backends: readonly RunningServer[]): Promise<RunningServer> {
  const targets = backends.map((b) => new URL(b.baseUrl).host);
  const { command, args } = pinned('load', process.execPath, [PROXY_SCRIPT, '0', ...targets]);
  const started: Started = startProcess(command, args);
  try {
    const match = await started.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 10000);
    return {
      name: 'round-robin proxy',
      baseUrl: match[1]!,
      pid: started.pid,
      stop: () => started.stop(),
    };
  } catch (error) {
    await started.stop();
    throw error;
  }
}

/** Starts the cluster, the single mock and the three mocks behind the proxy; `stop` ends them all. */
export async function startPostgresMocks(): Promise<PostgresMocks> {
  const cluster = await startCluster();
  const running: RunningServer[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(running.map((s) => s.stop()));
    await stopCluster(cluster.folder);
  };
  try {
    const oneUrl = await createDatabase(cluster.url, 'bench_one');
    const threeUrl = await createDatabase(cluster.url, 'bench_three');
    const single = await startMock(['--data', oneUrl], 60000);
    running.push(single);
    // One after the other: each migrates the schema at start.
    const replicas: RunningServer[] = [];
    for (let i = 0; i < 3; i++) {
      const replica = await startMock(['--data', threeUrl], 60000);
      running.push(replica);
      replicas.push(replica);
    }
    const proxy = await startProxy(replicas);
    running.push(proxy);
    return {
      one: { ...single, name: 'mock on PostgreSQL, 1 process' },
      three: { ...proxy, name: 'mock on PostgreSQL, 3 processes' },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
