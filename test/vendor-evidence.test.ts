/**
 * Every example in the vendor's own OpenAPI documents for these operations
 * validates against our spec: one row per example, response and request alike.
 * The vendor's documents are read from ../shared/evidence (they are evidence,
 * not part of the repository); a clone without them skips this file, CI never does.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaCompiler } from '../src/spec/schema-compiler';
import { explainErrors, formatViolation } from '../src/spec/explain-errors';
import { type Operation, listOperations } from '../src/spec/operations';
import { type JsonSchema, loadSpec } from '../src/spec/spec-document';

const EVIDENCE = join(__dirname, '..', '..', 'shared', 'evidence');
const present = existsSync(EVIDENCE);
if (!present && process.env.CI)
  throw new Error(`The vendor's documents are missing at ${EVIDENCE}: CI runs with shared/ beside the clone`);

interface VendorDoc {
  // An operation, or another path-item field (parameters, summary): narrowed where read.
  paths: Record<string, Record<string, unknown>>;
}
interface VendorOperation {
  operationId: string;
  requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }>;
}

const compiler = new SchemaCompiler(loadSpec(), { allErrors: true });
const ours = [...listOperations().values()];

function ourOperation(method: string, path: string): Operation | undefined {
  return ours.find((op) => op.method === method && op.path === path);
}

function violations(schema: JsonSchema, value: unknown): string[] {
  const validate = compiler.compile(schema);
  return validate(value) ? [] : explainErrors(validate.errors, compiler).map(formatViolation);
}

type Row = [name: string, schema: JsonSchema | undefined, value: unknown];

function rowsOf(file: string): Row[] {
  const doc = JSON.parse(readFileSync(join(EVIDENCE, file), 'utf8')) as VendorDoc;
  const rows: Row[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post'] as const) {
      const vendor = item[method] as VendorOperation | undefined;
      if (!vendor) continue;
      const op = ourOperation(method, path);
      const label = `${method.toUpperCase()} ${path} (${vendor.operationId} → ${op?.operationId ?? 'missing'})`;
      for (const [name, example] of Object.entries(vendor.requestBody?.content['application/json']?.examples ?? {})) {
        rows.push([`${label} request body "${name}"`, op?.bodySchema, example.value]);
      }
      for (const [status, response] of Object.entries(vendor.responses)) {
        for (const [name, example] of Object.entries(response.content?.['application/json']?.examples ?? {})) {
          rows.push([`${label} ${status} "${name}"`, op?.responses.get(Number(status))?.schema, example.value]);
        }
      }
    }
  }
  return rows;
}

const files = present
  ? readdirSync(EVIDENCE).filter((f) => f.startsWith('vendor-openapi-') && f.endsWith('.json'))
  : [];
const rows = files.flatMap(rowsOf);

(present ? describe : describe.skip)("the vendor's own examples validate against spec/", () => {
  it('reads every vendor document and its examples', () => {
    expect(files.sort()).toEqual([
      'vendor-openapi-client-publish.json',
      'vendor-openapi-get-customer.json',
      'vendor-openapi-get-voucher.json',
      'vendor-openapi-publications.json',
    ]);
    // 3 list/create 200s, 7 voucher kinds, 1 customer, 3+3 request bodies, 14 documented errors at least.
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows)('%s', (_name, schema, value) => {
    // A missing schema means our spec lacks the operation or the status the vendor documents.
    expect(schema).toBeDefined();
    expect(violations(schema!, value)).toEqual([]);
  });
});
