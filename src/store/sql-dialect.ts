/**
 * What an SQL engine supplies to the store layer: the SQL for the declared tables
 * (src/store/record-tables.ts) and how a column's logical type is kept in it. One
 * small module per engine implements it (src/store/sqlite-dialect.ts today); the
 * declarations, the row conversion (src/store/table-codec.ts) and the publication
 * query builder stay engine-neutral.
 */
import type { Column } from './columns';
import type { TableDeclaration } from './record-tables';
import type { FilterOperator } from './store';

/** A value bound to a statement parameter or read from a column. */
export type SqlValue = string | number | null;

export interface SqlDialect {
  readonly name: string;
  /** CREATE TABLE and CREATE INDEX statements of a table, without the indexes added later. */
  createTable(table: TableDeclaration): string[];
  /** The indexes added after the first schema version, each created only when missing. */
  createLaterIndexes(table: TableDeclaration): string[];
  /** Statements that empty a table and restart its seq. */
  emptyTable(table: TableDeclaration): string[];
  /** The placeholder of the `index`th (from 1) parameter of a statement. */
  placeholder(index: number): string;
  /** A record field's value as stored. */
  encode(column: Column<unknown>, value: unknown): SqlValue;
  /** A stored value as the record field it was written from. */
  decode(column: Column<unknown>, stored: unknown): unknown;
  /** `encode` for one column, made once; undefined when values are stored as they are (the common case, kept free). */
  encoder(column: Column<unknown>): ((value: unknown) => SqlValue) | undefined;
  /** `decode` for one column, made once; undefined when stored values are the field's as they are. */
  decoder(column: Column<unknown>): ((stored: unknown) => unknown) | undefined;
  /**
   * SQL true where `operator` holds on `column`, pushing its values onto `params`
   * in the order they appear (placeholders numbered from `params.length + 1`).
   * A NULL result simply does not match: negative operators are written as the
   * exact complements of the positive ones (`$is_not`, `$not_in` match NULL).
   */
  matchOperator(
    column: string,
    operator: FilterOperator,
    value: SqlValue | readonly string[] | undefined,
    params: SqlValue[],
  ): string;
  /** SQL true where `column` is one of the strings bound (as one parameter) from `listParameter`. */
  inList(column: string, placeholder: string): string;
  /** A list of strings as the one parameter `inList` reads. */
  listParameter(values: readonly string[]): SqlValue;
}
