/**
 * One request and its answer, as the checks see it: the same shape whether it
 * was sent by the suite or read from a HAR capture. Credential headers are
 * masked before an exchange is built, so nothing downstream can leak them.
 */

export type ParsedBody =
  { kind: 'json'; value: unknown } | { kind: 'empty' } | { kind: 'invalid'; text: string; error: string };

export interface ExchangeRequest {
  method: string;
  /** The full URL, as sent. */
  url: string;
  /** Path and query string, e.g. `/v1/publications?limit=10`. */
  path: string;
  /** Request headers, credentials masked. */
  headers: Record<string, string>;
  body?: unknown;
  /** Set when the body was sent as text as it is, not as JSON of `body` (a generated case). */
  bodyText?: string;
}

export interface ExchangeResponse {
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  body: ParsedBody;
}

export interface Exchange {
  /** Sequence number within the run. */
  id: number;
  /** The scenario that sent it (or `har` for a capture). */
  scenario: string;
  /** Its role in the scenario, e.g. `first`, `repeat`. */
  label: string;
  /** The spec operation it exercises. */
  operationId: string;
  request: ExchangeRequest;
  response?: ExchangeResponse;
  /** Why there is no usable answer (network error, timeout, rate limit not lifted). */
  error?: string;
  attempts: number;
  durationMs: number;
}

export function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      kind: 'invalid',
      text: text.length > 200 ? `${text.slice(0, 199)}…` : text,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The path with its query string decoded, for people: `/v1/publications/create?customer[id]=cust_1`. */
export function displayPath(path: string): string {
  try {
    return decodeURIComponent(path.replace(/\+/g, ' '));
  } catch {
    return path;
  }
}

/** The response body as a plain object, or undefined when it is not one. */
export function bodyObject(exchange: Exchange): Record<string, unknown> | undefined {
  const body = exchange.response?.body;
  if (body?.kind !== 'json') return undefined;
  return isRecord(body.value) ? body.value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
