/**
 * A body the parser cannot decompress (`Content-Encoding: gzip|deflate|br`
 * that is not what it says) is the client's error: a 400 `invalid_payload`
 * naming the encoding, never a 500 with a stack trace in the log. body-parser
 * passes zlib's own error on, with no `type` of its own; this names it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../domain/api-error';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The request's Content-Encoding when `error` is a failure to decode its body; undefined otherwise. */
export function failedEncoding(req: IncomingMessage, error: unknown): string | undefined {
  if (error === null || typeof error !== 'object' || 'type' in error) return undefined;
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined || /^\s*identity\s*$/i.test(encoding)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(Z_|ERR_)/.test(code) ? encoding : undefined;
}

/** `parse` (a body parser), with decoding failures turned into `invalid_payload` naming the encoding. */
export function explainBodyErrors(parse: Middleware): Middleware {
  return function parseBodyNamingEncoding(req, res, next) {
    parse(req, res, (error?: unknown) => {
      const encoding = error === undefined || error === null ? undefined : failedEncoding(req, error);
      if (encoding === undefined) next(error);
      else next(new ApiError('invalid_payload', `The body does not decode as Content-Encoding ${JSON.stringify(encoding)}: ${error instanceof Error ? error.message : String(error)}`));
    });
  };
}
