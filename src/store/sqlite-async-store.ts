/**
 * The asynchronous Store (src/store/async-store.ts) on SQLite: the synchronous
 * store (the same statements, sqlite-store.ts), its transactions held open
 * across the `await`s of `fn`. SQLite has one writer per connection, so
 * transactions run one at a time, in the order they were asked for (a queue);
 * everything inside them is synchronous, as before.
 *
 * The mock runs its request path on this store over the connection of its
 * synchronous one (`sqliteAsyncStoreOver`): every writer goes through the
 * queue, and the synchronous store stays readable for tests and the export view.
 */
import type Database from 'better-sqlite3';
import type { AsyncStore, StoreTransaction, TransactionOptions } from './async-store';
import { openSqliteDatabase, sqliteStoreOn } from './sqlite-store';
import type { Store } from './store';

/**
 * The transaction verbs of `store`: the synchronous store itself, whose verbs answer at once (a transaction's verbs may
 * return their result or a promise of it).
 */
function transactionOver(store: Store): StoreTransaction {
  return store;
}

export function openSqliteAsyncStore(options: { file?: string } = {}): AsyncStore {
  const db: Database.Database = openSqliteDatabase(options);
  const store = sqliteStoreOn(db, options);
  return sqliteAsyncStoreOver(db, store);
}

/**
 * The asynchronous store over an opened connection and its synchronous store. A read-only transaction takes no lock
 * (as the synchronous reads did): the queue already keeps this process's writers out of it.
 */
export function sqliteAsyncStoreOver(db: Database.Database, store: Store): AsyncStore {
  const tx = transactionOver(store);
  // Prepared once: a request's BEGIN and COMMIT cost a statement step, not a parse.
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  let queue: Promise<unknown> = Promise.resolve();
  /** Transactions asked for and not yet settled: with none, the next one starts at once instead of after the queue. */
  let pending = 0;
  let closed = false;

  async function run<T>(fn: (tx: StoreTransaction) => T | Promise<T>, readOnly: boolean): Promise<T> {
    if (readOnly) return fn(tx);
    // IMMEDIATE: another process on the same file waits for our write lock rather than failing to upgrade later.
    begin.run();
    try {
      const result = await fn(tx);
      commit.run();
      return result;
    } catch (error) {
      if (db.inTransaction) rollback.run();
      throw error;
    }
  }

  return {
    engine: 'sqlite',
    transaction<T>(
      fn: (tx: StoreTransaction) => T | Promise<T>,
      transactionOptions: TransactionOptions = {},
    ): Promise<T> {
      if (closed) return Promise.reject(new Error('the store is closed'));
      const readOnly = transactionOptions.readOnly === true;
      pending++;
      const settle = (): void => {
        pending--;
      };
      // The common case (one request at a time reaches SQLite): no turn of the queue to wait for.
      const next = pending === 1 ? run(fn, readOnly) : queue.then(() => run(fn, readOnly));
      queue = next.then(settle, settle);
      return next;
    },
    async close(): Promise<void> {
      closed = true;
      await queue;
      store.close();
    },
  };
}
