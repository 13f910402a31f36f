/**
 * The PostgreSQL the tests run on (test/support/postgres-server.ts): a file's
 * database is new, empty and its own, and dropping it removes it from the server.
 */
import { Client } from 'pg';
import { createTestDatabase, describeWithPostgres, dropTestDatabase } from './support/postgres-server';

async function databasesOn(serverUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describeWithPostgres("a test file's PostgreSQL database", (database) => {
  it.each<[string, () => Promise<void>]>([
    [
      'is on a server listening on 127.0.0.1, and is empty',
      async () => {
        expect(new URL(database().url).hostname).toBe('127.0.0.1');
        const client = new Client({ connectionString: database().url });
        await client.connect();
        try {
          const tables = await client.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'");
          expect(tables.rowCount).toBe(0);
        } finally {
          await client.end();
        }
      },
    ],
    [
      'has a name of its own: another made on the same server differs, and dropping it removes only it',
      async () => {
        const other = await createTestDatabase(database().serverUrl);
        expect(other.name).not.toBe(database().name);
        expect(await databasesOn(database().serverUrl)).toEqual(expect.arrayContaining([database().name, other.name]));
        await dropTestDatabase(other);
        const left = await databasesOn(database().serverUrl);
        expect(left).not.toContain(other.name);
        expect(left).toContain(database().name);
      },
    ],
  ])('%s', async (_name, check) => {
    await check();
  });
});
