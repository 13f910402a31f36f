/**
 * Writes JSON answers. Under `strict`, every body is first checked against the
 * spec's schema for its operation and status; a body that breaks the spec is
 * not sent: the client gets a 500 naming the field, so mock and spec cannot
 * drift apart silently.
 */
import type { Response } from 'express';
import { ApiError, errorBody } from '../errors/api-error';
import { explainErrors, formatViolation } from '../openapi/explain-errors';
import type { Operation } from '../openapi/operations';
import { SchemaCompiler } from '../openapi/schema-compiler';

/** What the request log shows of an answer: its error key. */
export const errorKeys = new WeakMap<Response, string>();

let strictCompiler: SchemaCompiler | undefined;

export class ResponseWriter {
  private readonly compiler: SchemaCompiler | undefined;

  constructor(
    strict: boolean,
    private readonly nextRequestId: () => string,
  ) {
    // One compiler per process: its validators are cached by schema, so every app shares them.
    this.compiler = strict ? (strictCompiler ??= new SchemaCompiler(undefined, { allErrors: true })) : undefined;
  }

  json(res: Response, operation: Operation | undefined, status: number, body: unknown): void {
    const problem = this.check(operation, status, body);
    if (problem) {
      this.error(res, undefined, new ApiError('mock_response_invalid', problem));
      return;
    }
    res.status(status).json(body);
  }

  error(res: Response, operation: Operation | undefined, error: ApiError): void {
    // The 403 of integration keys is documented without a request_id.
    const requestId = error.key === 'integration_api_key_required' ? undefined : this.nextRequestId();
    errorKeys.set(res, error.key);
    const body = errorBody(error, requestId);
    const problem = this.check(operation, error.status, body);
    if (problem) {
      errorKeys.set(res, 'mock_response_invalid');
      res.status(500).json(errorBody(new ApiError('mock_response_invalid', problem), requestId));
      return;
    }
    res.status(error.status).json(body);
  }

  private check(operation: Operation | undefined, status: number, body: unknown): string | undefined {
    if (!this.compiler || !operation) return undefined;
    const documented = operation.responses.get(status);
    if (!documented?.schema) return `${operation.method.toUpperCase()} ${operation.path} does not document status ${status}`;
    const validate = this.compiler.compile(documented.schema);
    if (validate(body)) return undefined;
    const violations = explainErrors(validate.errors, this.compiler);
    return `${status} body of ${operation.method.toUpperCase()} ${operation.path} breaks the spec ${violations.map(formatViolation).join('; ')}`;
  }
}
