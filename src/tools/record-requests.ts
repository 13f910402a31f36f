/**
 * Puts every API request into the journal when its exchange is announced
 * (the response closed): method, path, query, body, the credential headers
 * (masked when read), status, duration, the error key, and why the answer was
 * forced, if it was; then tells the dashboard (a `request` event). The mock's
 * own pages and tools (/__mock/…) are not journaled: the dashboard would
 * otherwise fill the journal with its own polling.
 */
import type { Exchange, ExchangeListener } from '../api/exchange';
import type { QaEvents } from './qa-events';
import type { RequestJournal } from './request-journal';

const SHOWN_HEADERS = [
  'x-app-id',
  'x-app-token',
  'authorization',
  'prefer',
  'content-type',
  'x-voucherify-channel',
] as const;

/** A subscriber to the app's exchanges (create-app.ts subscribes it). */
export function recordRequests(journal: RequestJournal, events: QaEvents): ExchangeListener {
  return function recordRequest(exchange: Exchange): void {
    if (journal.capacity === 0 || exchange.tool) return;
    const headers: Record<string, string> = {};
    for (const name of SHOWN_HEADERS) {
      const value = exchange.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const id = journal.add({
      time: exchange.time,
      method: exchange.method,
      path: exchange.path,
      queryText: exchange.queryText,
      body: exchange.body,
      headers,
      status: exchange.status,
      durationMs: exchange.durationMs,
      errorKey: exchange.errorKey,
      forced: exchange.forced,
      answer: exchange.answer,
    });
    events.emit('request', () => journal.get(id));
  };
}
