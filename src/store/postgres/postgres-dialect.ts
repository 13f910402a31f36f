/**
 * The PostgreSQL dialect of the declared tables (src/store/record-tables.ts):
 * DDL, how logical types are kept and the SQL of the filter operators, so the
 * PostgreSQL store derives everything from the same declarations as SQLite.
 *
 * Chosen so that both engines answer alike: text is `COLLATE "C"` (byte order,
 * as SQLite compares, whatever the database's own collation), JSON is `json`
 * (kept as written: `jsonb` would reorder an object's keys), timestamps stay
 * ISO text (they sort as stored), `seq` is a bigint identity.
 */
import type { Column, LogicalType } from '../columns';
import type { ColumnPredicate, IndexDeclaration, TableDeclaration } from '../record-tables';
import type { SqlDialect, SqlValue } from '../sql-dialect';
import type { FilterOperator } from '../store';

const COLUMN_TYPES: Record<LogicalType, string> = {
  text: 'text COLLATE "C"',
  integer: 'bigint',
  boolean: 'boolean',
  json: 'json',
  timestamp: 'text COLLATE "C"',
};

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function literal(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return quote(value);
}

function predicateSql(predicate: ColumnPredicate): string {
  if ('is' in predicate) return `${predicate.column} IS ${predicate.is === 'null' ? 'NULL' : 'NOT NULL'}`;
  return `${predicate.column} = ${literal(predicate.equals)}`;
}

function columnSql(table: TableDeclaration, name: string, column: Column<unknown>): string {
  let sql = `  ${name} ${COLUMN_TYPES[column.type]}`;
  if (!column.nullable) sql += ' NOT NULL';
  if (table.unique?.includes(name) === true) sql += ' UNIQUE';
  if (column.checked === true && column.values !== undefined) {
    sql += ` CHECK (${name} IN (${column.values.map(quote).join(', ')}))`;
  }
  return sql;
}

/** Index names are per schema in PostgreSQL (per database in SQLite): the declared names are unique already. */
function indexSql(table: TableDeclaration, index: IndexDeclaration, ifNotExists: boolean): string {
  const where = index.where === undefined ? '' : ` WHERE ${index.where.map(predicateSql).join(' AND ')}`;
  return (
    `CREATE ${index.unique === true ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${index.name} ` +
    `ON ${table.name} (${index.columns.join(', ')})${where}`
  );
}

function describeValue(column: Column<unknown>, stored: unknown): string {
  return (
    `unknown ` +
    `${column.values === undefined ? 'value' : `value of (${column.values.join(', ')})`} ` +
    `${JSON.stringify(stored)}`
  );
}

export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',

  createTable(table: TableDeclaration): string[] {
    const lines: string[] = [];
    // ALWAYS for a plain seq (never given); BY DEFAULT where a snapshot restores a publication's seq.
    if ('seq' in table.key) {
      lines.push(
        `  seq bigint GENERATED ${table.key.seq === 'autoincrement' ? 'BY DEFAULT' : 'ALWAYS'} AS IDENTITY PRIMARY KEY`,
      );
    }
    for (const [name, column] of Object.entries({ ...table.columns, ...table.copies }))
      lines.push(columnSql(table, name, column));
    if ('primaryKey' in table.key) lines.push(`  PRIMARY KEY (${table.key.primaryKey.join(', ')})`);
    const indexes = (table.indexes ?? []).map((index) => indexSql(table, index, false));
    // PostgreSQL's schema is versioned from its first migration: no index is "added later" there.
    return [`CREATE TABLE ${table.name} (\n${lines.join(',\n')}\n)`, ...indexes];
  },

  createLaterIndexes(): string[] {
    return [];
  },

  emptyTable(table: TableDeclaration): string[] {
    // RESTART IDENTITY: a reset numbers seq from 1 again, as SQLite's does.
    return [`TRUNCATE ${table.name}${'seq' in table.key ? ' RESTART IDENTITY' : ''}`];
  },

  placeholder(index: number): string {
    return `$${index}`;
  },

  encode(column: Column<unknown>, value: unknown): SqlValue {
    const encode = POSTGRES_DIALECT.encoder(column);
    return encode === undefined ? (value as SqlValue) : encode(value);
  },

  decode(column: Column<unknown>, stored: unknown): unknown {
    const decode = POSTGRES_DIALECT.decoder(column);
    return decode === undefined ? stored : decode(stored);
  },

  encoder(column: Column<unknown>): ((value: unknown) => SqlValue) | undefined {
    switch (column.type) {
      case 'boolean':
        // Parameters travel as text; PostgreSQL reads 'true'/'false' into a boolean column.
        return (value) => (value === null || value === undefined ? null : value === true ? 'true' : 'false');
      case 'json':
        return (value) => (value === null || value === undefined ? null : JSON.stringify(value));
      default:
        // Text, integers and timestamps are bound as they are; a copy's missing value is null.
        return (value) => (value === undefined ? null : (value as SqlValue));
    }
  },

  decoder(column: Column<unknown>): ((stored: unknown) => unknown) | undefined {
    switch (column.type) {
      case 'boolean':
        // pg gives booleans as booleans.
        return (stored) => (stored === null || stored === undefined ? null : stored === true);
      case 'json':
        // pg parses json columns already; text (a computed value) is parsed here.
        return (stored) => (typeof stored === 'string' ? (JSON.parse(stored) as unknown) : (stored ?? null));
      case 'integer':
        // bigint comes back as a string (it may exceed 2^53); the mock's counts never do.
        return (stored) => (typeof stored === 'string' ? Number(stored) : (stored ?? null));
      default: {
        if (column.values === undefined) return undefined;
        const values = new Set<unknown>(column.values);
        return (stored) => {
          if (stored !== null && stored !== undefined && !values.has(stored)) {
            throw new Error(`postgres store: ${describeValue(column, stored)} in the database`);
          }
          return stored ?? null;
        };
      }
    }
  },

  matchOperator(
    column: string,
    operator: FilterOperator,
    value: SqlValue | readonly string[] | undefined,
    params: SqlValue[],
  ): string {
    const scalar = (): SqlValue => (Array.isArray(value) || value === undefined ? null : (value as SqlValue));
    const next = (bound: SqlValue): string => {
      params.push(bound);
      return `$${params.length}`;
    };
    switch (operator) {
      case '$is':
        return `${column} = ${next(scalar())}`;
      case '$is_not':
        return `${column} IS DISTINCT FROM ${next(scalar())}`;
      case '$in':
        return `${column} = ANY (${next(pgArray(value))}::text[])`;
      case '$not_in':
        return `(${column} IS NULL OR NOT (${column} = ANY (${next(pgArray(value))}::text[])))`;
      case '$has_value':
        return `(${column} IS NOT NULL AND ${column}::text <> '')`;
      case '$is_unknown':
        return `(${column} IS NULL OR ${column}::text = '')`;
      case '$starts_with':
        // strpos, not LIKE: `%` and `_` in the value are literal, and the match is case-sensitive like `$is`.
        return `strpos(${column}, ${next(scalar())}) = 1`;
      case '$ends_with': {
        const suffix = next(scalar());
        return `right(${column}, length(${suffix})) = ${suffix}`;
      }
      case '$contains':
        return `strpos(${column}, ${next(scalar())}) > 0`;
      case '$not_contain':
        return `(${column} IS NULL OR strpos(${column}, ${next(scalar())}) = 0)`;
      default:
        throw new TypeError(`unknown operator ${JSON.stringify(operator)}`);
    }
  },

  inList(column: string, placeholder: string): string {
    return `${column} = ANY (${placeholder}::text[])`;
  },

  listParameter(values: readonly string[]): SqlValue {
    return pgArray(values);
  },
};

/** A list of strings as a PostgreSQL array literal (`{"a","b"}`), every element quoted. */
function pgArray(values: SqlValue | readonly string[] | undefined): string {
  const list = Array.isArray(values) ? (values as readonly string[]) : [];
  return `{${list.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
