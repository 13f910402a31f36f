/**
 * Validates the mock's own input formats (scenarios, state snapshots): they are
 * not part of the API, so their schemas are written here by hand rather than
 * taken from spec/. A failure is a 400 with the key given, naming the first
 * field that is wrong ("Scenario property 'fault.type' should be one of …").
 * Schemas are compiled on first use, not at start (~100 ms of every start-up);
 * the QA tests exercise each format, so a broken schema still fails a test.
 */
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { ApiError, type ErrorKey } from '../domain/api-error';
import { dottedPath } from '../spec/explain-errors';

let ajv: Ajv2020 | undefined;


function describe(label: string, error: ErrorObject): string {
  const at = error.instancePath ? `${label} property '${dottedPath(error.instancePath)}'` : label;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at} should NOT have additional property '${String(params.additionalProperty)}'`;
    case 'enum':
      return `${at} should be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at} should be ${JSON.stringify(params.allowedValue)}`;
    case 'discriminator': {
      // The valid tags are the branches' consts: list them instead of AJV's "value of tag must be in oneOf".
      const tag = String(params.tag);
      const branches = (error.parentSchema as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }> } | undefined)?.oneOf ?? [];
      const tags = branches.map((b) => b.properties?.[tag]?.const).filter((v) => v !== undefined);
      const where = error.instancePath ? `${label} property '${dottedPath(error.instancePath)}.${tag}'` : `${label} property '${tag}'`;
      return `${where} should be one of: ${tags.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    default:
      return `${at} ${(error.message ?? 'is not valid').replace(/^must\b/, 'should')}`;
  }
}

/** A checker that returns the value typed as T, or throws `ApiError(key)` naming what is wrong. */
export function compileMockFormat<T>(schema: Record<string, unknown>, key: ErrorKey, label: string): (value: unknown) => T {
  let validate: ReturnType<Ajv2020['compile']> | undefined;
  return (value: unknown): T => {
    ajv ??= new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true, discriminator: true, verbose: true });
    validate ??= ajv.compile(schema);
    if (validate(value)) return value as T;
    const errors = validate.errors ?? [];
    // A failed discriminated branch reports its own error first; the discriminator's own error only when the tag is wrong.
    const first = errors[0];
    throw new ApiError(key, first ? describe(label, first) : `${label} is not valid`);
  };
}
