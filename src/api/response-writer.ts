/**
 * Writes JSON answers. Under `strict`, every body is first checked against the
 * spec's schema for its operation and status; a body that breaks the spec is
 * not sent: the client gets a 500 naming the field, so mock and spec cannot
 * drift apart silently.
 *
 * `json`/`error` answer through Express (`res.json`); `writeJson`/`writeError`
 * write the same bytes and headers on Node's own ServerResponse, for the API's
 * fast path (publication-routes.ts), which runs without Express.
 */
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import { ApiError, errorBody } from '../domain/api-error';
import { explainErrors, formatViolation } from '../spec/explain-errors';
import type { Operation } from '../spec/operations';
import { SchemaCompiler } from '../spec/schema-compiler';

/** What the request log shows of an answer: its error key. */
export const errorKeys = new WeakMap<ServerResponse, string>();

/** The body each answer was written with, for a request journal that runs without Express. */
export const answerBodies = new WeakMap<ServerResponse, unknown>();

type Send = (res: ServerResponse, status: number, body: unknown) => void;

const sendWithExpress: Send = (res, status, body) => {
  (res as Response).status(status).json(body);
};

/** What Express's res.json writes (ETags off): the status, `Content-Type` with its charset, `Content-Length`, the JSON. */
const sendWithNode: Send = (res, status, body) => {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
};

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
    this.answer(res, operation, status, body, sendWithExpress);
  }

  error(res: Response, operation: Operation | undefined, error: ApiError): void {
    this.answerError(res, operation, error, sendWithExpress);
  }

  /** `json` on Node's own response (no Express): the same status, headers and bytes. */
  writeJson(res: ServerResponse, operation: Operation | undefined, status: number, body: unknown): void {
    this.answer(res, operation, status, body, sendWithNode);
  }

  /** `error` on Node's own response (no Express). */
  writeError(res: ServerResponse, operation: Operation | undefined, error: ApiError): void {
    this.answerError(res, operation, error, sendWithNode);
  }

  private answer(res: ServerResponse, operation: Operation | undefined, status: number, body: unknown, send: Send): void {
    const problem = this.check(operation, status, body);
    if (problem) {
      this.answerError(res, undefined, new ApiError('mock_response_invalid', problem), send);
      return;
    }
    answerBodies.set(res, body);
    send(res, status, body);
  }

  private answerError(res: ServerResponse, operation: Operation | undefined, error: ApiError, send: Send): void {
    // The 403 of integration keys is documented without a request_id.
    const requestId = error.key === 'integration_api_key_required' ? undefined : this.nextRequestId();
    errorKeys.set(res, error.key);
    const body = errorBody(error, requestId);
    const problem = this.check(operation, error.status, body);
    if (problem) {
      errorKeys.set(res, 'mock_response_invalid');
      const replacement = errorBody(new ApiError('mock_response_invalid', problem), requestId);
      answerBodies.set(res, replacement);
      send(res, 500, replacement);
      return;
    }
    answerBodies.set(res, body);
    send(res, error.status, body);
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
