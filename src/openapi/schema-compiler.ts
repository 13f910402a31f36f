/**
 * Compiles the spec's schemas with AJV (JSON Schema 2020-12, as OpenAPI 3.1
 * uses). Three flavours, as Prism keeps them apart: query strings are coerced
 * (they arrive as text), JSON bodies are not, and response checks collect every
 * error. A schema that fails to compile throws: never "no errors" by accident.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type JsonSchema, type OpenApiDocument, loadSpec } from './spec-document';

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
}

export type { ErrorObject, ValidateFunction };

/** Deep copy of a schema with component references pointed at the registered spec, and strictness optionally relaxed. */
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

export class SchemaCompiler {
  private readonly ajv: Ajv2020;
  private readonly cache = new WeakMap<object, ValidateFunction>();
  private readonly allowUnknownFields: boolean;

  constructor(doc: OpenApiDocument = loadSpec(), options: CompilerOptions = {}) {
    this.allowUnknownFields = options.allowUnknownFields ?? false;
    this.ajv = new Ajv2020({
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
    });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SPEC_ID, $defs: rewrite(doc.components.schemas, this.allowUnknownFields) as JsonSchema });
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
