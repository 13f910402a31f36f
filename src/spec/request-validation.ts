/**
 * Validates requests against spec/: query strings with coercion (they arrive as
 * text), JSON bodies without. The validators of a spec's operations are made
 * on first use per loaded spec (load-api.ts), all together, from AJV standalone
 * code compiled once per machine and cached (schema-compiler.ts,
 * `precompiledValidators`); the compilers themselves are only built for
 * explaining a failed oneOf/anyOf. Failures become `invalid_query_params` /
 * `invalid_payload` with details in the API's own wording ("Query should have
 * required property 'customer'", explain-errors.ts `describeError`).
 */
import type { ErrorObject } from 'ajv/dist/2020';
import { ApiError } from '../domain/api-error';
import { describeError, dottedPath } from './explain-errors';
import { type Operation, querySchema } from './operations';
import { SchemaCompiler, type ValidateFunction, precompiledValidators } from './schema-compiler';
import type { JsonSchema, OpenApiDocument } from './spec-document';
import { withoutNulls } from '../domain/without-nulls';

type Scope = 'Query' | 'Payload';

function where(scope: Scope, pointer: string): string {
  return pointer ? `${scope} property '${dottedPath(pointer)}'` : scope;
}

function describe(scope: Scope, error: ErrorObject, compiler: () => SchemaCompiler): string {
  return describeError(scope, error, { wording: 'api', explainBranches: compiler });
}

/**
 * A body nested deeper than this is refused before anything walks it recursively (validation, storage, the answer's
 * JSON would overflow the stack).
 */
export const MAX_BODY_DEPTH = 64;

/**
 * The pointer of the first object or array nested `limit` levels deep, found without recursion (the value may be
 * nested 500,000 deep).
 */
function findTooDeep(value: unknown, limit: number): string | undefined {
  const stack: Array<{ node: unknown; pointer: string; depth: number }> = [{ node: value, pointer: '', depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { node, pointer, depth } = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return pointer;
    const keys = Object.keys(node);
    // Reversed onto the stack, so the first key is looked at first.
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({
        node: (node as Record<string, unknown>)[keys[i]!],
        pointer: `${pointer}/${keys[i]!}`,
        depth: depth + 1,
      });
    }
  }
  return undefined;
}

/**
 * A copy of a parsed query string (plain objects, arrays and strings, nested
 * at most as deep as the query parser allows), for validation to coerce and
 * fill in. Several times cheaper than structuredClone on this shape.
 */
function copyQuery(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyQuery);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyQuery((value as Record<string, unknown>)[key]);
    // An own "__proto__" stays a plain property: assigning it would set the copy's prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}

/**
 * JSON Schema's "integer" and "maximum" let Infinity through once "1e400" is
 * coerced (or parsed from JSON): no number the API takes is infinite.
 */
function findInfinite(value: unknown, pointer = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : pointer;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findInfinite(item, `${pointer}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The vendor's generated SDKs (its Python SDK) send a deepObject parameter as
 * JSON in one parameter (`customer={"source_id":"x"}`) instead of
 * `customer[source_id]=x`: such a value is read as the object it encodes.
 */
function readJsonObjects(query: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  let out = query;
  for (const name of names) {
    const value = query[name];
    if (typeof value !== 'string' || !value.trimStart().startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        if (out === query) out = { ...query };
        out[name] = parsed;
      }
    } catch {
      // Not JSON after all: validation names the parameter as not an object.
    }
  }
  return out;
}

export interface RequestValidator {
  /** The query, coerced and with defaults, or an `invalid_query_params` ApiError thrown. */
  query(query: unknown): Record<string, unknown>;
  /** The body as sent, or an `invalid_payload` ApiError thrown. */
  body(body: unknown): Record<string, unknown>;
}

/**
 * Compiles the validators of a spec's operations; each is made on first use and kept by this factory (one per loaded
 * spec).
 */
export function createRequestValidators(
  doc: OpenApiDocument,
  operations: ReadonlyMap<string, Operation>,
): (operation: Operation) => RequestValidator {
  let queryCompiler: SchemaCompiler | undefined;
  let bodyCompiler: SchemaCompiler | undefined;
  const compilers: Compilers = {
    query: (): SchemaCompiler => (queryCompiler ??= new SchemaCompiler(doc, { coerce: true })),
    body: (): SchemaCompiler => (bodyCompiler ??= new SchemaCompiler(doc)),
  };
  let precompiled: Precompiled | undefined;
  // The query and body validators of every operation of the spec, made together on first use (from the disk cache).
  const precompiledSet = (): Precompiled => {
    if (precompiled) return precompiled;
    const bodies: Record<string, JsonSchema> = {};
    for (const op of operations.values()) if (op.bodySchema) bodies[op.operationId] = op.bodySchema;
    precompiled = {
      query: precompiledValidators(
        Object.fromEntries([...operations.values()].map((op) => [op.operationId, querySchema(op)])),
        { coerce: true },
        doc,
      ),
      body: precompiledValidators(bodies, {}, doc),
    };
    return precompiled;
  };
  // Keyed by the operation object, which belongs to this spec: another spec's operation of the same id is another key.
  const validators = new Map<Operation, RequestValidator>();
  return function requestValidatorOf(operation) {
    let validator = validators.get(operation);
    if (!validator) {
      validator = compileRequestValidator(
        operation,
        operations.get(operation.operationId) === operation ? precompiledSet() : undefined,
        compilers,
      );
      validators.set(operation, validator);
    }
    return validator;
  };
}

type Precompiled = { query: Record<string, ValidateFunction>; body: Record<string, ValidateFunction> };
interface Compilers {
  query(): SchemaCompiler;
  body(): SchemaCompiler;
}

/**
 * The error that decided a failed validation: with allErrors off, a failed oneOf/anyOf comes after its branches'
 * errors.
 */
function decisive(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf') ?? errors[0]!;
}

function compileRequestValidator(
  operation: Operation,
  set: Precompiled | undefined,
  compilerFor: Compilers,
): RequestValidator {
  // An operation that is not the spec's own (a test's) is compiled here.
  const validateQuery: ValidateFunction =
    set?.query[operation.operationId] ?? compilerFor.query().compile(querySchema(operation));
  const validateBody: ValidateFunction | undefined = operation.bodySchema
    ? (set?.body[operation.operationId] ?? compilerFor.body().compile(operation.bodySchema))
    : undefined;

  const deepObjects = operation.parameters
    .filter((p) => p.in === 'query' && p.style === 'deepObject')
    .map((p) => p.name);

  return {
    query(query) {
      // Coercion and defaults write into the object: validate a copy, never the request's own.
      const copy = readJsonObjects(copyQuery(query ?? {}) as Record<string, unknown>, deepObjects);
      if (!validateQuery(copy)) {
        throw new ApiError(
          'invalid_query_params',
          describe('Query', decisive(validateQuery.errors!), compilerFor.query),
        );
      }
      const infinite = findInfinite(copy);
      if (infinite !== undefined)
        throw new ApiError('invalid_query_params', `${where('Query', infinite)} should be a finite number`);
      return withoutNulls(copy);
    },
    body(body) {
      if (!validateBody) return {};
      if (body === undefined)
        throw new ApiError('invalid_payload', 'Payload should be a JSON object (send Content-Type: application/json)');
      const tooDeep = findTooDeep(body, MAX_BODY_DEPTH);
      if (tooDeep !== undefined)
        throw new ApiError(
          'invalid_payload',
          `${where('Payload', tooDeep)} should not be nested more than ${MAX_BODY_DEPTH} levels deep`,
        );
      if (!validateBody(body)) {
        throw new ApiError('invalid_payload', describe('Payload', decisive(validateBody.errors!), compilerFor.body));
      }
      const infinite = findInfinite(body);
      if (infinite !== undefined)
        throw new ApiError('invalid_payload', `${where('Payload', infinite)} should be a finite number`);
      return withoutNulls(body as Record<string, unknown>);
    },
  };
}
