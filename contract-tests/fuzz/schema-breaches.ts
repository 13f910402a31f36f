/**
 * The ways a request can break its schema, one constraint at a time, derived
 * by walking the schema: a wrong type, a missing required property (or none of
 * "id or source_id"), a number out of range, a string too short or too long,
 * a value outside an enum or unlike a const, a malformed format or pattern,
 * an undocumented property where the object is closed (only `filters` in this
 * spec: request objects are open). Nothing here lists fields by hand.
 *
 * A breach is a path into the value (properties, a chosen `oneOf` branch, an
 * array item) and a generator of the broken value at its end; everything
 * around it is generated valid (valid-value.ts), so the request breaks exactly
 * that one constraint, and shrinks to the smallest request that does.
 *
 * In a query string every value is text, which narrows what can be said: a
 * string has no wrong type there, an array takes a single value (coerced), and
 * a whole deepObject parameter sent as plain text reads as another parameter;
 * those breaches are not derived for the query.
 */
import fc from 'fast-check';
import type { JsonSchema, OpenApiDocument } from '../../src/spec/spec-document';
import { loadSpec } from '../../src/spec/spec-document';
import {
  type JsonType,
  type SchemaNode,
  chooseBranch,
  isClosed,
  readSchema,
  requiredAlternatives,
} from './schema-node';
import {
  type GenerationContext,
  type Medium,
  type ObjectShape,
  integerBounds,
  objectValue,
  propertyName,
  text,
  textOf,
  validValue,
  word,
} from './valid-value';

export type Step = { kind: 'property'; name: string } | { kind: 'branch'; index: number } | { kind: 'item' };

export interface Breach {
  path: readonly Step[];
  /** The JSON Schema keyword the broken value breaks. */
  keyword: string;
  /** What is broken, for reports: `above the maximum 100`. */
  description: string;
  /** The broken value, given the schema node at the end of the path, its pointer, and how an object there is built. */
  make(node: SchemaNode, ctx: GenerationContext, pointer: string, shape: ObjectShape): fc.Arbitrary<unknown>;
}

/**
 * Every breach of the schema. `root` says what the value is: the object of a
 * request's query parameters (its own type and openness mean nothing, unknown
 * parameters are ignored), or a request body.
 */
export function deriveBreaches(
  schema: JsonSchema,
  medium: Medium,
  root: 'query' | 'body',
  doc: OpenApiDocument = loadSpec(),
): Breach[] {
  const node = readSchema(schema, doc);
  if (root === 'body') return walk(node, { medium, doc }, [], 0);
  // The query's parameters: each a value at depth 0; a missing required parameter is the only breach of the whole.
  const out: Breach[] = node.required.map((name) => missingProperty(name));
  for (const [name, property] of Object.entries(node.properties))
    out.push(...walk(readSchema(property, doc), { medium, doc }, [{ kind: 'property', name }], 0));
  return out;
}

interface WalkContext {
  medium: Medium;
  doc: OpenApiDocument;
}

function walk(
  node: SchemaNode,
  ctx: WalkContext,
  path: Step[],
  depth: number,
  options: { skipType?: boolean } = {},
): Breach[] {
  const out: Breach[] = [];
  const types = node.types;
  const alternatives = requiredAlternatives(node);
  if (types && !options.skipType) {
    const wrong = wrongTypeValue(types, ctx.medium, depth);
    if (wrong) out.push({ path, keyword: 'type', description: `not of type ${types.join(' or ')}`, make: () => wrong });
  }
  if (node.enum) {
    out.push({
      path,
      keyword: 'enum',
      description: `outside the enum (${listed(node.enum)})`,
      make: () => outsideEnum(node.enum ?? [], ctx.medium),
    });
  } else if (node.const) {
    const value = node.const.value;
    out.push({
      path,
      keyword: 'const',
      description: `not the constant ${JSON.stringify(value)}`,
      make: () => fc.constant(typeof value === 'string' ? `${value}x` : 'x'),
    });
  } else {
    if (types?.includes('string')) out.push(...stringBreaches(node, path));
    if (types?.includes('integer') || types?.includes('number'))
      out.push(...rangeBreaches(node, path, ctx.medium, types));
  }
  if (types?.includes('object')) {
    for (const name of node.required) out.push(missingProperty(name, path));
    if (alternatives) {
      const names = [...new Set(alternatives.flat())];
      out.push({
        path,
        keyword: node.branches?.keyword ?? 'anyOf',
        description: `none of ${names.join(', ')} (one of them is required)`,
        make: (at, gen, pointer, shape) => objectValue(at, gen, pointer, { ...shape, omit: names }),
      });
    }
    if (isClosed(node)) {
      const prefix = commonPrefix(Object.keys(node.properties));
      out.push({
        path,
        keyword: 'additionalProperties',
        description: `an undocumented property (the object is closed: ${listed(Object.keys(node.properties))})`,
        make: (at, gen, pointer, shape) =>
          objectValue(at, gen, pointer, {
            ...shape,
            extra: fc.tuple(propertyName(at.properties, prefix), unknownValue(gen.medium)),
          }),
      });
    }
    for (const [name, property] of Object.entries(node.properties)) {
      out.push(...walk(readSchema(property, ctx.doc), ctx, [...path, { kind: 'property', name }], depth + 1));
    }
  }
  if (node.branches && !alternatives) {
    node.branches.schemas.forEach((_, index) => {
      // The branch's own type is broken by the whole value's wrong type above; another branch may take it.
      out.push(
        ...walk(chooseBranch(node, index, ctx.doc), ctx, [...path, { kind: 'branch', index }], depth, {
          skipType: true,
        }),
      );
    });
  }
  if (types?.includes('array')) out.push(...arrayBreaches(node, ctx, path, depth));
  return out;
}

/** A list for a one-line description: short ones in full, long ones by their first values. */
function listed(values: readonly unknown[]): string {
  const shown = values.slice(0, 4).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return values.length > 4 ? `${shown.join(', ')}, … ${values.length} in all` : shown.join(', ');
}

function missingProperty(name: string, path: Step[] = []): Breach {
  return {
    path,
    keyword: 'required',
    description: `without the required ${name}`,
    make: (at, gen, pointer, shape) => objectValue(at, gen, pointer, { ...shape, omit: [name] }),
  };
}

/**
 * A value of none of the allowed types, or undefined when the medium cannot say
 * one: in a query, only a number, a boolean, or an object inside a deepObject
 * parameter can be given a text that is not one.
 */
function wrongTypeValue(types: JsonType[], medium: Medium, depth: number): fc.Arbitrary<unknown> | undefined {
  const allows = (t: JsonType): boolean => types.includes(t) || (t === 'integer' && types.includes('number'));
  if (medium === 'query') {
    if (types.includes('string') || types.includes('array')) return undefined;
    if (types.includes('object') && depth === 0) return undefined;
    // "1.5" is a number but no integer; a word is neither, nor a boolean.
    return types.includes('integer') && !types.includes('number')
      ? fc.oneof(
          word,
          fc.integer({ min: -100, max: 100 }).map((n) => `${n}.5`),
        )
      : word;
  }
  const candidates: Array<[JsonType, fc.Arbitrary<unknown>]> = [
    ['string', text(0, 6)],
    ['integer', fc.integer({ min: -1000, max: 1000 })],
    ['number', fc.integer({ min: -1000, max: 1000 }).map((n) => n + 0.5)],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['object', fc.constant({})],
    ['array', fc.array(text(0, 4), { maxLength: 2 })],
  ];
  const wrong = candidates.filter(
    ([type]) => !allows(type) && !(type === 'number' && types.includes('integer') && types.includes('number')),
  );
  return wrong.length ? fc.oneof(...wrong.map(([, arbitrary]) => arbitrary)) : undefined;
}

/** Near misses of the enum's values (another case, a letter more), never one of them. */
function outsideEnum(values: readonly unknown[], medium: Medium): fc.Arbitrary<unknown> {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const taken = new Set(values.map((v) => (medium === 'query' ? String(v) : JSON.stringify(v))));
  const isOutside = (v: unknown): boolean => !taken.has(medium === 'query' ? String(v) : JSON.stringify(v));
  if (!strings.length)
    return fc
      .oneof(
        word,
        fc.integer({ min: -1000, max: 1000 }).map((n) => (medium === 'query' ? String(n) : n)),
      )
      .filter(isOutside);
  return fc
    .tuple(fc.constantFrom(...strings), fc.constantFrom('upper', 'suffix', 'lower', 'prefix'))
    .map(([value, how]) =>
      how === 'upper'
        ? value.toUpperCase()
        : how === 'lower'
          ? value.toLowerCase()
          : how === 'suffix'
            ? `${value}x`
            : `x${value}`,
    )
    .filter(isOutside);
}

const MALFORMED: Record<string, readonly string[]> = {
  date: ['2022-13-01', '2022-02-30', '22-01-01', 'yesterday', '2022-01-01T00:00:00Z'],
  'date-time': ['2022-13-01T00:00:00Z', '2022-01-01 00:00:00', 'now', '2022-01-01'],
  email: ['not an address', 'a@', '@b'],
};

function stringBreaches(node: SchemaNode, path: Step[]): Breach[] {
  const out: Breach[] = [];
  if (node.minLength !== undefined && node.minLength > 0) {
    const min = node.minLength;
    out.push({
      path,
      keyword: 'minLength',
      description: `shorter than ${min} character${min === 1 ? '' : 's'}`,
      make: () => (min === 1 ? fc.constant('') : fc.string({ maxLength: min - 1 })),
    });
  }
  if (node.maxLength !== undefined) {
    const max = node.maxLength;
    out.push({
      path,
      keyword: 'maxLength',
      description: `longer than ${max} characters`,
      make: () => fc.string({ unit: 'grapheme-ascii', minLength: max + 1, maxLength: max + 8 }),
    });
  }
  if (node.pattern !== undefined) {
    const pattern = new RegExp(node.pattern);
    out.push({
      path,
      keyword: 'pattern',
      description: `not matching ${node.pattern}`,
      make: () => text(0, 8).filter((s) => !pattern.test(s)),
    });
  } else if (node.format !== undefined && MALFORMED[node.format]) {
    const values = MALFORMED[node.format] ?? [];
    out.push({ path, keyword: 'format', description: `not a ${node.format}`, make: () => fc.constantFrom(...values) });
  }
  return out;
}

function rangeBreaches(node: SchemaNode, path: Step[], medium: Medium, types: JsonType[]): Breach[] {
  const out: Breach[] = [];
  const integer = !types.includes('number');
  const say = (n: number): unknown => (medium === 'query' ? String(n) : n);
  const { min, max } = integerBounds(node);
  const low = node.minimum ?? node.exclusiveMinimum;
  const high = node.maximum ?? node.exclusiveMaximum;
  if (low !== undefined) {
    const description =
      node.minimum !== undefined ? `below the minimum ${low}` : `not above the exclusive minimum ${low}`;
    // Shrinks to the nearest value out of range.
    const value = integer
      ? fc.integer({ min: min - 1000, max: min - 1 })
      : fc.double({ min: low - 1000, max: low, maxExcluded: node.minimum !== undefined, noNaN: true });
    out.push({
      path,
      keyword: node.minimum !== undefined ? 'minimum' : 'exclusiveMinimum',
      description,
      make: () => value.map(say),
    });
  }
  if (high !== undefined) {
    const description =
      node.maximum !== undefined ? `above the maximum ${high}` : `not below the exclusive maximum ${high}`;
    const value = integer
      ? fc.integer({ min: max + 1, max: max + 1000 })
      : fc.double({ min: high, max: high + 1000, minExcluded: node.maximum !== undefined, noNaN: true });
    out.push({
      path,
      keyword: node.maximum !== undefined ? 'maximum' : 'exclusiveMaximum',
      description,
      make: () => value.map(say),
    });
  }
  return out;
}

function arrayBreaches(node: SchemaNode, ctx: WalkContext, path: Step[], depth: number): Breach[] {
  const out: Breach[] = [];
  // In a query, one item reads as a scalar and is coerced: only an array body's items can break their own schema.
  if (node.items && ctx.medium === 'json')
    out.push(...walk(readSchema(node.items, ctx.doc), ctx, [...path, { kind: 'item' }], depth + 1));
  if (node.minItems !== undefined && node.minItems > 0) {
    const min = node.minItems;
    out.push({
      path,
      keyword: 'minItems',
      description: `fewer than ${min} items`,
      make: (at, gen, pointer) => fc.array(itemValue(at, gen, pointer), { maxLength: min - 1 }),
    });
  }
  if (node.maxItems !== undefined) {
    const max = node.maxItems;
    out.push({
      path,
      keyword: 'maxItems',
      description: `more than ${max} items`,
      make: (at, gen, pointer) => fc.array(itemValue(at, gen, pointer), { minLength: max + 1, maxLength: max + 2 }),
    });
  }
  return out;
}

function itemValue(node: SchemaNode, ctx: GenerationContext, pointer: string): fc.Arbitrary<unknown> {
  return node.items ? validValue(node.items, ctx, `${pointer}/0`) : text(0, 4);
}

const UNKNOWN_TEXT = textOf('abcdefghijklmnopqrstuvwxyz0123456789', 1, 6);

function unknownValue(medium: Medium): fc.Arbitrary<unknown> {
  return medium === 'query' ? UNKNOWN_TEXT : fc.oneof(UNKNOWN_TEXT, fc.integer({ min: 0, max: 100 }));
}

/** `$` when every documented name starts with it (filter operators), so an unknown one looks like its siblings. */
function commonPrefix(names: string[]): string {
  return names.length > 0 && names.every((n) => n.startsWith('$')) ? '$' : '';
}

/**
 * The value with the breach applied: valid everywhere but at the end of the
 * breach's path. `shape` applies to the root object (e.g. no undocumented
 * query parameters).
 */
export function brokenValue(
  schema: JsonSchema,
  breach: Breach,
  ctx: GenerationContext,
  rootShape: ObjectShape = {},
): fc.Arbitrary<unknown> {
  const doc = ctx.doc ?? loadSpec();
  const along = (
    node: SchemaNode,
    steps: readonly Step[],
    pointer: string,
    shape: ObjectShape,
  ): fc.Arbitrary<unknown> => {
    const [step, ...rest] = steps;
    if (!step) return breach.make(node, ctx, pointer, shape);
    if (step.kind === 'branch') return along(chooseBranch(node, step.index, doc), rest, pointer, shape);
    if (step.kind === 'item') {
      const item = node.items ? readSchema(node.items, doc) : readSchema({}, doc);
      return fc
        .tuple(along(item, rest, `${pointer}/0`, {}), fc.array(itemValue(node, ctx, pointer), { maxLength: 2 }))
        .map(([broken, others]) => [broken, ...others]);
    }
    const property = node.properties[step.name];
    const child = property ? readSchema(property, doc) : readSchema({}, doc);
    const forced = along(child, rest, `${pointer}/${step.name}`, {});
    return objectValue(node, ctx, pointer, { ...shape, force: { name: step.name, value: forced } });
  };
  return along(readSchema(schema, doc), breach.path, '', rootShape);
}

/** Where the breach is, for people: `customer.address.city`, `campaign (object).count`, `items[0]`. */
export function describePath(path: readonly Step[], medium: Medium): string {
  let out = '';
  for (const step of path) {
    if (step.kind === 'branch') continue;
    if (step.kind === 'item') out += '[0]';
    else if (medium === 'query') out += out ? `[${step.name}]` : step.name;
    else out += out ? `.${step.name}` : step.name;
  }
  return out;
}
