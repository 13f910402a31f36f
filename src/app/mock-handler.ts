/**
 * The mock as one request handler, for a dev server or a test server that
 * already listens: Express (`app.use('/voucherify', mock.handler)`), Vite
 * (`server.middlewares.use('/voucherify', handler)`), webpack-dev-server
 * (`setupMiddlewares`), or `http.createServer(handler)`. Mounted under a
 * prefix, it sees paths without it (as connect and Express hand them over), so
 * the SDK's `apiUrl` is the dev server's address plus the prefix. It answers
 * every request it is given (a JSON 404 for a path it does not know): the
 * user's own routes and middleware go before it. It is the handler the CLI's
 * server serves (create-app.ts); API requests never go through Express.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type MockApp, createApp } from './create-app';
import { type MockOptions, createMockState } from './server';
import type { MockState } from './mock-state';

/** What `startMock` takes, less where to listen: the host server listens. */
export type MockHandlerOptions = Omit<MockOptions, 'port' | 'host'>;

export interface MockHandler {
  /** Connect-style: `next` is only called for an error the mock could not answer itself. */
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** The same handler, for `app.use(mock.handler)`. */
  handler: (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;
  /** The app it serves: its QA tools and its exchanges (`app.exchanges.subscribe(…)`). */
  app: MockApp;
  state: MockState;
  /** Back to the starting world, as `POST /__mock/reset`. */
  reset(): void;
  /** Closes the store (the data file, when there is one). */
  close(): void;
}

/**
 * What a host server took off the front of the path: `originalUrl` (set by Express and connect) less the `url` it
 * handed over.
 */
function findMountPrefix(req: IncomingMessage & { originalUrl?: string }): string {
  if (req.originalUrl === undefined) return '';
  const original = req.originalUrl.split('?')[0]!;
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/') return original.replace(/\/$/, '');
  return original.endsWith(path) ? original.slice(0, original.length - path.length) : '';
}

export function createMockHandler(options: MockHandlerOptions = {}): MockHandler {
  const state = createMockState(options);
  // SQLite's transactions run in microtasks: the world is filled before the first request can arrive.
  state.initialize().catch((error: unknown) => console.error(error));
  // Computed once, as the request arrives: routers inside the app take more off `url` as they go.
  const prefixes = new WeakMap<IncomingMessage, string>();
  const app = createApp({
    state,
    strict: options.strict,
    log: options.log,
    publicUrl: options.publicUrl,
    adminToken: options.adminToken,
    api: options.api,
    mountPrefixOf: (req) => prefixes.get(req) ?? '',
  });
  const handle = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    prefixes.set(req, findMountPrefix(req));
    app(req, res, next);
  };
  return Object.assign(handle, {
    handler: handle,
    app,
    state,
    reset: (): void => {
      state.reset().catch((error: unknown) => console.error(error));
    },
    close: (): void => {
      state.data.close().catch((error: unknown) => console.error(error));
    },
  });
}
