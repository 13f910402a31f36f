/**
 * The Store on SQLite (better-sqlite3, synchronous), in a file or in memory: opens
 * the database (schema version, WAL, pragmas), creates the declared tables
 * (src/store/record-tables.ts, as SQL by src/store/sqlite-dialect.ts) and composes
 * the Store from one module per table (sqlite-campaigns, -vouchers, -customers,
 * -publications, -counters), the transaction wrapper (sqlite-transaction) and the
 * streamed export's view (sqlite-export-view). Statements are prepared once at open.
 */
import Database from 'better-sqlite3';
import { TABLES } from './record-tables';
import { prepareSqliteCampaigns } from './sqlite-campaigns';
import { prepareSqliteCounters } from './sqlite-counters';
import { prepareSqliteCustomers } from './sqlite-customers';
import { SQLITE_DIALECT } from './sqlite-dialect';
import { openSqliteExportView } from './sqlite-export-view';
import { prepareSqlitePublications } from './sqlite-publications';
import { makeSqliteTransactions } from './sqlite-transaction';
import { prepareSqliteVouchers } from './sqlite-vouchers';
import { checkPaging } from './publication-query-sql';
import type { Store } from './store';

/**
 * Bumped when the schema changes; stored in `PRAGMA user_version`. Version 2 added three publication indexes
 * (source_id, campaign_id, failure_code: one per list filter). A version-1 file is upgraded in place on open (its
 * later indexes created, the version set): every change so far is an index created with IF NOT EXISTS.
 */
export const SCHEMA_VERSION = 2;

/** Older versions this build brings forward on open. */
const UPGRADABLE_VERSIONS: readonly number[] = [1];

/** The schema of a new store: every declared table and its indexes. */
export function listSchemaStatements(): string[] {
  return TABLES.flatMap((table) => SQLITE_DIALECT.createTable(table));
}

/**
 * How long a statement waits for another process's write lock before giving
 * up with "database is locked". Several processes may share one data file; a
 * create holds the lock for well under a millisecond, a restore of a large
 * snapshot for seconds.
 */
export const BUSY_TIMEOUT_MS = 30_000;

export function openSqliteStore(options: { file?: string }): Store {
  return sqliteStoreOn(openSqliteDatabase(options), options);
}

/**
 * The database a store is made on, opened, checked and with the schema in place
 * (the asynchronous store, src/store/sqlite-async-store.ts, opens its own so that
 * it holds the transactions).
 */
export function openSqliteDatabase(options: { file?: string }): Database.Database {
  const db = new Database(options.file ?? ':memory:', { timeout: BUSY_TIMEOUT_MS });
  try {
    // A file of another schema version, or not a store at all, is refused before anything (WAL mode included) changes
    // it.
    // One read transaction: the version and the tables are seen at one moment (another process may be creating them).
    db.transaction(() => checkSchemaVersion(db)).deferred();
    enterWalMode(db);
    // With WAL, synchronous=NORMAL makes a commit durable against a process crash or kill -9 (not against power loss).
    db.pragma('synchronous = NORMAL');
    // Checkpoint every ~40 MB of WAL instead of ~4 MB: each checkpoint costs two fsyncs, and a create dirties dozens
    // of pages.
    db.pragma('wal_autocheckpoint = 10000');
    // A 64 MiB page cache (the default is 2 MiB) keeps the indexes of a million publications warm.
    db.pragma('cache_size = -65536');
    // Checked and created under the write lock: processes starting at once on a new file create the schema once, the
    // others wait and find it.
    db.transaction(() => {
      const version = db.pragma('user_version', { simple: true });
      if (checkSchemaVersion(db)) {
        for (const statement of listSchemaStatements()) db.exec(statement);
      }
      // Indexes added later (IF NOT EXISTS): an older file gets them too, then carries this version.
      for (const statement of TABLES.flatMap((table) => SQLITE_DIALECT.createLaterIndexes(table))) db.exec(statement);
      if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The Store over an opened database (`file` is where it is, for the export view's own connection). */
export function sqliteStoreOn(db: Database.Database, options: { file?: string }): Store {
  const transactions = makeSqliteTransactions(db);
  const campaigns = prepareSqliteCampaigns(db);
  const vouchers = prepareSqliteVouchers(db);
  const customers = prepareSqliteCustomers(db);
  const publications = prepareSqlitePublications(db, { campaigns, vouchers, transactions });
  const counters = prepareSqliteCounters(db);
  const emptyAll = TABLES.flatMap((table) => SQLITE_DIALECT.emptyTable(table)).map((sql) => db.prepare(sql));
  const clearAll = (): void => {
    for (const statement of emptyAll) statement.run();
  };

  return {
    transaction: transactions.write,

    getCampaign: campaigns.get,
    findCampaignByName: campaigns.findByName,
    listCampaigns: campaigns.list,
    campaignStock: campaigns.stock,
    insertCampaign: campaigns.insert,

    getVoucher: vouchers.get,
    findVoucherByCode: vouchers.findByCode,
    findPublishableVoucher: vouchers.findPublishable,
    listHeldLoyaltyCards: vouchers.listHeldLoyaltyCards,
    insertVoucher: vouchers.insert,
    updateVoucher(voucher) {
      if (!vouchers.update(voucher)) throw new Error(`updateVoucher: no voucher ${voucher.id}`);
    },

    getCustomer: customers.get,
    findCustomerBySourceId: customers.findBySourceId,
    insertCustomer: customers.insert,
    updateCustomer(customer) {
      if (!customers.update(customer)) throw new Error(`updateCustomer: no customer ${customer.id}`);
    },
    listCustomers: (limit) => customers.listNewest(checkPaging('limit', limit)),

    getPublication: publications.get,
    findPublicationBySourceId: publications.findBySourceId,
    findJoinedPublication: publications.findJoined,
    insertPublication(publication) {
      const insert = (): ReturnType<Store['insertPublication']> => {
        const seq = publications.insert(publication);
        return { ...publication, voucher_ids: [...publication.voucher_ids], seq };
      };
      // Inside a caller's transaction (a create is one) no savepoint of its own: the row is inserted only after every
      // check (listing copies) passed, and its link rows, keyed by the new row's unique id, cannot conflict, so nothing
      // is left half done that the caller's transaction would keep. Saves a SAVEPOINT and a RELEASE per create.
      return db.inTransaction ? insert() : transactions.write(insert);
    },
    listPublications: publications.list,

    nextSequence: counters.next,
    getMeta: counters.getMeta,
    setMeta: counters.setMeta,

    clear(): void {
      transactions.write(clearAll);
    },

    exportState() {
      return transactions.read(() => ({
        campaigns: campaigns.list(),
        vouchers: vouchers.all(),
        customers: customers.all(),
        publications: publications.all(),
        sequences: counters.all(),
        meta: counters.allMeta(),
      }));
    },

    importState(snapshot): void {
      // One transaction: a UNIQUE violation or a dangling reference half-way rolls back the clear too.
      transactions.write(() => {
        clearAll();
        for (const campaign of snapshot.campaigns) campaigns.insert(campaign);
        for (const voucher of snapshot.vouchers) vouchers.insert(voucher);
        for (const customer of snapshot.customers) customers.insert(customer);
        for (const publication of snapshot.publications) publications.insert(publication, { keepSeq: true });
        for (const [name, value] of Object.entries(snapshot.sequences)) counters.insert(name, value);
        for (const [key, value] of Object.entries(snapshot.meta)) counters.setMeta(key, value);
      });
    },

    openExportView() {
      return openSqliteExportView(db, options.file, BUSY_TIMEOUT_MS);
    },

    close(): void {
      db.close();
    },
  };
}

/**
 * Switches a new file to WAL. Two processes switching one file at the same
 * moment deadlock in SQLite's rollback-journal locks, and one is told "database
 * is locked" at once, without waiting (the busy timeout cannot help): it tries
 * again, a few times, briefly. Done once per open.
 */
function enterWalMode(db: Database.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    let busy: unknown;
    try {
      // In memory, the mode stays 'memory': nothing to switch.
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode === 'wal' || mode === 'memory') return;
      busy = new Error(`${db.name}: cannot switch to WAL (journal_mode stays ${String(mode)})`);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
      busy = error;
    }
    if (attempt >= 50) throw busy;
    // A synchronous pause (opening is synchronous): 10-29 ms, varied so that the two do not meet again.
    Atomics.wait(pause, 0, 0, 10 + ((attempt * 7) % 20));
  }
}

/**
 * True for an empty database (the schema is to be created); an existing store must be of this schema version or one
 * this build upgrades.
 */
function checkSchemaVersion(db: Database.Database): boolean {
  const version = db.pragma('user_version', { simple: true });
  if (version === SCHEMA_VERSION || UPGRADABLE_VERSIONS.includes(version as number)) return false;
  if (version !== 0) {
    throw new Error(`${db.name}: store schema version ${String(version)}, this build reads version ${SCHEMA_VERSION}`);
  }
  const tables = db
    .prepare<[], { count: number }>("SELECT count(*) AS count FROM sqlite_schema WHERE type = 'table'")
    .get();
  if ((tables?.count ?? 0) > 0) {
    throw new Error(`${db.name}: not a store database (it has tables but no schema version)`);
  }
  return true;
}
