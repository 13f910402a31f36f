/**
 * Precompiled validators (AJV standalone code, cached across starts) must
 * judge exactly as validators compiled on the spot: the same verdict, the same
 * errors (with their schemas), the same coercions and defaults.
 */
import fc from 'fast-check';
import { listOperations, querySchema } from './operations';
import { SchemaCompiler, precompiledValidators } from './schema-compiler';
import type { JsonSchema } from './spec-document';

const operations = [...listOperations().values()];
const querySchemas = Object.fromEntries(operations.map((op) => [op.operationId, querySchema(op)]));
const bodySchemas: Record<string, JsonSchema> = {};
for (const op of operations) if (op.bodySchema) bodySchemas[op.operationId] = op.bodySchema;

/** Objects shaped like the API's requests, with values of any type in their places. */
const requestLike = fc.record(
  {
    customer: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.record(
        {
          source_id: fc.oneof(fc.string(), fc.integer()),
          id: fc.string(),
          email: fc.string(),
          metadata: fc.jsonValue({ maxDepth: 2 }),
        },
        { requiredKeys: [] },
      ),
    ),
    campaign: fc.oneof(
      fc.string(),
      fc.record(
        { name: fc.oneof(fc.string(), fc.integer()), count: fc.oneof(fc.integer({ min: -2, max: 30 }), fc.string()) },
        { requiredKeys: [] },
      ),
    ),
    voucher: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
    join_once: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 'yes', '1')),
    limit: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom('10', 'x', '1e3')),
    page: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.constant('2')),
    order: fc.constantFrom('-created_at', 'id', 'nope'),
    metadata: fc.jsonValue({ maxDepth: 2 }),
    filters: fc.jsonValue({ maxDepth: 3 }),
    source_id: fc.oneof(fc.string(), fc.integer()),
    unknown: fc.string(),
  },
  { requiredKeys: [] },
);

describe.each([
  ['query', querySchemas, { coerce: true }],
  ['body', bodySchemas, {}],
] as const)('precompiled %s validators', (_kind, schemas, options) => {
  // The first call may compile and write the cache; the second loads the standalone module from it.
  precompiledValidators(schemas, options);
  const precompiled = precompiledValidators(schemas, options);
  const compiler = new SchemaCompiler(undefined, options);
  const compiled = Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, compiler.compile(schema)]),
  );

  it('come from the cached standalone module, not from AJV compiling now', () => {
    for (const validate of Object.values(precompiled)) expect('schemaEnv' in validate).toBe(false);
    for (const validate of Object.values(compiled)) expect('schemaEnv' in validate).toBe(true);
  });

  it('give the same verdict, errors and coerced values as validators compiled on the spot', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(schemas)), requestLike, (name, value) => {
        const a = structuredClone(value);
        const b = structuredClone(value);
        const verdictA = precompiled[name]!(a);
        const verdictB = compiled[name]!(b);
        expect(verdictA).toBe(verdictB);
        expect(JSON.stringify(precompiled[name]!.errors ?? null)).toBe(JSON.stringify(compiled[name]!.errors ?? null));
        expect(a).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
});
