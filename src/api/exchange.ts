/**
 * One exchange per request: what was asked, what the handler made of it and
 * what was answered. The API handler opens it when a request arrives, each
 * step fills in its part (the operation, the body, the error key, why an
 * answer was forced), the ResponseWriter records the answer, and when the
 * response closes the app's ExchangeHub announces it. The request log, the
 * journal and the dashboard's live events subscribe there; nothing reads a
 * request's outcome through a side channel.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class Exchange {
  readonly method: string;
  /** The URL as the client sent it (with the prefix a host app mounted the mock under), for the log. */
  readonly originalUrl: string;
  /** The path as routed (what the host handed over), not decoded. */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly queryText: string;
  readonly headers: IncomingMessage['headers'];
  /** When it arrived, as the mock's clock tells it. */
  readonly time: string;
  readonly started: bigint;
  /** A request to the mock's own tools (/__mock/…), answered by Express. */
  tool = false;
  operationId: string | null = null;
  /** The parsed JSON body; undefined without one. */
  body: unknown = undefined;
  /** Set when the response closes; null when no answer was sent (the connection dropped). */
  status: number | null = null;
  errorKey: string | null = null;
  /** The JSON body answered, when there was one. */
  answer: unknown = undefined;
  /** Why the answer was forced, e.g. `Prefer code=404 (example …)` or `scenario scn_1 (rate_limit)`. */
  forced: string | null = null;
  durationMs = 0;
  /** The app's hub that announces it when the response closes. */
  hub: ExchangeHub | undefined = undefined;

  constructor(req: IncomingMessage, path: string, queryText: string, time: string) {
    this.method = req.method ?? 'GET';
    this.originalUrl = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    this.path = path;
    this.queryText = queryText;
    this.headers = req.headers;
    this.time = time;
    this.started = process.hrtime.bigint();
  }

  /** Records the outcome once the response is closed: answered in full, or not (dropped). */
  close(res: ServerResponse): void {
    this.durationMs = Number(process.hrtime.bigint() - this.started) / 1e6;
    if (res.writableFinished) this.status = res.statusCode;
    else this.errorKey = 'connection_dropped';
  }
}

export type ExchangeListener = (exchange: Exchange) => void;

/** The app's subscription to its exchanges; with nobody subscribed, announcing costs one size check. */
export class ExchangeHub {
  private readonly listeners = new Set<ExchangeListener>();

  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: ExchangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  announce(exchange: Exchange): void {
    for (const listener of this.listeners) listener(exchange);
  }
}

const EXCHANGE = Symbol('mock exchange');

/**
 * The exchange the API handler opened for a request, carried on the request itself as `req.body` is (for the tools'
 * Express side).
 */
export function exchangeOf(req: IncomingMessage): Exchange | undefined {
  return (req as IncomingMessage & { [EXCHANGE]?: Exchange })[EXCHANGE];
}

export function attachExchange(req: IncomingMessage, exchange: Exchange): void {
  (req as IncomingMessage & { [EXCHANGE]?: Exchange })[EXCHANGE] = exchange;
}
