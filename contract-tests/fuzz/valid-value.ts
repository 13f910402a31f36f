/**
 * fast-check arbitraries of values a JSON Schema of the spec accepts, read
 * from the schema itself (schema-node.ts): types, enums, consts, lengths,
 * formats, patterns, bounds, required and optional properties, open and closed
 * objects, `oneOf`/`anyOf`. Two media: `json` (a request body) and `query`
 * (a query string, deepObject style: every leaf is text, nothing is null,
 * an empty object is the parameter left out).
 *
 * The fields that name something on the target (a customer, a campaign, a
 * voucher, a source_id) take the target's values instead of random text, so
 * a valid request can also succeed (`valuesAt`, see target-values.ts).
 */
import fc from 'fast-check';
import type { JsonSchema, OpenApiDocument } from '../../src/spec/spec-document';
import { loadSpec } from '../../src/spec/spec-document';
import {
  type JsonType,
  type SchemaNode,
  alternativeTypes,
  chooseBranch,
  readSchema,
  requiredAlternatives,
} from './schema-node';

export type Medium = 'json' | 'query';

export interface GenerationContext {
  medium: Medium;
  /**
   * The values to use at this pointer (e.g. `/customer/source_id`) instead of
   * the schema's random text, given that text's arbitrary; undefined to keep it.
   */
  valuesAt?(pointer: string, random: fc.Arbitrary<string>): fc.Arbitrary<string> | undefined;
  /** Optional properties to leave out most of the time (e.g. a voucher code, which publishes once). */
  rarely?(pointer: string): boolean;
  doc?: OpenApiDocument;
}

/** Stands for a property left out, so an optional property can be absent more often than fc.record makes it. */
const ABSENT: unique symbol = Symbol('absent');

/**
 * How an object is built: a property forced to a value, properties left out, one more property, or none of the open
 * object's extras.
 */
export interface ObjectShape {
  force?: { name: string; value: fc.Arbitrary<unknown> };
  omit?: readonly string[];
  extra?: fc.Arbitrary<[string, unknown]>;
  noExtras?: boolean;
}

const INT_RANGE = 2 ** 31 - 1;
/** Short values keep URLs and reports readable; the bounds still come from the schema. */
const TEXT_LENGTH = 12;
const MAX_QUERY_ITEMS = 3;
/**
 * Documented properties one object of a query holds at most besides its required ones (filters has ten fields of ten
 * operators: all of them would not fit a URL).
 */
const MAX_QUERY_OPTIONALS = 3;
const MAX_EXTRA_PROPERTIES = 2;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** Text of these characters (fc.stringMatching costs milliseconds to build; this, nothing). */
export function textOf(alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
}

/** A word of lower-case letters: never a number, a boolean or, in a query, anything a server coerces. */
export const word: fc.Arbitrary<string> = textOf(LOWER, 1, 6);

const NAME = fc
  .tuple(fc.constantFrom(...LOWER), textOf(`${LOWER}0123456789_`, 0, 7))
  .map(([first, rest]) => `${first}${rest}`);

/** A name for a property a schema does not list: lower case, as the spec's own names. */
export const propertyName = (taken: Record<string, unknown>, prefix = ''): fc.Arbitrary<string> =>
  NAME.map((name) => `${prefix}${name}`).filter((name) => !(name in taken));

/** Any text, mostly printable ASCII (easy to read once shrunk), sometimes any Unicode grapheme. */
export function text(minLength = 0, maxLength = Math.max(minLength, 0) + TEXT_LENGTH): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength, maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength }) },
  );
}

export function validValue(
  schema: JsonSchema,
  ctx: GenerationContext,
  pointer = '',
  shape: ObjectShape = {},
): fc.Arbitrary<unknown> {
  return nodeValue(readSchema(schema, ctx.doc ?? loadSpec()), ctx, pointer, shape);
}

/** A value as the medium carries it: in a query every leaf is text, and null cannot be said. */
function expressible(value: unknown, medium: Medium): boolean {
  if (medium === 'json') return true;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function inMedium(value: unknown, medium: Medium): unknown {
  return medium === 'query' && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : value;
}

export function nodeValue(
  node: SchemaNode,
  ctx: GenerationContext,
  pointer: string,
  shape: ObjectShape = {},
): fc.Arbitrary<unknown> {
  if (node.const) return fc.constant(inMedium(node.const.value, ctx.medium));
  if (node.enum) {
    const values = node.enum.filter((v) => expressible(v, ctx.medium));
    if (!values.length) throw new Error(`no value of the enum at ${pointer || '/'} can be sent in a ${ctx.medium}`);
    return fc.constantFrom(...values.map((v) => inMedium(v, ctx.medium)));
  }
  if (node.branches && !requiredAlternatives(node)) {
    const doc = ctx.doc ?? loadSpec();
    const branches = node.branches.schemas
      .map((_, i) => chooseBranch(node, i, doc))
      .filter((branch) => typesIn(branch, ctx.medium).length > 0)
      .map((branch) => nodeValue(branch, ctx, pointer, shape));
    return fc.oneof(...branches);
  }
  const types = typesIn(node, ctx.medium);
  if (!types.length) throw new Error(`no type of the schema at ${pointer || '/'} can be sent in a ${ctx.medium}`);
  return fc.oneof(...types.map((type) => typedValue(node, type, ctx, pointer, shape)));
}

/** The types a value may take in the medium; a schema that says nothing allows every type. */
function typesIn(node: SchemaNode, medium: Medium): JsonType[] {
  const all: JsonType[] = node.types ?? ['string', 'integer', 'boolean', 'null', 'object', 'array'];
  return medium === 'query' ? all.filter((t) => t !== 'null') : all;
}

function typedValue(
  node: SchemaNode,
  type: JsonType,
  ctx: GenerationContext,
  pointer: string,
  shape: ObjectShape,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringValue(node, ctx, pointer);
    case 'integer':
      return integerValue(node).map((n) => inMedium(n, ctx.medium));
    case 'number':
      return numberValue(node).map((n) => inMedium(n, ctx.medium));
    case 'boolean':
      return fc.boolean().map((b) => inMedium(b, ctx.medium));
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayValue(node, ctx, pointer);
    default:
      return objectValue(node, ctx, pointer, shape);
  }
}

function stringValue(node: SchemaNode, ctx: GenerationContext, pointer: string): fc.Arbitrary<string> {
  const random = randomString(node);
  return ctx.valuesAt?.(pointer, random) ?? random;
}

function randomString(node: SchemaNode): fc.Arbitrary<string> {
  if (node.pattern !== undefined) return fc.stringMatching(new RegExp(node.pattern));
  switch (node.format) {
    case 'date':
      return fc
        .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress();
    default: {
      const min = node.minLength ?? 0;
      return text(min, node.maxLength ?? min + TEXT_LENGTH);
    }
  }
}

export function integerBounds(node: SchemaNode): { min: number; max: number } {
  let min = node.minimum ?? -INT_RANGE;
  let max = node.maximum ?? INT_RANGE;
  if (node.exclusiveMinimum !== undefined) min = Math.max(min, Math.floor(node.exclusiveMinimum) + 1);
  if (node.exclusiveMaximum !== undefined) max = Math.min(max, Math.ceil(node.exclusiveMaximum) - 1);
  return { min: Math.ceil(min), max: Math.floor(max) };
}

/**
 * Within the bounds; a side the schema leaves open is reached one time in four, the rest stays near the closed bound
 * (a page number, mostly a page that can exist).
 */
function integerValue(node: SchemaNode): fc.Arbitrary<number> {
  const { min, max } = integerBounds(node);
  const openAbove = node.maximum === undefined && node.exclusiveMaximum === undefined;
  const openBelow = node.minimum === undefined && node.exclusiveMinimum === undefined;
  if (openAbove === openBelow) return fc.integer({ min, max });
  const near = openAbove ? { min, max: Math.min(max, min + 20) } : { min: Math.max(min, max - 20), max };
  return fc.oneof({ weight: 3, arbitrary: fc.integer(near) }, { weight: 1, arbitrary: fc.integer({ min, max }) });
}

function numberValue(node: SchemaNode): fc.Arbitrary<number> {
  return fc.double({
    min: node.minimum ?? node.exclusiveMinimum ?? -1e9,
    max: node.maximum ?? node.exclusiveMaximum ?? 1e9,
    minExcluded: node.minimum === undefined && node.exclusiveMinimum !== undefined,
    maxExcluded: node.maximum === undefined && node.exclusiveMaximum !== undefined,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

function arrayValue(node: SchemaNode, ctx: GenerationContext, pointer: string): fc.Arbitrary<unknown[]> {
  const items = node.items ? validValue(node.items, ctx, `${pointer}/0`) : anyLeaf(ctx.medium);
  const minLength = node.minItems ?? 0;
  const cap = ctx.medium === 'query' ? MAX_QUERY_ITEMS : 8;
  return fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(node.maxItems ?? cap, cap)) });
}

/** The required properties and the first few optional ones; shrinking, which drops properties, lets later ones in. */
function keepFewOptionals(object: Record<string, unknown>, required: Set<string>): Record<string, unknown> {
  let optionals = 0;
  return Object.fromEntries(
    Object.entries(object).filter(([name]) => required.has(name) || ++optionals <= MAX_QUERY_OPTIONALS),
  );
}

/** A value of an open object's undocumented property: anything simple the medium can carry. */
export function anyLeaf(medium: Medium): fc.Arbitrary<unknown> {
  if (medium === 'query') return text(0, 8);
  return fc.oneof(text(0, 8), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));
}

export function objectValue(
  node: SchemaNode,
  ctx: GenerationContext,
  pointer: string,
  shape: ObjectShape = {},
): fc.Arbitrary<Record<string, unknown>> {
  const omit = new Set(shape.omit ?? []);
  // "id or source_id": one alternative's property is required too, unless the shape leaves them all out.
  // A forced property (a breach's place) cannot be the one that satisfies "id or source_id": another alternative must.
  const forced = shape.force?.name;
  const usable = requiredAlternatives(node)?.filter((names) => names.every((name) => !omit.has(name)));
  const others = usable?.filter((names) => forced === undefined || !names.includes(forced));
  const alternatives = others?.length ? others : usable;
  const requiredSets = alternatives?.length
    ? alternatives.map((names) => [...node.required, ...names])
    : [node.required];
  return fc.oneof(
    ...requiredSets.map((required) =>
      objectWith(node, new Set(required.filter((name) => !omit.has(name))), ctx, pointer, shape, omit),
    ),
  );
}

function objectWith(
  node: SchemaNode,
  required: Set<string>,
  ctx: GenerationContext,
  pointer: string,
  shape: ObjectShape,
  omit: Set<string>,
): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const names = [...new Set([...Object.keys(node.properties), ...required])].filter(
    (name) => !omit.has(name) && name !== shape.force?.name,
  );
  const rare = new Set<string>();
  // A required alternative ("id or source_id") takes the type its branch gives it: a `null` would name no one.
  const narrowed = alternativeTypes(node);
  for (const name of names) {
    const documented = node.properties[name];
    const branchType = required.has(name) ? narrowed[name] : undefined;
    const property = documented && branchType !== undefined ? { ...documented, type: branchType } : documented;
    model[name] = property ? validValue(property, ctx, `${pointer}/${name}`) : anyLeaf(ctx.medium);
    if (!required.has(name) && ctx.rarely?.(`${pointer}/${name}`)) {
      rare.add(name);
      // Present one time in five; shrinks to absent.
      model[name] = fc.oneof(
        { withCrossShrink: true },
        { weight: 4, arbitrary: fc.constant(ABSENT) },
        { weight: 1, arbitrary: model[name] },
      );
    }
  }
  let value: fc.Arbitrary<Record<string, unknown>> = fc.record(model, {
    requiredKeys: names.filter((name) => required.has(name) || rare.has(name)),
    noNullPrototype: true,
  });
  if (rare.size)
    value = value.map((object) => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== ABSENT)));
  if (ctx.medium === 'query' && pointer !== '') value = value.map((object) => keepFewOptionals(object, required));
  const force = shape.force;
  if (force) value = fc.tuple(value, force.value).map(([object, forced]) => ({ ...object, [force.name]: forced }));
  const open = node.additionalProperties !== false;
  if (open && !shape.noExtras) {
    const extraValue =
      typeof node.additionalProperties === 'object'
        ? validValue(node.additionalProperties, ctx, `${pointer}/*`)
        : anyLeaf(ctx.medium);
    const taken = { ...node.properties, ...Object.fromEntries([...omit].map((name) => [name, true])) };
    // An open object with nothing documented (metadata) holds a few entries; others now and then one undocumented
    // property, accepted and ignored.
    const maxKeys = Object.keys(node.properties).length ? MAX_EXTRA_PROPERTIES : 3;
    const extras = fc.dictionary(propertyName(taken), extraValue, { maxKeys, noNullPrototype: true });
    value = fc.tuple(value, extras).map(([object, more]) => ({ ...more, ...object }));
  }
  const extra = shape.extra;
  if (extra) value = fc.tuple(value, extra).map(([object, [name, added]]) => ({ ...object, [name]: added }));
  return value;
}
