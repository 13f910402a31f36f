/**
 * Row ↔ record conversion and the column lists of a declared table, derived from
 * its declaration (src/store/record-tables.ts) and an engine's dialect: the one
 * place a record's fields are walked, so no table restates them. Statements bind
 * positional parameters in column order.
 */
import type { Column, Columns, RecordOf } from './columns';
import type { TableDeclaration } from './record-tables';
import type { SqlDialect, SqlValue } from './sql-dialect';

export interface TableCodec<R> {
  readonly table: TableDeclaration;
  /** The record's columns, in declaration order (without `seq` and copies). */
  readonly columns: readonly string[];
  /** `seq, id, …` (`p.seq, p.id, …` with an alias): what a SELECT reads to make a record and its seq. */
  selectList(alias?: string): string;
  /** INSERT of the record's columns, then its copies, then (`withSeq`) the seq; values from `toValues`. */
  insertSql(options?: { withSeq?: boolean }): string;
  /** UPDATE of every column but `key`, found by `key`; values from `toUpdateValues`. */
  updateSql(key: string): string;
  /** The record's values (then its copies', in declaration order) as bound. */
  toValues(record: R, copies?: Readonly<Record<string, unknown>>): SqlValue[];
  /** The values of `updateSql(key)`: every column but `key`, then `key`. */
  toUpdateValues(record: R, key: string): SqlValue[];
  /** The record a row read with `selectList` holds (its seq is not a record field). */
  fromRow(row: Readonly<Record<string, unknown>>): R;
}

export function makeTableCodec<C extends Columns>(table: TableDeclaration<C>, dialect: SqlDialect): TableCodec<RecordOf<C>> {
  const fields: Array<[string, Column<unknown>]> = Object.entries(table.columns);
  const copies: Array<[string, Column<unknown>]> = Object.entries(table.copies ?? {});
  const columns = fields.map(([name]) => name);
  const hasSeq = 'seq' in table.key;
  const placeholders = (count: number): string => Array.from({ length: count }, (_, i) => dialect.placeholder(i + 1)).join(', ');

  function encodeAll(record: Readonly<Record<string, unknown>>, entries: Array<[string, Column<unknown>]>): SqlValue[] {
    const values: SqlValue[] = [];
    for (const [name, column] of entries) values.push(dialect.encode(column, record[name]));
    return values;
  }

  return {
    table,
    columns,

    selectList(alias?: string): string {
      const names = hasSeq ? ['seq', ...columns] : columns;
      return (alias === undefined ? names : names.map((name) => `${alias}.${name}`)).join(', ');
    },

    insertSql(options: { withSeq?: boolean } = {}): string {
      const names = [...columns, ...copies.map(([name]) => name)];
      if (options.withSeq === true) names.push('seq');
      return `INSERT INTO ${table.name} (${names.join(', ')}) VALUES (${placeholders(names.length)})`;
    },

    updateSql(key: string): string {
      const assigned = columns.filter((name) => name !== key);
      const set = assigned.map((name, i) => `${name} = ${dialect.placeholder(i + 1)}`).join(', ');
      return `UPDATE ${table.name} SET ${set} WHERE ${key} = ${dialect.placeholder(assigned.length + 1)}`;
    },

    toValues(record: RecordOf<C>, copyValues?: Readonly<Record<string, unknown>>): SqlValue[] {
      const values = encodeAll(record as Readonly<Record<string, unknown>>, fields);
      if (copies.length > 0) values.push(...encodeAll(copyValues ?? {}, copies));
      return values;
    },

    toUpdateValues(record: RecordOf<C>, key: string): SqlValue[] {
      const fieldsOf = record as Readonly<Record<string, unknown>>;
      const values = encodeAll(fieldsOf, fields.filter(([name]) => name !== key));
      const keyColumn = table.columns[key];
      if (keyColumn === undefined) throw new Error(`${table.name}: no column ${key}`);
      values.push(dialect.encode(keyColumn, fieldsOf[key]));
      return values;
    },

    fromRow(row: Readonly<Record<string, unknown>>): RecordOf<C> {
      const record: Record<string, unknown> = {};
      for (const [name, column] of fields) record[name] = dialect.decode(column, row[name]);
      // The row was written from a record of this declaration, so it reads back as one.
      return record as RecordOf<C>;
    },
  };
}
