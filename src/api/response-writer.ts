/**
 * Writes JSON answers on Node's response (an Express response is one too),
 * with what Express's res.json wrote (ETags off): the status, `Content-Type`
 * with its charset, `Content-Length`, the JSON. Under `strict`, every body is
 * first checked against the spec's schema for its operation and status; a body
 * that breaks the spec is not sent: the client gets a 500 naming the field, so
 * mock and spec cannot drift apart silently. The answer and its error key go
 * into the request's exchange, for the log and the journal.
 */
import type { ServerResponse } from 'node:http';
import { ApiError, errorBody } from '../domain/api-error';
import type { Operation } from '../spec/operations';
import type { Exchange } from './exchange';

/** Why a body breaks the spec (load-api.ts `checkResponse`), undefined when it conforms. */
export type ResponseCheck = (operation: Operation, status: number, body: unknown) => string | undefined;

export interface ResponseWriterOptions {
  /** Given in strict mode: bodies are checked before they are sent. */
  check?: ResponseCheck;
  nextRequestId(): string;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // One writeHead instead of statusCode and two setHeader calls (each validates and stores its header apart); headers
  // set earlier (CORS, the request id) are merged in by Node as before.
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export class ResponseWriter {
  private readonly check: ResponseCheck | undefined;
  private readonly nextRequestId: () => string;

  constructor(options: ResponseWriterOptions) {
    this.check = options.check;
    this.nextRequestId = options.nextRequestId;
  }

  json(
    res: ServerResponse,
    operation: Operation | undefined,
    status: number,
    body: unknown,
    exchange?: Exchange,
  ): void {
    const problem = this.check && operation ? this.check(operation, status, body) : undefined;
    if (problem) {
      this.error(res, undefined, new ApiError('mock_response_invalid', problem), exchange);
      return;
    }
    if (exchange) exchange.answer = body;
    send(res, status, body);
  }

  error(res: ServerResponse, operation: Operation | undefined, error: ApiError, exchange?: Exchange): void {
    // The 403 of integration keys is documented without a request_id.
    const requestId = error.key === 'integration_api_key_required' ? undefined : this.nextRequestId();
    let body = errorBody(error, requestId);
    let status = error.status;
    const problem = this.check && operation ? this.check(operation, error.status, body) : undefined;
    if (problem) {
      body = errorBody(new ApiError('mock_response_invalid', problem), requestId);
      status = 500;
    }
    if (exchange) {
      exchange.errorKey = body.key ?? error.key;
      exchange.answer = body;
    }
    send(res, status, body);
  }
}
