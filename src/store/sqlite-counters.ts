/**
 * The counters and meta tables on SQLite: persistent counters (deterministic ids
 * survive a restart) and string settings (which seed filled the store, …).
 */
import type Database from 'better-sqlite3';

export interface SqliteCounters {
  next(name: string): number;
  all(): Record<string, number>;
  /** Sets a counter that does not exist yet (a restore). */
  insert(name: string, value: number): void;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  allMeta(): Record<string, string>;
}

export function prepareSqliteCounters(db: Database.Database): SqliteCounters {
  const nextValue = db.prepare<[string], { value: number }>(
    'INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT (name) ' +
      'DO UPDATE SET value = value + 1 RETURNING value',
  );
  const allSequences = db.prepare<[], { name: string; value: number }>(
    'SELECT name, value FROM sequences ORDER BY name',
  );
  const insertSequence = db.prepare<[string, number]>('INSERT INTO sequences (name, value) VALUES (?, ?)');
  const metaByKey = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const upsertMeta = db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const allMeta = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta ORDER BY key');

  return {
    next(name) {
      const row = nextValue.get(name);
      if (row === undefined) throw new Error(`nextSequence ${name}: no value returned`);
      return row.value;
    },
    all: () => Object.fromEntries(allSequences.all().map((row) => [row.name, row.value])),
    insert(name, value) {
      insertSequence.run(name, value);
    },
    getMeta: (key) => metaByKey.get(key)?.value,
    setMeta(key, value) {
      upsertMeta.run(key, value);
    },
    allMeta: () => Object.fromEntries(allMeta.all().map((row) => [row.key, row.value])),
  };
}
