/**
 * Compiles the spec's schemas with AJV (JSON Schema 2020-12, as OpenAPI 3.1
 * uses). Three flavours, as Prism keeps them apart: query strings are coerced
 * (they arrive as text), JSON bodies are not, and response checks collect every
 * error. A schema that fails to compile throws: never "no errors" by accident.
 */
import { existsSync } from 'node:fs';
import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020';
import { type JsonSchema, type OpenApiDocument, cacheFile, loadSpec, writeCacheFile } from './spec-document';

/** The id under which the spec's component schemas are registered. */
const SPEC_ID = 'urn:spec:publications';
const COMPONENT_REF = '#/components/schemas/';

export interface CompilerOptions {
  /** Coerce strings to the documented types and fill defaults (query strings). */
  coerce?: boolean;
  /** Report every error instead of stopping at the first. */
  allErrors?: boolean;
  /** Drop `additionalProperties: false` everywhere: the contract suite's explicit opt-out. */
  allowUnknownFields?: boolean;
  /**
   * Check the spec's schemas against the JSON Schema meta-schema first. Costs
   * ~300 ms (compiling the meta-schema), so the server skips it; the spec's
   * tests turn it on, so a malformed schema is still caught.
   */
  validateSchema?: boolean;
  /** Keep each validator's source, so `precompiledValidators` can write it out as a module. */
  keepSource?: boolean;
}

export type { ErrorObject, ValidateFunction };

/**
 * Deep copy of a schema with component references pointed at the registered spec, and strictness optionally relaxed.
 */
function rewrite(node: unknown, allowUnknownFields: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, allowUnknownFields));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF)) {
      out.$ref = `${SPEC_ID}#/$defs/${value.slice(COMPONENT_REF.length)}`;
    } else if (allowUnknownFields && key === 'additionalProperties' && value === false) {
      continue;
    } else {
      out[key] = rewrite(value, allowUnknownFields);
    }
  }
  return out;
}

function ajvOptions(options: CompilerOptions): Options {
  return {
    allErrors: options.allErrors ?? false,
    coerceTypes: options.coerce ? 'array' : false,
    useDefaults: options.coerce ?? false,
    verbose: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: true,
    strictRequired: false,
    validateSchema: options.validateSchema ?? false,
    code: { source: options.keepSource ?? false },
  };
}

/** Bumped if what a precompiled module holds ever changes meaning. */
const PRECOMPILED_FORMAT = 1;

/**
 * Validators for named schemas of the spec, compiled once per machine rather
 * than at every start: AJV's standalone code is cached as a module under
 * node_modules/.cache/ and loaded with require (a few ms instead of ~75 ms of
 * compiling at each start). The cache key covers everything the code depends
 * on: the spec's schemas, the ones asked for, the compiler's options, this
 * module's rewriting and the AJV version; a change of any is a new entry. A
 * damaged or missing entry is compiled again; failing to write one is fine.
 */
export function precompiledValidators(
  schemas: Record<string, JsonSchema>,
  options: CompilerOptions = {},
  doc: OpenApiDocument = loadSpec(),
): Record<string, ValidateFunction> {
  const key = JSON.stringify([
    PRECOMPILED_FORMAT,
    (require('ajv/package.json') as { version: string }).version,
    ajvOptions(options),
    rewrite.toString(),
    doc.components.schemas,
    schemas,
  ]);
  const file = cacheFile('validators', key, '.js');
  if (file !== undefined && existsSync(file)) {
    try {
      const cached = require(file) as Record<string, ValidateFunction>;
      if (Object.keys(schemas).every((name) => typeof cached[name] === 'function')) return cached;
    } catch {
      // Compiled again below.
    }
  }
  const { code, validators } = new SchemaCompiler(doc, { ...options, keepSource: true }).compileModule(schemas);
  writeCacheFile(file, code);
  return validators;
}

export class SchemaCompiler {
  private readonly ajv: Ajv2020;
  private readonly cache = new WeakMap<object, ValidateFunction>();
  private readonly allowUnknownFields: boolean;

  constructor(doc: OpenApiDocument = loadSpec(), options: CompilerOptions = {}) {
    this.allowUnknownFields = options.allowUnknownFields ?? false;
    // AJV is loaded when a compiler is first built, not at start: precompiled validators need only its small runtime
    // (~45 ms saved).
    const { default: Ajv } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
    const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
    this.ajv = new Ajv(ajvOptions(options));
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SPEC_ID, $defs: rewrite(doc.components.schemas, this.allowUnknownFields) as JsonSchema });
  }

  /**
   * Validators for named schemas of the spec, as one CommonJS module of
   * standalone code (what `precompiledValidators` caches) and as functions.
   */
  compileModule(schemas: Record<string, JsonSchema>): { code: string; validators: Record<string, ValidateFunction> } {
    const refs: Record<string, string> = {};
    const validators: Record<string, ValidateFunction> = {};
    for (const [name, schema] of Object.entries(schemas)) {
      refs[name] = `urn:precompiled:${name}`;
      this.ajv.addSchema(rewrite(schema, this.allowUnknownFields) as JsonSchema, refs[name]);
      const validate = this.ajv.getSchema(refs[name]);
      if (!validate) throw new Error(`precompiling ${name}: AJV has no validator for it`);
      validators[name] = validate;
    }
    return {
      code: (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default(this.ajv, refs),
      validators,
    };
  }

  /** A validator for a schema taken from the spec (inline or a component reference). Cached per schema object. */
  compile(schema: JsonSchema): ValidateFunction {
    const hit = this.cache.get(schema);
    if (hit) return hit;
    const validate = this.ajv.compile(rewrite(schema, this.allowUnknownFields) as JsonSchema);
    this.cache.set(schema, validate);
    return validate;
  }

  /** A validator for a named component schema, e.g. `Voucher`. */
  component(name: string): ValidateFunction {
    const validate = this.ajv.getSchema(`${SPEC_ID}#/$defs/${name}`);
    if (!validate) throw new Error(`No schema named ${name} in spec components`);
    return validate;
  }
}
