/**
 * Everything the mock derives from a spec, built once at start and passed in
 * (createApp, startMock, createMockHandler take it): the operations, the
 * router, the request validators and the response checker. Nothing of it is
 * module state, so a second app can serve another spec, and two specs never
 * share a validator by operationId. The disk caches (parsed YAML, AJV
 * standalone code) stay in spec-document.ts and schema-compiler.ts; see
 * docs/decisions/0003-what-is-cached.md.
 */
import { type RequestValidator, createRequestValidators } from './request-validation';
import { type ApiRouter, createApiRouter } from './api-router';
import { explainErrors, formatViolation } from './explain-errors';
import { type Operation, listOperations } from './operations';
import { SchemaCompiler } from './schema-compiler';
import { type OpenApiDocument, loadSpec } from './spec-document';

export interface Api {
  doc: OpenApiDocument;
  /** By operationId. */
  operations: ReadonlyMap<string, Operation>;
  /** The operation of an id, or an Error thrown (a programming mistake, not a request's). */
  operation(operationId: string): Operation;
  router: ApiRouter;
  /** The query and body validators of an operation, compiled on first use (from the disk cache when it holds them). */
  requestValidator(operation: Operation): RequestValidator;
  /** Why a body breaks the spec for an operation and status (strict mode), or undefined when it conforms. */
  checkResponse(operation: Operation, status: number, body: unknown): string | undefined;
}

export function loadApi(doc: OpenApiDocument = loadSpec()): Api {
  const operations = listOperations(doc);
  let checker: SchemaCompiler | undefined;
  return {
    doc,
    operations,
    operation(operationId) {
      const op = operations.get(operationId);
      if (!op) throw new Error(`No operation ${operationId} in the spec`);
      return op;
    },
    router: createApiRouter(operations.values()),
    requestValidator: createRequestValidators(doc, operations),
    checkResponse(operation, status, body) {
      const documented = operation.responses.get(status);
      if (!documented?.schema)
        return `${operation.method.toUpperCase()} ${operation.path} does not document status ${status}`;
      // Built on the first check: only strict mode checks, and AJV costs ~50 ms to load.
      checker ??= new SchemaCompiler(doc, { allErrors: true });
      const validate = checker.compile(documented.schema);
      if (validate(body)) return undefined;
      const violations = explainErrors(validate.errors, checker);
      return (
        `${status} body of ${operation.method.toUpperCase()} ${operation.path} ` +
        `breaks the spec ${violations.map(formatViolation).join('; ')}`
      );
    },
  };
}
