/**
 * The customers table on SQLite: its statements, prepared once per connection,
 * and the record conversion derived from its declaration (CUSTOMERS).
 */
import type Database from 'better-sqlite3';
import type { CustomerRecord } from '../domain/records';
import { CUSTOMERS } from './record-tables';
import { SQLITE_DIALECT } from './sqlite-dialect';
import type { SqlValue } from './sql-dialect';
import { makeTableCodec } from './table-codec';

type Row = Record<string, unknown>;

export const CUSTOMER_CODEC = makeTableCodec(CUSTOMERS, SQLITE_DIALECT);

export interface SqliteCustomers {
  get(id: string): CustomerRecord | undefined;
  findBySourceId(sourceId: string): CustomerRecord | undefined;
  /** Newest first. */
  listNewest(limit: number): CustomerRecord[];
  /** Every one, in insertion order. */
  all(): CustomerRecord[];
  insert(customer: CustomerRecord): void;
  /** False when there is no such customer. */
  update(customer: CustomerRecord): boolean;
}

export function prepareSqliteCustomers(db: Database.Database): SqliteCustomers {
  const columns = CUSTOMER_CODEC.selectList();
  const byId = db.prepare<[string], Row>(`SELECT ${columns} FROM customers WHERE id = ?`);
  const bySourceId = db.prepare<[string], Row>(`SELECT ${columns} FROM customers WHERE source_id = ?`);
  const newest = db.prepare<[number], Row>(
    `SELECT ${columns} FROM customers ORDER BY created_at DESC, seq DESC LIMIT ?`,
  );
  const allRows = db.prepare<[], Row>(`SELECT ${columns} FROM customers ORDER BY seq`);
  const insertRow = db.prepare<SqlValue[]>(CUSTOMER_CODEC.insertSql());
  const updateRow = db.prepare<SqlValue[]>(CUSTOMER_CODEC.updateSql('id'));
  const read = (row: Row | undefined): CustomerRecord | undefined =>
    row === undefined ? undefined : CUSTOMER_CODEC.fromRow(row);

  return {
    get: (id) => read(byId.get(id)),
    findBySourceId: (sourceId) => read(bySourceId.get(sourceId)),
    listNewest: (limit) => newest.all(limit).map((row) => CUSTOMER_CODEC.fromRow(row)),
    all: () => allRows.all().map((row) => CUSTOMER_CODEC.fromRow(row)),
    insert(customer) {
      insertRow.run(...CUSTOMER_CODEC.toValues(customer));
    },
    update(customer) {
      return updateRow.run(...CUSTOMER_CODEC.toUpdateValues(customer, 'id')).changes === 1;
    },
  };
}
