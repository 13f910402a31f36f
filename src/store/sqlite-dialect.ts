/**
 * The SQLite dialect: the DDL of the declared tables (every table has an integer
 * `seq`, its rowid, recording insertion order; key-only tables are WITHOUT ROWID),
 * how logical types are kept (booleans as 0/1, JSON values as JSON text,
 * timestamps as ISO text) and the SQL of the filter operators. All SQLite-specific
 * SQL of the declarations lives here.
 */
import type { Column, LogicalType } from './columns';
import type { ColumnPredicate, TableDeclaration } from './record-tables';
import type { SqlDialect, SqlValue } from './sql-dialect';
import type { FilterOperator } from './store';

const COLUMN_TYPES: Record<LogicalType, string> = {
  text: 'TEXT',
  integer: 'INTEGER',
  boolean: 'INTEGER',
  json: 'TEXT',
  timestamp: 'TEXT',
};

function quoteText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function renderLiteral(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  return quoteText(value);
}

function renderPredicate(predicate: ColumnPredicate): string {
  if ('is' in predicate) return `${predicate.column} IS ${predicate.is === 'null' ? 'NULL' : 'NOT NULL'}`;
  return `${predicate.column} = ${renderLiteral(predicate.equals)}`;
}

function renderColumn(table: TableDeclaration, name: string, column: Column<unknown>): string {
  let sql = `  ${name} ${COLUMN_TYPES[column.type]}`;
  if (!column.nullable) sql += ' NOT NULL';
  if (table.unique?.includes(name) === true) sql += ' UNIQUE';
  if (column.checked === true && column.values !== undefined) {
    sql += ` CHECK (${name} IN (${column.values.map(quoteText).join(', ')}))`;
  }
  return sql;
}

function renderIndex(
  table: TableDeclaration,
  index: NonNullable<TableDeclaration['indexes']>[number],
  ifNotExists: boolean,
): string {
  const where = index.where === undefined ? '' : ` WHERE ${index.where.map(renderPredicate).join(' AND ')}`;
  return (
    `CREATE ${index.unique === true ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${index.name} ` +
    `ON ${table.name} (${index.columns.join(', ')})${where}`
  );
}

function describeUnknown(column: Column<unknown>, stored: unknown): string {
  return (
    `unknown ` +
    `${column.values === undefined ? 'value' : `value of (${column.values.join(', ')})`} ` +
    `${JSON.stringify(stored)}`
  );
}

export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',

  createTable(table: TableDeclaration): string[] {
    const lines: string[] = [];
    if ('seq' in table.key)
      lines.push(`  seq INTEGER PRIMARY KEY${table.key.seq === 'autoincrement' ? ' AUTOINCREMENT' : ''}`);
    for (const [name, column] of Object.entries({ ...table.columns, ...table.copies }))
      lines.push(renderColumn(table, name, column));
    if ('primaryKey' in table.key) lines.push(`  PRIMARY KEY (${table.key.primaryKey.join(', ')})`);
    const rowid = 'primaryKey' in table.key ? ' WITHOUT ROWID' : '';
    const indexes = (table.indexes ?? [])
      .filter((index) => index.addedLater !== true)
      .map((index) => renderIndex(table, index, false));
    return [`CREATE TABLE ${table.name} (\n${lines.join(',\n')}\n)${rowid}`, ...indexes];
  },

  createLaterIndexes(table: TableDeclaration): string[] {
    return (table.indexes ?? [])
      .filter((index) => index.addedLater === true)
      .map((index) => renderIndex(table, index, true));
  },

  emptyTable(table: TableDeclaration): string[] {
    const statements = [`DELETE FROM ${table.name}`];
    // AUTOINCREMENT keeps its high-water mark in sqlite_sequence: a reset starts the seq from 1 again.
    if ('seq' in table.key && table.key.seq === 'autoincrement')
      statements.push(`DELETE FROM sqlite_sequence WHERE name = ${quoteText(table.name)}`);
    return statements;
  },

  placeholder(): string {
    return '?';
  },

  encode(column: Column<unknown>, value: unknown): SqlValue {
    const encode = SQLITE_DIALECT.encoder(column);
    return encode === undefined ? (value as SqlValue) : encode(value);
  },

  decode(column: Column<unknown>, stored: unknown): unknown {
    const decode = SQLITE_DIALECT.decoder(column);
    return decode === undefined ? stored : decode(stored);
  },

  encoder(column: Column<unknown>): ((value: unknown) => SqlValue) | undefined {
    switch (column.type) {
      case 'boolean':
        return (value) => (value === null || value === undefined ? null : value === true ? 1 : 0);
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
        return (stored) => (stored === null ? null : stored === 1);
      case 'json':
        return (stored) => (stored === null ? null : (JSON.parse(stored as string) as unknown));
      default: {
        if (column.values === undefined) return undefined;
        const values = new Set<unknown>(column.values);
        return (stored) => {
          if (stored !== null && !values.has(stored)) {
            throw new Error(`sqlite store: ${describeUnknown(column, stored)} in the database`);
          }
          return stored;
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
    switch (operator) {
      case '$is':
        params.push(scalar());
        return `${column} = ?`;
      case '$is_not':
        params.push(scalar());
        return `${column} IS NOT ?`;
      case '$in':
        params.push(JSON.stringify(value));
        return `${column} IN (SELECT value FROM json_each(?))`;
      case '$not_in':
        params.push(JSON.stringify(value));
        return `(${column} IS NULL OR ${column} NOT IN (SELECT value FROM json_each(?)))`;
      case '$has_value':
        return `(${column} IS NOT NULL AND ${column} <> '')`;
      case '$is_unknown':
        return `(${column} IS NULL OR ${column} = '')`;
      case '$starts_with':
        // instr, not LIKE: `%` and `_` in the value are literal, and the match is case-sensitive like `$is`.
        params.push(scalar());
        return `instr(${column}, ?) = 1`;
      case '$ends_with':
        params.push(scalar(), scalar());
        return `substr(${column}, length(${column}) - length(?) + 1) = ?`;
      case '$contains':
        params.push(scalar());
        return `instr(${column}, ?) > 0`;
      case '$not_contain':
        params.push(scalar());
        return `(${column} IS NULL OR instr(${column}, ?) = 0)`;
      default:
        throw new TypeError(`unknown operator ${JSON.stringify(operator)}`);
    }
  },

  inList(column: string, placeholder: string): string {
    return `${column} IN (SELECT value FROM json_each(${placeholder}))`;
  },

  listParameter(values: readonly string[]): SqlValue {
    return JSON.stringify(values);
  },
};
