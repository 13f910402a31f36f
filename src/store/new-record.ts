/**
 * A new record of a declared table from the fields its maker chooses: the fields
 * whose column declares an initial value (a new voucher is active, unpublished,
 * not redeemed, …) may be left out and start with it. A field added with an
 * initial value therefore changes no maker; one without it makes every maker
 * supply it (a compile error until then).
 */
import type { Columns, RecordOf } from './columns';
import type { TableDeclaration } from './record-tables';

/** The fields of `C` whose columns declare an initial value. */
type InitialFields<C extends Columns> = { [K in keyof C]: C[K] extends { initial: unknown } ? K : never }[keyof C];

/** What a maker gives: every field, those with an initial value optional. */
export type NewRecordFields<C extends Columns> = Omit<RecordOf<C>, InitialFields<C>> &
  Partial<Pick<RecordOf<C>, InitialFields<C>>>;

function copyValue(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

/**
 * A declared initial value for one new record: initial values are flat literals ({}, [], 0, null), so a shallow copy
 * is a full one.
 */
function copyInitial(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  return value !== null && typeof value === 'object' ? { ...value } : value;
}

export function newRecord<C extends Columns>(table: TableDeclaration<C>, fields: NewRecordFields<C>): RecordOf<C> {
  const given = fields as Readonly<Record<string, unknown>>;
  const record: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(table.columns)) {
    if (given[name] !== undefined) record[name] = given[name];
    else if ('initial' in column) record[name] = copyInitial(column.initial);
    else throw new TypeError(`new ${table.name} record: no ${name}, and its column has no initial value`);
  }
  // Every column was given or started with its declared initial value.
  return record as RecordOf<C>;
}

/**
 * The values `source` gives for the record's fields that have an initial value
 * (copied), e.g. a fixture file's voucher `active` or its counts: a
 * format that names a record's own field the same way passes it through here
 * instead of restating it. `source` must already have been checked against that
 * format's schema, whose types for these fields agree with the declaration's (a
 * test compares them).
 */
export function initialFieldsOf<C extends Columns>(
  table: TableDeclaration<C>,
  source: object,
): Partial<Pick<RecordOf<C>, InitialFields<C>>> {
  const given = source as Readonly<Record<string, unknown>>;
  const fields: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(table.columns)) {
    if ('initial' in column && given[name] !== undefined) fields[name] = copyValue(given[name]);
  }
  return fields as Partial<Pick<RecordOf<C>, InitialFields<C>>>;
}
