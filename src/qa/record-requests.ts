/**
 * Puts every API request into the journal when it ends: method, path, query,
 * body, the credential headers (masked when read), status, duration, the
 * error key the ResponseWriter set, and why the answer was forced, if it was.
 * The mock's own pages and tools (/__mock/…) are not journaled: the dashboard
 * would otherwise fill the journal with its own polling.
 */
import type { RequestHandler, Response } from 'express';
import { errorKeys } from '../http/response-writer';
import type { Clock } from '../runtime/clock';
import { forcedReasons } from './inject-faults';
import type { QaEvents } from './qa-events';
import type { RequestJournal } from './request-journal';

const SHOWN_HEADERS = ['x-app-id', 'x-app-token', 'authorization', 'prefer', 'content-type', 'x-voucherify-channel'] as const;

export function isMockPath(path: string): boolean {
  return path === '/__mock' || path.startsWith('/__mock/');
}

export function recordRequests(journal: RequestJournal, clock: Clock, events: QaEvents): RequestHandler {
  return function recordRequest(req, res, next) {
    if (journal.capacity === 0 || isMockPath(req.path)) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    const time = clock.nowIso();
    let answer: unknown;
    const sendJson = res.json;
    res.json = function rememberJson(this: Response, body?: unknown) {
      answer = body;
      return sendJson.call(this, body);
    } as Response['json'];
    res.once('close', () => {
      const headers: Record<string, string> = {};
      for (const name of SHOWN_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answered = res.writableFinished;
      const at = req.originalUrl.indexOf('?');
      const id = journal.add({
        time,
        method: req.method,
        path: req.path,
        queryText: at >= 0 ? req.originalUrl.slice(at + 1) : '',
        body: req.body as unknown,
        headers,
        status: answered ? res.statusCode : null,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        errorKey: answered ? (errorKeys.get(res) ?? null) : 'connection_dropped',
        forced: forcedReasons.get(res) ?? null,
        answer,
      });
      events.emit('request', () => journal.get(id));
    });
    next();
  };
}
