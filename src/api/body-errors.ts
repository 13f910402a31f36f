/**
 * The one mapping of a JSON body parser's failures (body-parser's, as
 * `express.json` makes it) to a Voucherify-shaped ApiError, for the API and
 * for the /__mock/ tools that take a body. Each says in its own words what
 * was wrong (too large, not JSON, a Content-Encoding that does not decode);
 * anything unexpected becomes `internal_error`, a JSON 500, never a crash.
 *
 * A body that does not decompress as its `Content-Encoding` says is the
 * client's error, not the server's: body-parser passes zlib's own error on,
 * with no `type` of its own; `failedEncoding` recognises it.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, type ErrorKey } from '../domain/api-error';

export interface BodyWording {
  /** The key of a body that is not what it should be. */
  invalidKey: ErrorKey;
  /** The key of a body over the limit. */
  tooLargeKey: ErrorKey;
  limit: number;
  /** "The request body exceeds the limit of N bytes". */
  tooLarge(limit: number): string;
  /** "The body does not decode as Content-Encoding …". */
  undecodable(encoding: string, message: string): string;
  /** "Malformed JSON: …". */
  notJson(message: string): string;
  /** An unsupported charset or encoding, a size that does not add up: the parser's own message, or `notJson`'s. */
  unsupported(message: string): string;
  /**
   * Whether any other failure is the server's (`internal_error`) or the body's (`invalidKey`, in `notJson`'s words).
   */
  otherwise: 'internal' | 'invalid';
}

/** The request's Content-Encoding when `error` is a failure to decode its body; undefined otherwise. */
export function failedEncoding(req: IncomingMessage, error: unknown): string | undefined {
  if (error === null || typeof error !== 'object' || 'type' in error) return undefined;
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined || /^\s*identity\s*$/i.test(encoding)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(Z_|ERR_)/.test(code) ? encoding : undefined;
}

/** The ApiError a body parser's failure stands for, in `wording`; an ApiError is passed on as it is. */
export function mapBodyError(req: IncomingMessage, error: unknown, wording: BodyWording): ApiError {
  if (error instanceof ApiError) return error;
  const type = (error as { type?: unknown } | null)?.type;
  const message = error instanceof Error ? error.message : String(error);
  if (type === 'entity.too.large') return new ApiError(wording.tooLargeKey, wording.tooLarge(wording.limit));
  if (type === 'entity.parse.failed') return new ApiError(wording.invalidKey, wording.notJson(message));
  if (
    type === 'encoding.unsupported' ||
    type === 'charset.unsupported' ||
    type === 'entity.verify.failed' ||
    type === 'request.size.invalid'
  ) {
    return new ApiError(wording.invalidKey, wording.unsupported(message));
  }
  const encoding = failedEncoding(req, error);
  if (encoding !== undefined) return new ApiError(wording.invalidKey, wording.undecodable(encoding, message));
  return wording.otherwise === 'internal'
    ? new ApiError('internal_error', message)
    : new ApiError(wording.invalidKey, wording.notJson(message));
}
