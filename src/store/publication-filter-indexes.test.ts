/**
 * Pins that every selective list filter of the spec reads an index, not the whole publications table (at 1M rows a
 * scan costs ~0.8 s per list), and that a version-1 data file is brought to the current schema version on open.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { compilePublicationQuery } from './publication-query-sql';
import { SQLITE_DIALECT } from './sqlite-dialect';
import { SCHEMA_VERSION, openSqliteDatabase } from './sqlite-store';
import type { Condition, PublicationQuery } from './store';

function listQuery(condition: Condition, where: 'must' | 'filters'): PublicationQuery {
  return {
    must: where === 'must' ? [condition] : [],
    filters: where === 'filters' ? [condition] : [],
    junction: 'and',
    order: { field: 'created_at', direction: 'desc' },
    limit: 10,
    offset: 0,
  };
}

/** The query plan's lines for the list's count and its page. */
function planOf(db: Database.Database, query: PublicationQuery): string[] {
  const sql = compilePublicationQuery(query, SQLITE_DIALECT);
  const statements = [
    [`SELECT count(*) AS total FROM publications p${sql.where}`, sql.params],
    [`SELECT p.id FROM publications p${sql.where} ${sql.orderBy} LIMIT ? OFFSET ?`, [...sql.params, 10, 0]],
  ] as const;
  return statements.flatMap(([text, params]) =>
    db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${text}`)
      .all(...params)
      .map((row) => row.detail),
  );
}

describe('a selective list filter reads an index, never the whole publications table', () => {
  let db: Database.Database;
  beforeAll(() => {
    db = openSqliteDatabase({});
  });
  afterAll(() => db.close());

  test.each<[string, Condition, 'must' | 'filters']>([
    ['filters[source_id] (any result)', { field: 'source_id', op: '$is', value: 'order-1' }, 'filters'],
    ['source_id (the query parameter)', { field: 'source_id', op: '$is', value: 'order-1' }, 'must'],
    ['filters[customer_id]', { field: 'customer_id', op: '$is', value: 'cust_1' }, 'filters'],
    ['customer (the query parameter)', { field: 'customer_id', op: '$is', value: 'cust_1' }, 'must'],
    ['filters[campaign_name]', { field: 'campaign_name', op: '$is', value: 'Summer' }, 'filters'],
    [
      'filters[parent_object_id] (the campaign id)',
      { field: 'parent_object_id', op: '$is', value: 'camp_1' },
      'filters',
    ],
    ['filters[failure_code]', { field: 'failure_code', op: '$is', value: 'voucher_already_published' }, 'filters'],
    ['voucher (a code of any of its vouchers)', { field: 'voucher_code', op: '$is', value: 'CODE-1' }, 'must'],
    ['filters[related_object_id] (a voucher id)', { field: 'related_object_id', op: '$is', value: 'v_1' }, 'filters'],
  ])('%s', (_name, condition, where) => {
    const plan = planOf(db, listQuery(condition, where));
    // "SCAN p" is a full table scan; "SCAN p USING [COVERING] INDEX" walks an index in order (the page, bounded by
    // LIMIT) — only the former is refused, and on the count it is refused in any form.
    expect(plan.filter((line) => /^SCAN p$/.test(line))).toEqual([]);
    expect(plan[0]).toMatch(/^SEARCH p USING (COVERING )?INDEX|^SEARCH p USING INTEGER PRIMARY KEY/);
  });
});

describe('opening a data file of an older schema version', () => {
  test('a version-1 file (schema-v1.sql) is upgraded in place: the new indexes, this version, its rows kept', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-upgrade-'));
    const file = path.join(dir, 'v1.sqlite');
    try {
      const old = new Database(file);
      old.exec(fs.readFileSync(path.join(__dirname, 'schema-v1.sql'), 'utf8'));
      old.exec("INSERT INTO sequences (name, value) VALUES ('pub', 41)");
      old.pragma('user_version = 1');
      old.close();

      openSqliteDatabase({ file }).close();

      const after = new Database(file, { readonly: true });
      try {
        expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        const indexes = after
          .prepare<[], { name: string }>(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'publications'",
          )
          .all()
          .map((row) => row.name);
        expect(indexes).toEqual(
          expect.arrayContaining([
            'publications_source_id_any',
            'publications_campaign_id_created',
            'publications_failure_code',
          ]),
        );
        expect(after.prepare("SELECT value FROM sequences WHERE name = 'pub'").pluck().get()).toBe(41);
      } finally {
        after.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
