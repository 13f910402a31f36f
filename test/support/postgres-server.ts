/**
 * A real PostgreSQL database for a test file. The server is the one `.ci/run`
 * started (its URL in MOCK_TEST_POSTGRES_URL), or else one this file starts
 * for itself from Debian's packages (see postgres-cluster.ts), so `npm test`
 * on a fresh clone runs these tests too. Each file gets a database of its own
 * (CREATE DATABASE with a unique name), dropped when the file ends.
 *
 * Neither possible: the tests fail under CI=true (CI must run them) and are
 * skipped elsewhere, the describe block's name saying why.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { clusterUnavailableReason, startCluster, stopCluster, stopClusterNow } from './postgres-cluster';

export const POSTGRES_URL_VARIABLE = 'MOCK_TEST_POSTGRES_URL';

export interface TestDatabase {
  /** The database's URL (with the password: for the code under test, not for messages). */
  url: string;
  /** Its name (`mock_test_…`). */
  name: string;
  /** The server's URL on its maintenance database, to create or drop other databases. */
  serverUrl: string;
}

/** Where the PostgreSQL for this file comes from, or why there is none. */
function postgresSource(): { kind: 'url'; url: string } | { kind: 'own-cluster' } | { kind: 'none'; reason: string } {
  const url = process.env[POSTGRES_URL_VARIABLE];
  if (url !== undefined && url !== '') return { kind: 'url', url };
  const reason = clusterUnavailableReason();
  return reason === undefined
    ? { kind: 'own-cluster' }
    : { kind: 'none', reason: `${POSTGRES_URL_VARIABLE} is not set and ${reason}` };
}

/** `url` with another database name. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a new, empty database on the server; its name is unique (random). */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `mock_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return { url: databaseUrl(serverUrl, name), name, serverUrl };
}

/** Drops it, ending whatever connections are still open on it. */
export async function dropTestDatabase(database: TestDatabase): Promise<void> {
  await withClient(database.serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`),
  );
}

/**
 * `describe`, with a fresh database for the block: `database()` gives it in
 * tests and hooks (after the block's beforeAll). Without PostgreSQL the block
 * is skipped (its name says why), or fails under CI=true.
 */
export function describeWithPostgres(name: string, body: (database: () => TestDatabase) => void): void {
  const source = postgresSource();
  if (source.kind === 'none') {
    if (process.env.CI === 'true') {
      describe(name, () => {
        test('has a PostgreSQL server to run on', () => {
          throw new Error(`no PostgreSQL for these tests under CI: ${source.reason}`);
        });
      });
    } else {
      // Said once per block, so that a run without --verbose says it too.
      console.warn(`${name}: skipped, ${source.reason}`);
      describe.skip(`${name} (skipped: ${source.reason})`, () =>
        body(() => {
          throw new Error('skipped');
        }));
    }
    return;
  }
  describe(name, () => {
    let folder: string | undefined;
    let current: TestDatabase | undefined;
    const stopOnExit = (): void => {
      if (folder !== undefined) stopClusterNow(folder);
    };
    beforeAll(async () => {
      let serverUrl: string;
      if (source.kind === 'url') {
        serverUrl = source.url;
      } else {
        const cluster = await startCluster();
        folder = cluster.folder;
        process.once('exit', stopOnExit);
        serverUrl = cluster.url;
      }
      current = await createTestDatabase(serverUrl);
    }, 120_000);
    afterAll(async () => {
      try {
        if (current !== undefined) await dropTestDatabase(current);
      } finally {
        if (folder !== undefined) {
          process.removeListener('exit', stopOnExit);
          await stopCluster(folder);
          folder = undefined;
        }
      }
    }, 60_000);
    body(() => {
      if (current === undefined)
        throw new Error('the test database is made in beforeAll: ask for it in a test or hook');
      return current;
    });
  });
}
