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
  /** `id, code, …` (`p.id, p.code, …` with an alias): the record's columns, what a SELECT reads to make a record. */
  selectList(alias?: string): string;
  /** INSERT of the record's columns, then its copies, then (`withSeq`) the seq; values from `toValues`. */
  insertSql(options?: { withSeq?: boolean }): string;
  /** UPDATE of every column but `key`, found by `key`; values from `toUpdateValues`. */
  updateSql(key: string): string;
  /** The record's values (then its copies', in declaration order) as bound. */
  toValues(record: R, copies?: Readonly<Record<string, unknown>>): SqlValue[];
  /** The values of `updateSql(key)`: every column but `key`, then `key`. */
  toUpdateValues(record: R, key: string): SqlValue[];
  /**
   * The record a row read with `selectList` holds: the row itself, its stored values decoded in place (it must be
   * the statement's own fresh row object). Columns selected after the list stay on it as they are.
   */
  fromRow(row: Record<string, unknown>): R;
}

export function makeTableCodec<C extends Columns>(
  table: TableDeclaration<C>,
  dialect: SqlDialect,
): TableCodec<RecordOf<C>> {
  const fields: Array<[string, Column<unknown>]> = Object.entries(table.columns);
  const copies: Array<[string, Column<unknown>]> = Object.entries(table.copies ?? {});
  const columns = fields.map(([name]) => name);
  const placeholders = (count: number): string =>
    Array.from({ length: count }, (_, i) => dialect.placeholder(i + 1)).join(', ');
  type Encoder = [name: string, encode: (value: unknown) => SqlValue];
  const encoderOf = ([name, column]: [string, Column<unknown>]): Encoder => [
    name,
    dialect.encoder(column) ?? ((value) => value as SqlValue),
  ];
  const fieldEncoders = fields.map(encoderOf);
  const copyEncoders = copies.map(encoderOf);
  // Only the columns whose stored value differs from the field's are touched when a row is read.
  const decoders: Array<[name: string, decode: (stored: unknown) => unknown]> = [];
  for (const [name, column] of fields) {
    const decode = dialect.decoder(column);
    if (decode !== undefined) decoders.push([name, decode]);
  }

  function encodeAll(
    record: Readonly<Record<string, unknown>>,
    encoders: readonly Encoder[],
    values: SqlValue[] = [],
  ): SqlValue[] {
    for (const [name, encode] of encoders) values.push(encode(record[name]));
    return values;
  }

  return {
    table,
    columns,

    selectList(alias?: string): string {
      return (alias === undefined ? columns : columns.map((name) => `${alias}.${name}`)).join(', ');
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
      const values = encodeAll(record, fieldEncoders);
      return copies.length > 0 ? encodeAll(copyValues ?? {}, copyEncoders, values) : values;
    },

    toUpdateValues(record: RecordOf<C>, key: string): SqlValue[] {
      const fieldsOf = record as Readonly<Record<string, unknown>>;
      const keyEncoder = fieldEncoders.find(([name]) => name === key);
      if (keyEncoder === undefined) throw new Error(`${table.name}: no column ${key}`);
      const values = encodeAll(
        fieldsOf,
        fieldEncoders.filter(([name]) => name !== key),
      );
      values.push(keyEncoder[1](fieldsOf[key]));
      return values;
    },

    fromRow(row: Record<string, unknown>): RecordOf<C> {
      // The row is the statement's own fresh object: decoded in place, so reading a record copies nothing.
      for (const [name, decode] of decoders) row[name] = decode(row[name]);
      // The row was written from a record of this declaration, so it reads back as one.
      return row as RecordOf<C>;
    },
  };
}
