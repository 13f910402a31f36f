import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readFixtureFileSchema } from '../fixtures/fixture-file-schema';
import type { JsonSchema } from '../spec/spec-document';
import { type Column, boolean, count, initially, json, nullable, oneOf, text, timestamp } from './columns';
import { initialFieldsOf, newRecord } from './new-record';
import { CAMPAIGNS, CUSTOMERS, PUBLICATIONS, TABLES, type TableDeclaration, VOUCHERS } from './record-tables';
import { makeSnapshotRecordSchema } from './snapshot-schemas';
import { SQLITE_DIALECT } from './sqlite-dialect';
import { SCHEMA_VERSION, listSchemaStatements } from './sqlite-store';
import { makeTableCodec } from './table-codec';

/** Tables, columns (with types, NOT NULL, defaults, keys) and indexes (with their SQL, spacing aside) of a database. */
function describeSchema(db: Database.Database): unknown {
  const objects = db
    .prepare<[], { name: string; type: string; sql: string | null }>(
      "SELECT name, type, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
  return objects.map((object) => ({
    name: object.name,
    type: object.type,
    columns:
      object.type === 'table' ? db.pragma(`table_xinfo(${object.name})`) : db.pragma(`index_xinfo(${object.name})`),
    indexes: object.type === 'table' ? db.pragma(`index_list(${object.name})`) : null,
    sql: object.type === 'index' ? object.sql?.replace(/\s+/g, ' ').replace('IF NOT EXISTS ', '') : null,
  }));
}

describe('the declarations give the SQLite schema', () => {
  test(
    `of version ${SCHEMA_VERSION}, as pinned in ` +
      `schema-v${SCHEMA_VERSION}.sql (a change to the declarations needs a ` +
      `new schema version)`,
    () => {
      const pinned = new Database(':memory:');
      pinned.exec(fs.readFileSync(path.join(__dirname, `schema-v${SCHEMA_VERSION}.sql`), 'utf8'));
      const declared = new Database(':memory:');
      for (const sql of [
        ...listSchemaStatements(),
        ...TABLES.flatMap((table) => SQLITE_DIALECT.createLaterIndexes(table)),
      ])
        declared.exec(sql);
      expect(describeSchema(declared)).toEqual(describeSchema(pinned));
    },
  );

  const sample = (
    columns: Record<string, Column<unknown>>,
    extra: Partial<TableDeclaration> = {},
  ): TableDeclaration => ({
    name: 't',
    key: { seq: 'rowid' },
    columns,
    ...extra,
  });
  test.each<[string, TableDeclaration, RegExp]>([
    ['a column that is not nullable is NOT NULL', sample({ a: text() }), /\ba TEXT NOT NULL\b/],
    ['a nullable column may be null', sample({ a: nullable(text()) }), /\ba TEXT,?\n/],
    ['booleans are integers', sample({ a: boolean() }), /\ba INTEGER NOT NULL/],
    [
      'JSON values and timestamps are text',
      sample({ a: json(), b: timestamp() }),
      /a TEXT NOT NULL,\n {2}b TEXT NOT NULL/,
    ],
    [
      'a checked enumeration is a CHECK',
      sample({ a: oneOf(['X', "O'K"], { checked: true }) }),
      /a TEXT NOT NULL CHECK \(a IN \('X', 'O''K'\)\)/,
    ],
    ['an unchecked enumeration is plain text', sample({ a: oneOf(['X']) }), /a TEXT NOT NULL\n\)$/m],
    ['a unique column is UNIQUE', sample({ a: text() }, { unique: ['a'] }), /a TEXT NOT NULL UNIQUE/],
    [
      'an autoincrement seq never reuses a value',
      sample({ a: text() }, { key: { seq: 'autoincrement' } }),
      /seq INTEGER PRIMARY KEY AUTOINCREMENT/,
    ],
    [
      'a keyed table has its primary key and no rowid',
      sample({ a: text() }, { key: { primaryKey: ['a'] } }),
      /PRIMARY KEY \(a\)\n\) WITHOUT ROWID/,
    ],
    [
      'a partial index renders its predicates with the stored values',
      sample(
        { a: boolean(), b: nullable(text()) },
        {
          indexes: [
            {
              name: 'i',
              columns: ['b'],
              where: [
                { column: 'a', equals: true },
                { column: 'b', is: 'not-null' },
              ],
            },
          ],
        },
      ),
      /CREATE INDEX i ON t \(b\) WHERE a = 1 AND b IS NOT NULL/,
    ],
  ])('%s', (_name, table, expected) => {
    expect(SQLITE_DIALECT.createTable(table).join(';\n')).toMatch(expected);
  });
});

describe('a record makes the round trip through its row in SQLite', () => {
  const table: TableDeclaration = {
    name: 'roundtrip',
    key: { seq: 'rowid' },
    columns: {
      id: text(),
      flag: boolean(),
      maybe_flag: nullable(boolean()),
      n: count(),
      maybe_n: nullable(count()),
      doc: json(),
      list: nullable(json({ type: 'array' })),
      at: timestamp(),
      kind: oneOf(['A', 'B']),
    },
  };
  const db = new Database(':memory:');
  for (const sql of SQLITE_DIALECT.createTable(table)) db.exec(sql);
  const codec = makeTableCodec(table, SQLITE_DIALECT);
  const insert = db.prepare<unknown[]>(codec.insertSql());
  const read = db.prepare<[string], Record<string, unknown>>(
    `SELECT ${codec.selectList()} FROM roundtrip WHERE id = ?`,
  );

  test.each<[string, Record<string, unknown>]>([
    [
      'true, zero, objects and a timestamp',
      {
        id: 'a',
        flag: true,
        maybe_flag: false,
        n: 0,
        maybe_n: 7,
        doc: { x: [1, { y: null }] },
        list: [1, 2],
        at: '2024-01-01T00:00:00.000Z',
        kind: 'A',
      },
    ],
    [
      'false and every nullable column null',
      { id: 'b', flag: false, maybe_flag: null, n: 2 ** 48, maybe_n: null, doc: {}, list: null, at: '', kind: 'B' },
    ],
    [
      'text with quotes, NUL and astral characters',
      {
        id: 'c\'"\u0000😀',
        flag: true,
        maybe_flag: true,
        n: 1,
        maybe_n: 0,
        doc: { 'k"': "v'" },
        list: [],
        at: 'x',
        kind: 'A',
      },
    ],
  ])('%s comes back equal', (_name, record) => {
    insert.run(...codec.toValues(record));
    expect(codec.fromRow(read.get(record.id as string) ?? {})).toStrictEqual(record);
  });

  test('a stored value outside an enumeration is refused when read back', () => {
    db.prepare("INSERT INTO roundtrip (id, flag, n, doc, at, kind) VALUES ('bad', 1, 0, '{}', '', 'C')").run();
    expect(() => codec.fromRow(read.get('bad') ?? {})).toThrow(/unknown value of \(A, B\) "C" in the database/);
  });

  test('an update sets every column but the key, found by the key', () => {
    const record = {
      id: 'u',
      flag: true,
      maybe_flag: null,
      n: 1,
      maybe_n: null,
      doc: {},
      list: null,
      at: 't',
      kind: 'A',
    };
    insert.run(...codec.toValues(record));
    const changed = { ...record, flag: false, n: 5, doc: { changed: true }, kind: 'B' };
    expect(db.prepare<unknown[]>(codec.updateSql('id')).run(...codec.toUpdateValues(changed, 'id')).changes).toBe(1);
    expect(codec.fromRow(read.get('u') ?? {})).toStrictEqual(changed);
  });
});

describe('newRecord', () => {
  const table = {
    name: 'things',
    key: { seq: 'rowid' as const },
    columns: {
      id: text(),
      tags: initially(json<Record<string, unknown>>(), {}),
      uses: initially(count(), 0),
      note: initially(nullable(text()), null),
    },
  };

  test.each<[string, Parameters<typeof newRecord<typeof table.columns>>[1], Record<string, unknown>]>([
    ['left-out fields start with their initial values', { id: 'a' }, { id: 'a', tags: {}, uses: 0, note: null }],
    [
      'given fields win, null and 0 included',
      { id: 'b', uses: 3, note: 'n', tags: { x: 1 } },
      { id: 'b', tags: { x: 1 }, uses: 3, note: 'n' },
    ],
    [
      'an explicit null is kept (not replaced by the initial value)',
      { id: 'c', note: null },
      { id: 'c', tags: {}, uses: 0, note: null },
    ],
  ])('%s', (_name, fields, expected) => {
    expect(newRecord(table, fields)).toStrictEqual(expected);
  });

  test('two new records never share an initial object', () => {
    const first = newRecord(table, { id: 'a' });
    first.tags.changed = true;
    expect(newRecord(table, { id: 'b' }).tags).toStrictEqual({});
  });

  test('a field without an initial value is required (at run time too)', () => {
    expect(() => newRecord(table, {} as { id: string })).toThrow(
      /new things record: no id, and its column has no initial value/,
    );
  });

  test('initialFieldsOf passes on a source’s values of the fields with an initial value only, copied', () => {
    const source = { id: 'ignored', uses: 2, tags: { deep: { x: 1 } }, other: 'ignored' };
    const fields = initialFieldsOf(table, source);
    expect(fields).toStrictEqual({ uses: 2, tags: { deep: { x: 1 } } });
    expect(fields.tags).not.toBe(source.tags);
  });
});

describe('snapshot record schemas follow from the declarations', () => {
  const shared = {
    code: { type: 'string', maxLength: 128 },
    codeConfig: { type: 'object', additionalProperties: false },
  };
  test.each<[string, TableDeclaration]>([
    ['campaigns', CAMPAIGNS],
    ['vouchers', VOUCHERS],
    ['customers', CUSTOMERS],
    ['publications', PUBLICATIONS],
  ])('%s: one required property per column, no other property, the extras added', (_name, table) => {
    const schema = makeSnapshotRecordSchema(table, shared);
    const extras = Object.keys(table.snapshotExtras?.properties ?? {});
    expect(Object.keys(schema.properties as object)).toEqual([...Object.keys(table.columns), ...extras]);
    expect(schema.required).toEqual(
      [...Object.keys(table.columns), ...extras].filter(
        (name) => !(table.snapshotExtras?.optional ?? []).includes(name),
      ),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  test.each<[string, TableDeclaration, string, unknown]>([
    ['a voucher code is bounded by the fixture format’s code', VOUCHERS, 'code', shared.code],
    [
      'a campaign code config is bounded by the fixture format’s codeConfig',
      CAMPAIGNS,
      'code_config',
      shared.codeConfig,
    ],
    [
      'a nullable count admits null and no negative',
      VOUCHERS,
      'redemption_quantity',
      { type: ['integer', 'null'], minimum: 0 },
    ],
    ['a checked enumeration lists its values', PUBLICATIONS, 'result', { enum: ['SUCCESS', 'FAILURE'] }],
  ])('%s', (_name, table, field, expected) => {
    expect((makeSnapshotRecordSchema(table, shared).properties as Record<string, unknown>)[field]).toStrictEqual(
      expected,
    );
  });
});

/** The JSON types a schema admits (its `type`, its enum's values' types, or those of the `$defs` it names). */
function jsonTypes(schema: JsonSchema, defs: Record<string, JsonSchema>): string[] {
  const ref = schema.$ref;
  if (typeof ref === 'string') return jsonTypes(defs[ref.replace('#/$defs/', '')] ?? {}, defs);
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (Array.isArray(schema.enum))
    return [...new Set((schema.enum as unknown[]).map((value) => (value === null ? 'null' : typeof value)))];
  return ['any'];
}

describe('the fixture-file format agrees with the declarations where it describes the same fields', () => {
  const fixtureSchema = readFixtureFileSchema();
  /** Fields the fixture format has that are not columns of the record: the file's own way to say something. */
  const FILE_ONLY: Record<string, readonly string[]> = {
    campaign: ['codes', 'generate', 'validity_timeframe', 'validity_day_of_week'],
    voucher: ['campaign', 'holder'],
    customer: [],
  };
  const rows: Array<[string, string, TableDeclaration]> = [];
  for (const [def, table] of [
    ['campaign', CAMPAIGNS],
    ['voucher', VOUCHERS],
    ['customer', CUSTOMERS],
  ] as const) {
    for (const field of Object.keys((fixtureSchema.$defs[def]?.properties as object | undefined) ?? {}))
      rows.push([def, field, table]);
  }

  test.each(rows)(
    '%s.%s is a field of the record, of a type the declaration admits, or a file-only field',
    (def, field, table) => {
      const fileSchema = (fixtureSchema.$defs[def]?.properties as Record<string, JsonSchema>)[field] ?? {};
      const column = table.columns[field];
      if (column === undefined) {
        expect(FILE_ONLY[def]).toContain(field);
        return;
      }
      const declared = jsonTypes(
        column.shared === undefined ? column.schema : (fixtureSchema.$defs[column.shared] ?? {}),
        fixtureSchema.$defs,
      );
      for (const type of jsonTypes(fileSchema, fixtureSchema.$defs)) {
        expect(declared).toContain(type === 'integer' && declared.includes('number') ? 'number' : type);
      }
    },
  );
});
