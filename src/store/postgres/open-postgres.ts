/**
 * Opens the PostgreSQL database a `postgres://` `--data` names: a connection
 * pool, checked by one connection at once (unreachable, refused or wrong
 * credentials fail the start here, with the URL shown without its password),
 * and the schema migrated to this build's version.
 */
import { Pool, type PoolConfig } from 'pg';
import { describePostgresUrl } from './postgres-url';
import { type MigrationResult, migrate } from './migrations';

/** How long the start waits for a connection before saying the database is unreachable. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface OpenedPostgres {
  pool: Pool;
  migration: MigrationResult;
}

export async function openPostgres(url: string, options: { poolSize?: number } = {}): Promise<OpenedPostgres> {
  const config: PoolConfig = {
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // The mock's own name in pg_stat_activity, to tell its connections from others'.
    application_name: 'voucherify-publications-mock',
  };
  const pool = new Pool(config);
  // An idle connection the server drops (a restart) is an 'error' on the pool: without a listener, it would end the
  // process.
  pool.on('error', () => undefined);
  const shown = describePostgresUrl(url);
  let client;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot reach PostgreSQL at ${shown}: ${reasonOf(error)}`, { cause: error });
  }
  try {
    return { pool, migration: await migrate(client) };
  } catch (error) {
    client.release();
    client = undefined;
    await pool.end().catch(() => undefined);
    throw new Error(`PostgreSQL at ${shown}: ${reasonOf(error)}`, { cause: error });
  } finally {
    client?.release();
  }
}

/** One line from whatever pg threw (an AggregateError of several addresses tried says each). */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map((inner: unknown) => reasonOf(inner)).join('; ');
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const text = message === '' && typeof code === 'string' ? code : message;
  return text.replace(/\s+/g, ' ').trim();
}
