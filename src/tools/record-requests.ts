/**
 * Puts every API request into the journal when it ends: method, path, query,
 * body, the credential headers (masked when read), status, duration, the
 * error key the ResponseWriter set, and why the answer was forced, if it was.
 * The mock's own pages and tools (/__mock/…) are not journaled: the dashboard
 * would otherwise fill the journal with its own polling.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerBodies, errorKeys } from '../api/response-writer';
import type { Clock } from '../runtime/clock';
import { forcedReasons } from './inject-faults';
import type { QaEvents } from './qa-events';
import type { RequestJournal } from './request-journal';

const SHOWN_HEADERS = ['x-app-id', 'x-app-token', 'authorization', 'prefer', 'content-type', 'x-voucherify-channel'] as const;

export function isMockPath(path: string): boolean {
  return path === '/__mock' || path.startsWith('/__mock/');
}

/** Works on Node's own request and response too (the API's fast path runs it without Express). */
export function recordRequests(journal: RequestJournal, clock: Clock, events: QaEvents) {
  return function recordRequest(req: IncomingMessage & { originalUrl?: string; body?: unknown }, res: ServerResponse, next: () => void): void {
    const url = req.originalUrl ?? req.url ?? '/';
    const at = url.indexOf('?');
    const path = at >= 0 ? url.slice(0, at) : url;
    if (journal.capacity === 0 || isMockPath(path)) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    const time = clock.nowIso();
    res.once('close', () => {
      const headers: Record<string, string> = {};
      for (const name of SHOWN_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answered = res.writableFinished;
      const id = journal.add({
        time,
        method: req.method ?? 'GET',
        path,
        queryText: at >= 0 ? url.slice(at + 1) : '',
        body: req.body as unknown,
        headers,
        status: answered ? res.statusCode : null,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        errorKey: answered ? (errorKeys.get(res) ?? null) : 'connection_dropped',
        forced: forcedReasons.get(res) ?? null,
        answer: answerBodies.get(res),
      });
      events.emit('request', () => journal.get(id));
    });
    next();
  };
}
