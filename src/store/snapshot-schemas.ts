/**
 * The JSON Schemas of a snapshot's records (`GET/PUT /__mock/state`), derived from
 * the table declarations (src/store/record-tables.ts): one property per column,
 * all required, nothing else allowed, plus the table's snapshot extras. Bounds
 * shared with the fixture-file format (a code, a code config) are that format's
 * own `$defs`, passed in, so neither restates them.
 */
import type { JsonSchema } from '../spec/spec-document';
import type { SharedDefinition } from './columns';
import type { TableDeclaration } from './record-tables';

export function makeSnapshotRecordSchema(
  table: TableDeclaration,
  shared: Readonly<Record<SharedDefinition, JsonSchema>>,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, column] of Object.entries(table.columns)) {
    properties[name] = column.shared === undefined ? column.schema : shared[column.shared];
  }
  Object.assign(properties, table.snapshotExtras?.properties);
  const optional = table.snapshotExtras?.optional ?? [];
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    properties,
  };
}
