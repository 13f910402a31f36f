/**
 * Validates the mock's own input formats (scenarios, state snapshots): they are
 * not part of the API, so their schemas are written here by hand rather than
 * taken from spec/. A failure is a 400 with the key given, naming the first
 * field that is wrong ("Scenario property 'fault.type' should be one of …").
 * Schemas are compiled on first use, not at start (~100 ms of every start-up);
 * the QA tests exercise each format, so a broken schema still fails a test.
 */
import Ajv2020 from 'ajv/dist/2020';
import { ApiError, type ErrorKey } from '../domain/api-error';
import { describeError } from '../spec/explain-errors';

/** A checker that returns the value typed as T, or throws `ApiError(key)` naming what is wrong. */
export function compileMockFormat<T>(
  schema: Record<string, unknown>,
  key: ErrorKey,
  label: string,
): (value: unknown) => T {
  let validate: ReturnType<Ajv2020['compile']> | undefined;
  return (value: unknown): T => {
    // One AJV per format, made on first use: no module state shared between formats or apps.
    validate ??= new Ajv2020({
      allErrors: false,
      strict: true,
      allowUnionTypes: true,
      discriminator: true,
      verbose: true,
    }).compile(schema);
    if (validate(value)) return value as T;
    const errors = validate.errors ?? [];
    // A failed discriminated branch reports its own error first; the discriminator's own error only when the tag is
    // wrong.
    const first = errors[0];
    throw new ApiError(key, first ? describeError(label, first, { wording: 'format' }) : `${label} is not valid`);
  };
}
