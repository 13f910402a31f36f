/**
 * A JSON Schema of the spec as the generators read it: `$ref`s followed,
 * `allOf` merged, and the keywords they act on picked out and typed. The
 * generators of valid values (valid-value.ts) and of broken ones
 * (schema-breaches.ts) both start here, so they read the same constraints.
 */
import { type JsonSchema, type OpenApiDocument, loadSpec, resolveRef } from '../../src/spec/spec-document';

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export const JSON_TYPES: readonly JsonType[] = ['string', 'integer', 'number', 'boolean', 'null', 'object', 'array'];

export interface SchemaNode {
  /** The types the schema allows; undefined when it does not say (any type). */
  types?: JsonType[];
  enum?: unknown[];
  /** Wrapped, since the constant may itself be `undefined`-like (null, false). */
  const?: { value: unknown };
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties: Record<string, JsonSchema>;
  required: string[];
  /** `false`: closed; `true` or undefined: open; a schema: open, with values of that schema. */
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  /** Alternatives, `oneOf` or `anyOf`: a valid value matches (exactly) one. */
  branches?: { keyword: 'oneOf' | 'anyOf'; schemas: JsonSchema[] };
}

/** Follows `$ref` (its sibling keywords, e.g. a description, kept on top) and merges `allOf`. */
export function readSchema(schema: JsonSchema, doc: OpenApiDocument = loadSpec()): SchemaNode {
  return toNode(flatten(schema, doc), doc);
}

function flatten(schema: JsonSchema, doc: OpenApiDocument): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string'; hops++) {
    if (hops > 10) throw new Error(`reference chain too long at ${String(current.$ref)}`);
    const { $ref, ...siblings } = current;
    current = { ...resolveRef<JsonSchema>(doc, { $ref: $ref }), ...siblings };
  }
  if (!Array.isArray(current.allOf)) return current;
  const { allOf, ...rest } = current;
  return (allOf as JsonSchema[]).map((part) => flatten(part, doc)).reduce(mergeSchemas, rest);
}

/** Two schemas a value must both match, as one (enough for the spec's request schemas). */
function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...a, ...b };
  if (a.properties || b.properties) out.properties = { ...(a.properties as object), ...(b.properties as object) };
  if (a.required || b.required)
    out.required = [...new Set([...((a.required as string[]) ?? []), ...((b.required as string[]) ?? [])])];
  if (a.type !== undefined && b.type !== undefined) {
    const types = toTypes(a.type)?.filter((t) => toTypes(b.type)?.includes(t));
    out.type = types;
  }
  if (a.additionalProperties === false || b.additionalProperties === false) out.additionalProperties = false;
  return out;
}

function toTypes(type: unknown): JsonType[] | undefined {
  if (type === undefined) return undefined;
  const list = Array.isArray(type) ? type : [type];
  return list.filter((t): t is JsonType => (JSON_TYPES as readonly unknown[]).includes(t));
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function toNode(schema: JsonSchema, doc: OpenApiDocument): SchemaNode {
  const node: SchemaNode = {
    properties: (schema.properties as Record<string, JsonSchema> | undefined) ?? {},
    required: (schema.required as string[] | undefined) ?? [],
  };
  const types = toTypes(schema.type);
  if (types) node.types = types;
  if (Array.isArray(schema.enum)) node.enum = schema.enum;
  if ('const' in schema) node.const = { value: schema.const };
  for (const key of [
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minItems',
    'maxItems',
  ] as const) {
    const value = numberOf(schema[key]);
    if (value !== undefined) node[key] = value;
  }
  if (typeof schema.pattern === 'string') node.pattern = schema.pattern;
  if (typeof schema.format === 'string') node.format = schema.format;
  if (schema.additionalProperties !== undefined)
    node.additionalProperties = schema.additionalProperties as boolean | JsonSchema;
  if (schema.items !== undefined) node.items = schema.items as JsonSchema;
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[keyword])) node.branches = { keyword, schemas: schema[keyword] as JsonSchema[] };
  }
  // Without a type of its own, a value has one of its branches' types.
  if (!node.types && node.branches) {
    const branchTypes = node.branches.schemas.map((branch) => readSchema(branch, doc).types);
    if (branchTypes.every((t): t is JsonType[] => t !== undefined)) node.types = [...new Set(branchTypes.flat())];
  }
  // Properties imply an object, as the spec's request schemas mean them.
  if (!node.types && Object.keys(node.properties).length) node.types = ['object'];
  return node;
}

/**
 * Branches that only require a property each, as in "`id` or `source_id`"
 * (CustomerInput): the property lists, or undefined when the branches say more.
 */
export function requiredAlternatives(node: SchemaNode): string[][] | undefined {
  if (!node.branches) return undefined;
  const lists: string[][] = [];
  for (const branch of node.branches.schemas) {
    const required = branch.required;
    // A branch may also type its property (CustomerInput's: a `null` id is no id).
    if (
      !Array.isArray(required) ||
      Object.keys(branch).some((key) => key !== 'required' && key !== 'type' && key !== 'properties')
    )
      return undefined;
    lists.push(required as string[]);
  }
  return lists;
}

/** What the "id or source_id" branches say of their property's type, by property name (e.g. not `null`). */
export function alternativeTypes(node: SchemaNode): Record<string, JsonSchema['type']> {
  const out: Record<string, JsonSchema['type']> = {};
  for (const branch of node.branches?.schemas ?? []) {
    for (const [name, property] of Object.entries((branch.properties ?? {}) as Record<string, JsonSchema>)) {
      if (property.type !== undefined) out[name] = property.type;
    }
  }
  return out;
}

/** The node with its alternatives replaced by one of them, merged in. */
export function chooseBranch(node: SchemaNode, index: number, doc: OpenApiDocument = loadSpec()): SchemaNode {
  const branch = node.branches?.schemas[index];
  if (!branch) throw new Error(`no branch ${index}`);
  const chosen = readSchema(branch, doc);
  const { branches: _dropped, ...rest } = node;
  return {
    ...rest,
    ...definedOnly(chosen),
    types: chosen.types ?? node.types,
    properties: { ...node.properties, ...chosen.properties },
    required: [...new Set([...node.required, ...chosen.required])],
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Whether an object node refuses properties it does not list. */
export function isClosed(node: SchemaNode): boolean {
  return node.additionalProperties === false;
}
