/**
 * Sends the suite's requests to the target: a timeout per attempt, retries
 * after network errors, and a 429 waited out (Retry-After, capped) rather than
 * reported as drift. It records every exchange with credential headers masked.
 *
 * Retries never publish twice by accident: a request that is not idempotent
 * (a create without a source_id) is retried only when the connection was never
 * made, i.e. the target cannot have processed it.
 */
import { type Credentials, authHeaders, maskHeaders } from './credentials';
import { type Exchange, parseBody } from './exchange';

export interface RequestSpec {
  operationId: string;
  method: 'GET' | 'POST';
  /** The spec path, e.g. `/v1/publications`. */
  path: string;
  /** Query parameters, deepObject keys already flattened (`customer[source_id]`). */
  query?: Record<string, string>;
  body?: unknown;
  /** Send the run's credentials (default). `false` is the no-credentials probe. */
  authenticated?: boolean;
  /** Safe to send twice (a list, a create with a source_id): retried after any network error. */
  idempotent?: boolean;
  /** A body sent as this text, as it is (a generated case: text that is no JSON); instead of `body`. */
  bodyText?: string;
  /** The Content-Type of the body, when not application/json (a generated case). */
  contentType?: string;
  /** Credential headers left out (a generated case: half a key pair). */
  omitHeaders?: string[];
}

export interface HttpClientOptions {
  baseUrl: string;
  credentials: Credentials;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  /** Further attempts after a network error or a timeout. */
  retries: number;
  /** The longest single wait for a 429's Retry-After. */
  maxRetryAfterMs?: number;
  /** How many 429s in a row are waited out before giving up on the request. */
  maxRateLimitWaits?: number;
  sleep?: (ms: number) => Promise<void>;
}

const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const DEFAULT_RETRY_AFTER_MS = 1000;

interface NetworkFailure {
  message: string;
  neverSent: boolean;
}

export class HttpClient {
  private readonly baseUrl: string;
  private readonly maxRetryAfterMs: number;
  private readonly maxRateLimitWaits: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private nextId = 1;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30000;
    this.maxRateLimitWaits = options.maxRateLimitWaits ?? 5;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async send(scenario: string, label: string, spec: RequestSpec): Promise<Exchange> {
    const search = spec.query && Object.keys(spec.query).length ? `?${new URLSearchParams(spec.query).toString()}` : '';
    const path = `${spec.path}${search}`;
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (spec.body !== undefined || spec.bodyText !== undefined)
      headers['Content-Type'] = spec.contentType ?? 'application/json';
    if (spec.authenticated ?? true) Object.assign(headers, authHeaders(this.options.credentials));
    const omitted = new Set((spec.omitHeaders ?? []).map((name) => name.toLowerCase()));
    for (const name of Object.keys(headers)) if (omitted.has(name.toLowerCase())) delete headers[name];
    const body = spec.bodyText ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
    const exchange: Exchange = {
      id: this.nextId++,
      scenario,
      label,
      operationId: spec.operationId,
      request: {
        method: spec.method,
        url,
        path,
        headers: maskHeaders(headers),
        ...(spec.body === undefined ? {} : { body: spec.body }),
        ...(spec.bodyText === undefined ? {} : { body: spec.bodyText, bodyText: spec.bodyText }),
      },
      attempts: 0,
      durationMs: 0,
    };
    const started = performance.now();
    let networkRetriesLeft = this.options.retries;
    let rateLimitWaits = 0;
    for (;;) {
      exchange.attempts++;
      const outcome = await this.attempt(url, spec.method, body, headers);
      if ('message' in outcome) {
        const retry = networkRetriesLeft > 0 && (spec.idempotent || outcome.neverSent);
        if (retry) {
          networkRetriesLeft--;
          await this.sleep(100 * exchange.attempts);
          continue;
        }
        exchange.error = `${outcome.message}${exchange.attempts > 1 ? ` (after ${exchange.attempts} attempts)` : ''}`;
        break;
      }
      exchange.response = outcome;
      if (outcome.status === 429) {
        if (rateLimitWaits < this.maxRateLimitWaits) {
          rateLimitWaits++;
          await this.sleep(this.retryAfterMs(outcome.headers['retry-after']));
          continue;
        }
        exchange.error = `rate limited: still 429 after waiting out ${rateLimitWaits} Retry-After periods`;
      }
      break;
    }
    exchange.durationMs = Math.round(performance.now() - started);
    return exchange;
  }

  private async attempt(
    url: string,
    method: RequestSpec['method'],
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<NonNullable<Exchange['response']> | NetworkFailure> {
    try {
      const res = await fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'manual',
      });
      const text = await res.text();
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      return { status: res.status, headers: responseHeaders, body: parseBody(text) };
    } catch (error) {
      return describeNetworkError(error, this.options.timeoutMs);
    }
  }

  /** Retry-After in seconds or as an HTTP date; capped, so a misconfigured target cannot stall the run. */
  private retryAfterMs(header: string | undefined): number {
    if (header === undefined) return DEFAULT_RETRY_AFTER_MS;
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (!Number.isFinite(ms)) return DEFAULT_RETRY_AFTER_MS;
    return Math.min(Math.max(ms, 0), this.maxRetryAfterMs);
  }
}

/**
 * What went wrong, read by shape: fetch's errors may come from another realm (a test sandbox), where `instanceof
 * Error` fails.
 */
function describeNetworkError(error: unknown, timeoutMs: number): NetworkFailure {
  const field = (value: unknown, name: string): unknown =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  const cause = field(error, 'cause');
  const names = [field(error, 'name'), field(cause, 'name')];
  if (names.includes('TimeoutError') || names.includes('AbortError'))
    return { message: `no answer within ${timeoutMs} ms`, neverSent: false };
  const code = [field(cause, 'code'), field(error, 'code')].find((c): c is string => typeof c === 'string');
  const detail =
    [field(cause, 'message'), field(error, 'message')].find((m): m is string => typeof m === 'string' && m !== '') ??
    String(error);
  const message = code ? (detail.includes(code) ? detail : `${code}: ${detail}`) : `network error: ${detail}`;
  return { message, neverSent: code !== undefined && NEVER_SENT.has(code) };
}
