/**
 * The PostgreSQL schema migrations on a real PostgreSQL: applied once,
 * idempotent, serialized when several replicas start at once, refusing
 * databases that are not the mock's or are newer, and giving exactly the
 * schema the record declarations describe.
 */
import { Client } from 'pg';
import {
  createTestDatabase,
  describeWithPostgres,
  dropTestDatabase,
  type TestDatabase,
} from '../../../test/support/postgres-server';
import { TABLES } from '../record-tables';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, migrate } from './migrations';
import { POSTGRES_DIALECT } from './postgres-dialect';

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

async function withDatabase<T>(serverUrl: string, fn: (database: TestDatabase) => Promise<T>): Promise<T> {
  const database = await createTestDatabase(serverUrl);
  try {
    return await fn(database);
  } finally {
    await dropTestDatabase(database);
  }
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function versions(client: Client): Promise<number[]> {
  return (await client.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version')).rows.map(
    (row) => row.version,
  );
}

async function tableNames(client: Client): Promise<string[]> {
  const result = await client.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = ' +
      "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  return result.rows.map((row) => row.table_name);
}

/** Every column (type, nullability, collation, identity) and every index definition, comparable across databases. */
async function schemaOf(client: Client): Promise<{ columns: string[]; indexes: string[] }> {
  const columns = await client.query<{ line: string }>(
    "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || " +
      "is_nullable || ' ' || coalesce(collation_name, '-') || ' ' || " +
      "is_identity || ' ' || coalesce(identity_generation, '-') AS line FROM information_schema.columns " +
      "WHERE table_schema = current_schema() AND table_name <> 'schema_version' ORDER BY table_name, ordinal_position",
  );
  const indexes = await client.query<{ indexdef: string }>(
    'SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ' +
      "AND tablename <> 'schema_version' ORDER BY indexname",
  );
  return { columns: columns.rows.map((row) => row.line), indexes: indexes.rows.map((row) => row.indexdef) };
}

describeWithPostgres('PostgreSQL schema migrations', (database) => {
  const serverUrl = (): string => database().serverUrl;

  it('a new database gets every migration once, recorded in schema_version', async () => {
    await withDatabase(serverUrl(), (db) =>
      withClient(db.url, async (client) => {
        expect(await migrate(client)).toEqual({
          from: 0,
          to: LATEST_SCHEMA_VERSION,
          applied: MIGRATIONS.map((m) => m.version),
        });
        expect(await versions(client)).toEqual(MIGRATIONS.map((m) => m.version));
        expect(await tableNames(client)).toEqual([...TABLES.map((table) => table.name), 'schema_version'].sort());
      }),
    );
  });

  it('is idempotent: a second start applies nothing and changes nothing', async () => {
    await withDatabase(serverUrl(), (db) =>
      withClient(db.url, async (client) => {
        await migrate(client);
        const before = await schemaOf(client);
        expect(await migrate(client)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] });
        expect(await schemaOf(client)).toEqual(before);
        expect(await versions(client)).toEqual(MIGRATIONS.map((m) => m.version));
      }),
    );
  });

  it(
    'eight replicas starting at once on a new database: one applies the ' +
      'migrations, the others wait and find them done, none fails',
    async () => {
      await withDatabase(serverUrl(), async (db) => {
        const clients = await Promise.all(Array.from({ length: 8 }, () => connect(db.url)));
        try {
          const results = await Promise.all(clients.map((client) => migrate(client)));
          expect(results.filter((result) => result.applied.length > 0)).toHaveLength(1);
          expect(results.every((result) => result.to === LATEST_SCHEMA_VERSION)).toBe(true);
          expect(await versions(clients[0]!)).toEqual(MIGRATIONS.map((m) => m.version));
        } finally {
          await Promise.all(clients.map((client) => client.end()));
        }
      });
    },
  );

  it(
    'the migrated schema is the one the record declarations give through ' +
      'the PostgreSQL dialect (a declaration changed without a migration ' +
      'fails here)',
    async () => {
      await withDatabase(serverUrl(), (migrated) =>
        withDatabase(serverUrl(), (declared) =>
          withClient(migrated.url, (migratedClient) =>
            withClient(declared.url, async (declaredClient) => {
              await migrate(migratedClient);
              for (const statement of TABLES.flatMap((table) => POSTGRES_DIALECT.createTable(table)))
                await declaredClient.query(statement);
              const fromMigrations = await schemaOf(migratedClient);
              expect(fromMigrations.columns.length).toBeGreaterThan(50);
              expect(fromMigrations).toEqual(await schemaOf(declaredClient));
            }),
          ),
        ),
      );
    },
  );

  it.each([
    [
      'a database of a newer schema (a newer build made it) is refused, naming both versions',
      async (client: Client): Promise<void> => {
        await migrate(client);
        await client.query("INSERT INTO schema_version (version, name) VALUES (99, 'from the future')");
      },
      new RegExp(`schema version 99, this build reads up to version ${LATEST_SCHEMA_VERSION}`),
    ],
    [
      "a database holding other tables and no schema_version is refused as not the mock's",
      async (client: Client): Promise<void> => {
        await client.query('CREATE TABLE orders (id integer)');
      },
      /not a mock database/,
    ],
  ])('%s; nothing is changed', async (_name, prepare, message) => {
    await withDatabase(serverUrl(), (db) =>
      withClient(db.url, async (client) => {
        await prepare(client);
        const before = await schemaOf(client);
        await expect(migrate(client)).rejects.toThrow(message);
        expect(await schemaOf(client)).toEqual(before);
      }),
    );
  });

  it(
    'a migration that fails is rolled back whole: its tables are not there ' + 'and its version is not recorded',
    async () => {
      const broken: Migration[] = [
        ...MIGRATIONS,
        {
          version: LATEST_SCHEMA_VERSION + 1,
          name: 'half done',
          sql: 'CREATE TABLE half_done (id integer); SELECT no_such_function();',
        },
      ];
      await withDatabase(serverUrl(), (db) =>
        withClient(db.url, async (client) => {
          await expect(migrate(client, broken)).rejects.toThrow(
            new RegExp(`schema migration ${LATEST_SCHEMA_VERSION + 1} \\(half done\\) failed: .*no_such_function`),
          );
          expect(await versions(client)).toEqual(MIGRATIONS.map((m) => m.version));
          expect(await tableNames(client)).not.toContain('half_done');
          // The lock is free again: another start proceeds at once.
          expect((await migrate(client)).applied).toEqual([]);
        }),
      );
    },
  );
});
