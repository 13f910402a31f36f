/**
 * The vocabulary records are declared in (src/store/record-tables.ts): a column's
 * logical type, whether it may be null, and the JSON Schema a snapshot checks its
 * value against. Nothing here is SQL: each engine's dialect (src/store/sqlite-dialect.ts)
 * maps a logical type to its own column type and value encoding, so a second engine
 * derives its DDL and conversions from the same declarations.
 */
import type { JsonSchema } from '../spec/spec-document';

/** `timestamp` is an ISO 8601 string with milliseconds (kept as text so that it sorts and compares as stored). */
export type LogicalType = 'text' | 'integer' | 'boolean' | 'json' | 'timestamp';

/** Bounds the fixture-file format defines once (its `$defs`) and the snapshot reuses for the same field. */
export type SharedDefinition = 'code' | 'codeConfig';

export interface Column<T> {
  readonly type: LogicalType;
  readonly nullable: boolean;
  /** The value's JSON Schema (null included when nullable): what a snapshot checks. */
  readonly schema: JsonSchema;
  /** When set, the snapshot checks the value against the fixture file's `$defs` of that name instead of `schema`. */
  readonly shared?: SharedDefinition;
  /** The values a text column may hold; a value read back outside them is an error. */
  readonly values?: readonly string[];
  /** The database refuses values outside `values` too (a CHECK constraint). */
  readonly checked?: boolean;
  /** Type only: the record field's TypeScript type (never set). */
  readonly valueType?: T;
}

/** A column whose field a new record starts with (see src/store/new-record.ts) unless told otherwise. */
export type InitialColumn<T> = Column<T> & { readonly initial: T };

/** A record's columns by field name. */
export type Columns = Record<string, Column<unknown>>;

/** The record a set of columns declares: one field per column, of the column's type. */
export type RecordOf<C extends Columns> = { -readonly [K in keyof C]: C[K] extends Column<infer T> ? T : never };

function makeColumn<T>(type: LogicalType, schema: JsonSchema, extra: Partial<Column<T>> = {}): Column<T> {
  return { type, nullable: false, schema, ...extra };
}

export function text<T extends string = string>(schema: JsonSchema = { type: 'string' }): Column<T> {
  return makeColumn<T>('text', schema);
}

/** Text that is never empty (ids). */
export function id(): Column<string> {
  return text({ type: 'string', minLength: 1 });
}

/** Text whose bounds the fixture-file format defines (a code, a code config). */
export function sharedText(shared: SharedDefinition): Column<string> {
  return makeColumn<string>('text', { type: 'string' }, { shared });
}

/** One of a fixed set of strings; `checked` makes the database refuse others too. */
export function oneOf<T extends string>(values: readonly T[], options: { checked?: boolean } = {}): Column<T> {
  return makeColumn<T>('text', { enum: [...values] }, { values, checked: options.checked ?? false });
}

export function integer(schema: JsonSchema = { type: 'integer' }): Column<number> {
  return makeColumn<number>('integer', schema);
}

/** A non-negative integer (a count). */
export function count(): Column<number> {
  return integer({ type: 'integer', minimum: 0 });
}

export function boolean(): Column<boolean> {
  return makeColumn<boolean>('boolean', { type: 'boolean' });
}

/** A JSON value (an object or an array), kept whole; its type is the record field's. */
export function json<T>(schema: JsonSchema = { type: 'object' }, shared?: SharedDefinition): Column<T> {
  return makeColumn<T>('json', schema, shared === undefined ? {} : { shared });
}

export function timestamp(): Column<string> {
  return makeColumn<string>('timestamp', { type: 'string' });
}

/** The same column, null allowed: the schema's `type` gains 'null'. */
export function nullable<T>(base: Column<T>): Column<T | null> {
  const type = base.schema.type;
  let schema: JsonSchema;
  if (typeof type === 'string') schema = { ...base.schema, type: [type, 'null'] };
  else if (Array.isArray(type)) schema = { ...base.schema, type: [...(type as unknown[]), 'null'] };
  else if (Array.isArray(base.schema.enum))
    schema = { ...base.schema, enum: [...(base.schema.enum as unknown[]), null] };
  else schema = { anyOf: [base.schema, { type: 'null' }] };
  return { ...base, nullable: true, schema };
}

/** The same column; a new record starts with `value` in it (a flat literal: {}, [], 0, null…, copied per record). */
export function initially<T>(base: Column<T>, value: T): InitialColumn<T> {
  return { ...base, initial: value };
}
