/**
 * The asynchronous Store (src/store/async-store.ts) on PostgreSQL, for several
 * mock processes sharing one state. Tables, columns and row conversion come
 * from the record declarations through the PostgreSQL dialect, the list
 * queries from the engine-neutral compiler, as on SQLite.
 *
 * Atomicity across processes (docs/decisions/0005-postgres-concurrency.md):
 * every transaction is SERIALIZABLE, and one that PostgreSQL aborts for a
 * conflict with a concurrent one (a serialization failure, a deadlock, or a
 * unique violation a concurrent insert caused) is rolled back and run again,
 * a bounded number of times, after a short randomized pause. The rules need no
 * locks of their own: whatever they read and write in one transaction behaves
 * as if the transactions had run one after the other.
 */
import { randomBytes } from 'node:crypto';
import type { Notification, Pool, PoolClient } from 'pg';
import type {
  CampaignRecord,
  CustomerRecord,
  PublicationRecord,
  VoucherRecord,
  VoucherType,
} from '../../domain/records';
import { type AsyncStore, type StoreTransaction, StoreUnavailableError, type TransactionOptions } from '../async-store';
import { checkPaging, compilePublicationQuery } from '../publication-query-sql';
import { CAMPAIGNS, CUSTOMERS, PUBLICATIONS, TABLES, VOUCHERS } from '../record-tables';
import type { SqlValue } from '../sql-dialect';
import type { CampaignStock, PublicationQuery, StoreSnapshot } from '../store';
import { makeTableCodec } from '../table-codec';
import { openPostgres } from './open-postgres';
import { POSTGRES_DIALECT } from './postgres-dialect';

type Row = Record<string, unknown>;

const CAMPAIGN = makeTableCodec(CAMPAIGNS, POSTGRES_DIALECT);
const VOUCHER = makeTableCodec(VOUCHERS, POSTGRES_DIALECT);
const CUSTOMER = makeTableCodec(CUSTOMERS, POSTGRES_DIALECT);
const PUBLICATION = makeTableCodec(PUBLICATIONS, POSTGRES_DIALECT);

/** The publication's `voucher_type` filter value for its first voucher's type. */
const LISTED_VOUCHER_TYPES: Record<VoucherType, string> = {
  DISCOUNT_VOUCHER: 'discount',
  GIFT_VOUCHER: 'gift',
  LOYALTY_CARD: 'loyalty',
};

/**
 * A publication's seq is the next after the highest, inside the transaction
 * (not an identity value, which a rolled-back or retried insert would use up):
 * gapless and the same as SQLite's for the same requests. A restore keeps the
 * snapshot's seq when it has one.
 */
const INSERT_PUBLICATION = (() => {
  const names = [...PUBLICATION.columns, ...Object.keys(PUBLICATIONS.copies ?? {})];
  const values = names.map((_, i) => `$${i + 1}`);
  const seq = `$${names.length + 1}`;
  return (
    `INSERT INTO publications (${names.join(', ')}, seq) OVERRIDING SYSTEM VALUE VALUES (${values.join(', ')}, ` +
    `COALESCE(${seq}::bigint, (SELECT coalesce(max(seq), 0) + 1 FROM publications))) RETURNING seq`
  );
})();

/** SQLSTATEs after which the whole transaction is run again: serialization failure, deadlock. */
const RETRIED_CODES = new Set(['40001', '40P01']);
/**
 * A unique violation is run again a few times only: one a concurrent insert
 * caused (the key was free when this transaction looked) is answered by the
 * next run, which sees the row; one that keeps coming is a real duplicate,
 * thrown as it is.
 */
const UNIQUE_VIOLATION = '23505';
const UNIQUE_VIOLATION_ATTEMPTS = 3;
/** SQLSTATE classes meaning the connection or the server is gone (08: connection exception; 57P01-03: shutdown). */
const UNREACHABLE_CODES = /^(08|57P0[123])/;
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

export interface PostgresStoreOptions {
  /** How many times a transaction is run before a conflict is given up on (a 503). */
  maxAttempts?: number;
  /** In [0, 1): spreads the pauses between attempts, so that conflicting transactions do not meet again. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isUnreachable(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && (UNREACHABLE_CODES.test(code) || NETWORK_ERRORS.has(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

async function rows(client: PoolClient, sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
  return (await client.query<Row>(sql, [...params])).rows;
}

async function first(client: PoolClient, sql: string, params: readonly SqlValue[]): Promise<Row | undefined> {
  return (await rows(client, sql, params))[0];
}

function withSeq<T>(record: T, row: Row): T & { seq: number } {
  return { ...record, seq: Number(row.seq) };
}

/** The verbs of one transaction, on its connection. */
function transactionOn(client: PoolClient): StoreTransaction {
  const campaignColumns = CAMPAIGN.selectList();
  const voucherColumns = VOUCHER.selectList();
  const customerColumns = CUSTOMER.selectList();
  // The record's columns, then its seq (not a column of the record declaration).
  const publicationColumns = `${PUBLICATION.selectList('p')}, p.seq`;

  const campaign = (row: Row | undefined): CampaignRecord | undefined =>
    row === undefined ? undefined : CAMPAIGN.fromRow(row);
  const voucher = (row: Row | undefined): VoucherRecord | undefined =>
    row === undefined ? undefined : VOUCHER.fromRow(row);
  const customer = (row: Row | undefined): CustomerRecord | undefined =>
    row === undefined ? undefined : CUSTOMER.fromRow(row);

  async function voucherIdsOf(ids: readonly string[]): Promise<Map<string, string[]>> {
    const byPublication = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byPublication;
    const links = await rows(
      client,
      `SELECT publication_id, voucher_id FROM publication_vouchers WHERE ` +
        `${POSTGRES_DIALECT.inList('publication_id', '$1')} ORDER BY ` +
        `publication_id, position`,
      [POSTGRES_DIALECT.listParameter(ids)],
    );
    for (const link of links) byPublication.get(link.publication_id as string)?.push(link.voucher_id as string);
    return byPublication;
  }

  async function publications(found: Row[]): Promise<PublicationRecord[]> {
    const voucherIds = await voucherIdsOf(found.map((row) => row.id as string));
    return found.map((row) =>
      withSeq({ ...PUBLICATION.fromRow(row), voucher_ids: voucherIds.get(row.id as string) ?? [] }, row),
    );
  }

  async function publication(row: Row | undefined): Promise<PublicationRecord | undefined> {
    return row === undefined ? undefined : (await publications([row]))[0];
  }

  async function listingCopies(record: PublicationRecord): Promise<Record<string, unknown>> {
    let campaignName: string | null = null;
    if (record.campaign_id !== null) {
      const found = await first(client, 'SELECT name FROM campaigns WHERE id = $1', [record.campaign_id]);
      if (found === undefined)
        throw new Error(`insertPublication ${record.id}: unknown campaign ${record.campaign_id}`);
      campaignName = found.name as string;
    }
    let firstVoucher: Row | undefined;
    for (const voucherId of record.voucher_ids) {
      const found = await first(client, 'SELECT code, type, is_referral_code FROM vouchers WHERE id = $1', [voucherId]);
      if (found === undefined) throw new Error(`insertPublication ${record.id}: unknown voucher ${voucherId}`);
      firstVoucher ??= found;
    }
    return {
      campaign_name: campaignName,
      voucher_code: firstVoucher?.code ?? null,
      voucher_type: firstVoucher === undefined ? null : LISTED_VOUCHER_TYPES[firstVoucher.type as VoucherType],
      is_referral_code: firstVoucher === undefined ? null : firstVoucher.is_referral_code === true,
    };
  }

  async function insertPublication(record: PublicationRecord, keepSeq: boolean): Promise<PublicationRecord> {
    const values = PUBLICATION.toValues(record, await listingCopies(record));
    const inserted = await first(client, INSERT_PUBLICATION, [...values, keepSeq ? (record.seq ?? null) : null]);
    for (const [position, voucherId] of record.voucher_ids.entries()) {
      await rows(
        client,
        'INSERT INTO publication_vouchers (publication_id, voucher_id, position) VALUES ($1, $2, $3)',
        [record.id, voucherId, position],
      );
    }
    return { ...record, voucher_ids: [...record.voucher_ids], seq: Number(inserted?.seq) };
  }

  async function clear(): Promise<void> {
    for (const statement of TABLES.flatMap((table) => POSTGRES_DIALECT.emptyTable(table)))
      await rows(client, statement);
  }

  const tx: StoreTransaction = {
    getCampaign: async (id) =>
      campaign(await first(client, `SELECT ${campaignColumns} FROM campaigns WHERE id = $1`, [id])),
    findCampaignByName: async (name) =>
      campaign(
        await first(client, `SELECT ${campaignColumns} FROM campaigns WHERE name = $1 ORDER BY seq LIMIT 1`, [name]),
      ),
    listCampaigns: async () =>
      (await rows(client, `SELECT ${campaignColumns} FROM campaigns ORDER BY seq`)).map((row) => CAMPAIGN.fromRow(row)),
    async campaignStock(campaignId): Promise<CampaignStock> {
      const row = await first(
        client,
        'SELECT (SELECT count(*) FROM vouchers WHERE campaign_id = $1) AS total, ' +
          '(SELECT count(*) FROM vouchers WHERE campaign_id = $1 AND active AND holder_id IS NULL) AS publishable',
        [campaignId],
      );
      return { total: Number(row?.total ?? 0), publishable: Number(row?.publishable ?? 0) };
    },
    async insertCampaign(record) {
      await rows(client, CAMPAIGN.insertSql(), CAMPAIGN.toValues(record));
    },

    getVoucher: async (id) =>
      voucher(await first(client, `SELECT ${voucherColumns} FROM vouchers WHERE id = $1`, [id])),
    findVoucherByCode: async (code) =>
      voucher(await first(client, `SELECT ${voucherColumns} FROM vouchers WHERE code = $1`, [code])),
    findPublishableVoucher: async (campaignId) =>
      voucher(
        await first(
          client,
          `SELECT ${voucherColumns} FROM vouchers WHERE campaign_id = $1 AND ` +
            `active AND holder_id IS NULL ORDER BY created_at, seq LIMIT 1`,
          [campaignId],
        ),
      ),
    listHeldLoyaltyCards: async (customerId) =>
      (
        await rows(
          client,
          `SELECT ${voucherColumns} FROM vouchers WHERE type = 'LOYALTY_CARD' ` +
            `AND holder_id IS NOT NULL AND holder_id = $1 ORDER BY created_at, seq`,
          [customerId],
        )
      ).map((row) => VOUCHER.fromRow(row)),
    async insertVoucher(record) {
      await rows(client, VOUCHER.insertSql(), VOUCHER.toValues(record));
    },
    async updateVoucher(record) {
      const result = await client.query(VOUCHER.updateSql('id'), VOUCHER.toUpdateValues(record, 'id'));
      if (result.rowCount !== 1) throw new Error(`updateVoucher: no voucher ${record.id}`);
    },

    getCustomer: async (id) =>
      customer(await first(client, `SELECT ${customerColumns} FROM customers WHERE id = $1`, [id])),
    findCustomerBySourceId: async (sourceId) =>
      customer(await first(client, `SELECT ${customerColumns} FROM customers WHERE source_id = $1`, [sourceId])),
    async insertCustomer(record) {
      await rows(client, CUSTOMER.insertSql(), CUSTOMER.toValues(record));
    },
    async updateCustomer(record) {
      const result = await client.query(CUSTOMER.updateSql('id'), CUSTOMER.toUpdateValues(record, 'id'));
      if (result.rowCount !== 1) throw new Error(`updateCustomer: no customer ${record.id}`);
    },
    listCustomers: async (limit) =>
      (
        await rows(client, `SELECT ${customerColumns} FROM customers ORDER BY created_at DESC, seq DESC LIMIT $1`, [
          checkPaging('limit', limit),
        ])
      ).map((row) => CUSTOMER.fromRow(row)),

    getPublication: async (id) =>
      publication(await first(client, `SELECT ${publicationColumns} FROM publications p WHERE p.id = $1`, [id])),
    findPublicationBySourceId: async (sourceId) =>
      publication(
        await first(
          client,
          `SELECT ${publicationColumns} FROM publications p WHERE p.source_id = $1 AND p.result = 'SUCCESS'`,
          [sourceId],
        ),
      ),
    findJoinedPublication: async (customerId, campaignId) =>
      publication(
        await first(
          client,
          `SELECT ${publicationColumns} FROM publications p WHERE p.customer_id ` +
            `= $1 AND p.campaign_id = $2 AND p.result = 'SUCCESS' ORDER BY p.seq ` +
            `LIMIT 1`,
          [customerId, campaignId],
        ),
      ),
    insertPublication: (record) => insertPublication(record, false),
    async listPublications(query: PublicationQuery) {
      const sql = compilePublicationQuery(query, POSTGRES_DIALECT);
      // SQLite puts NULLs first in ascending order and last in descending; PostgreSQL the other way round unless told.
      const orderBy = sql.orderBy.replace(
        / (ASC|DESC)\b/g,
        (_match, direction: string) => ` ${direction} NULLS ${direction === 'ASC' ? 'FIRST' : 'LAST'}`,
      );
      const n = sql.params.length;
      const total = await first(client, `SELECT count(*) AS total FROM publications p${sql.where}`, sql.params);
      const page = await rows(
        client,
        `SELECT ${publicationColumns} FROM publications p${sql.where} ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...sql.params, sql.limit, sql.offset],
      );
      return { publications: await publications(page), total: Number(total?.total ?? 0) };
    },

    async nextSequence(name) {
      const row = await first(
        client,
        'INSERT INTO sequences (name, value) VALUES ($1, 1) ON CONFLICT (name) ' +
          'DO UPDATE SET value = sequences.value + 1 RETURNING value',
        [name],
      );
      if (row === undefined) throw new Error(`nextSequence ${name}: no value returned`);
      return Number(row.value);
    },
    getMeta: async (key) =>
      (await first(client, 'SELECT value FROM meta WHERE key = $1', [key]))?.value as string | undefined,
    async setMeta(key, value) {
      await rows(
        client,
        'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    },

    clear,
    async exportState(): Promise<StoreSnapshot> {
      return {
        campaigns: (await rows(client, `SELECT ${campaignColumns} FROM campaigns ORDER BY seq`)).map((row) =>
          CAMPAIGN.fromRow(row),
        ),
        vouchers: (await rows(client, `SELECT ${voucherColumns} FROM vouchers ORDER BY seq`)).map((row) =>
          VOUCHER.fromRow(row),
        ),
        customers: (await rows(client, `SELECT ${customerColumns} FROM customers ORDER BY seq`)).map((row) =>
          CUSTOMER.fromRow(row),
        ),
        publications: await publications(
          await rows(client, `SELECT ${publicationColumns} FROM publications p ORDER BY p.seq`),
        ),
        sequences: Object.fromEntries(
          (await rows(client, 'SELECT name, value FROM sequences ORDER BY name')).map((row): [string, number] => [
            row.name as string,
            Number(row.value),
          ]),
        ),
        meta: Object.fromEntries(
          (await rows(client, 'SELECT key, value FROM meta ORDER BY key')).map((row): [string, string] => [
            row.key as string,
            row.value as string,
          ]),
        ),
      };
    },
    async importState(snapshot) {
      await clear();
      for (const record of snapshot.campaigns) await tx.insertCampaign(record);
      for (const record of snapshot.vouchers) await tx.insertVoucher(record);
      for (const record of snapshot.customers) await tx.insertCustomer(record);
      for (const record of snapshot.publications) await insertPublication(record, true);
      for (const [name, value] of Object.entries(snapshot.sequences)) {
        await rows(client, 'INSERT INTO sequences (name, value) VALUES ($1, $2)', [name, value]);
      }
      for (const [key, value] of Object.entries(snapshot.meta)) await tx.setMeta(key, value);
    },
  };
  return tx;
}

/** The channel a committed write is announced on (LISTEN/NOTIFY): other replicas' dashboards refresh. */
export const CHANGES_CHANNEL = 'voucherify_mock_changes';

/** The verbs that change the store: a transaction that called one announces its commit. */
const WRITE_VERBS = new Set<string>([
  'insertCampaign',
  'insertVoucher',
  'updateVoucher',
  'insertCustomer',
  'updateCustomer',
  'insertPublication',
  'nextSequence',
  'setMeta',
  'clear',
  'importState',
]);

/** `tx` with a flag raised by any write verb. */
function watchWrites(tx: StoreTransaction): { tx: StoreTransaction; wrote: () => boolean } {
  let wrote = false;
  const watched: Record<string, unknown> = { ...tx };
  for (const verb of WRITE_VERBS) {
    const call = (tx as unknown as Record<string, (...args: unknown[]) => unknown>)[verb]!;
    watched[verb] = (...args: unknown[]) => {
      wrote = true;
      return call(...args);
    };
  }
  return { tx: watched as unknown as StoreTransaction, wrote: () => wrote };
}

/** The store over a pool whose database is migrated (openPostgresStore does both). */
export function postgresStoreOn(pool: Pool, options: PostgresStoreOptions = {}): AsyncStore {
  /** This store's name in its announcements, so that it does not hear its own. */
  const self = randomBytes(8).toString('hex');
  const changeListeners = new Set<() => void>();
  /** The pool's connections that have their 'error' listener. */
  const guarded = new WeakSet<PoolClient>();
  let listener: PoolClient | undefined;
  let listening = false;
  let closed = false;
  const maxAttempts = options.maxAttempts ?? 30;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function attempt<T>(fn: (tx: StoreTransaction) => T | Promise<T>, readOnly: boolean): Promise<T> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new StoreUnavailableError(
        `the database is unreachable: ${error instanceof Error ? error.message : String(error)}`,
        'unreachable',
        { cause: error },
      );
    }
    // A connection the server drops while checked out emits 'error' besides failing its query (which is answered):
    // without a listener, that event would end the process.
    if (!guarded.has(client)) {
      guarded.add(client);
      client.on('error', () => undefined);
    }
    let broken = false;
    try {
      // A read sees one snapshot and can never conflict; writes are serializable.
      await client.query(
        readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN ISOLATION LEVEL SERIALIZABLE',
      );
      const watched = watchWrites(transactionOn(client));
      const result = await fn(watched.tx);
      // Announced with the commit, in the same round trip: delivered to the listeners only if it commits.
      await client.query(
        watched.wrote() && !readOnly ? `SELECT pg_notify('${CHANGES_CHANNEL}', '${self}'); COMMIT` : 'COMMIT',
      );
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      // A connection that failed its ROLLBACK is not given back to the pool, where the next transaction would find it
      // broken.
      client.release(broken);
    }
  }

  return {
    engine: 'postgres',
    async transaction<T>(
      fn: (tx: StoreTransaction) => T | Promise<T>,
      transactionOptions: TransactionOptions = {},
    ): Promise<T> {
      for (let attemptNumber = 1; ; attemptNumber++) {
        try {
          return await attempt(fn, transactionOptions.readOnly === true);
        } catch (error) {
          if (isUnreachable(error) && !(error instanceof StoreUnavailableError)) {
            throw new StoreUnavailableError(
              `the database is unreachable: ${error instanceof Error ? error.message : String(error)}`,
              'unreachable',
              { cause: error },
            );
          }
          const code = codeOf(error);
          if (code === UNIQUE_VIOLATION && attemptNumber < UNIQUE_VIOLATION_ATTEMPTS) continue;
          if (code === undefined || !RETRIED_CODES.has(code)) throw error;
          if (attemptNumber >= maxAttempts) {
            throw new StoreUnavailableError(
              `a transaction conflicted with concurrent ones ${attemptNumber} times running (${code})`,
              'conflicts',
              { cause: error },
            );
          }
          // 1, 2, 4 … ms, at most 64, each spread over [½, 1½) of itself.
          await sleep(Math.min(64, 2 ** (attemptNumber - 1)) * (0.5 + random()));
        }
      }
    },
    onChange(listen: () => void): () => void {
      changeListeners.add(listen);
      if (!listening) {
        listening = true;
        void startListening();
      }
      return () => changeListeners.delete(listen);
    },
    async close(): Promise<void> {
      closed = true;
      listener?.release(true);
      listener = undefined;
      await pool.end();
    },
  };

  /** One connection of the pool LISTENs; lost, it is opened again a second later (until the store closes). */
  async function startListening(): Promise<void> {
    if (closed) return;
    let client: PoolClient | undefined;
    try {
      client = await pool.connect();
      const opened = client;
      const again = (): void => {
        if (listener !== opened) return;
        listener = undefined;
        opened.release(true);
        if (!closed) setTimeout(() => void startListening(), 1000).unref();
      };
      opened.on('notification', (message: Notification) => {
        if (message.channel !== CHANGES_CHANNEL || message.payload === self) return;
        for (const listen of changeListeners) listen();
      });
      opened.on('error', again);
      opened.on('end', again);
      listener = opened;
      await opened.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch {
      if (client && listener === client) listener = undefined;
      client?.release(true);
      if (!closed) setTimeout(() => void startListening(), 1000).unref();
    }
  }
}

/** Opens `url` (reached, migrated; see open-postgres.ts) and returns the store on it. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions & { poolSize?: number } = {},
): Promise<AsyncStore> {
  const { pool } = await openPostgres(url, { poolSize: options.poolSize });
  return postgresStoreOn(pool, options);
}
