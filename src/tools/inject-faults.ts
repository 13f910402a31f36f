/**
 * Forced answers and queued faults, after routing to an operation (they need
 * its documented responses) and before its handler (so they change no state).
 *
 * Order, per request:
 * 1. A queued scenario matching the request fires first, whatever the
 *    credentials: it stands for what the network or a gateway does before the
 *    API looks at a request (a drop, a 429, a 500), so an app under test that
 *    sends bad credentials still meets it. A `delay` scenario then goes on.
 * 2. `Prefer` is read; a malformed one or an undocumented code/example is a 400
 *    listing the valid ones, at once (a mistake is not worth waiting for).
 * 3. `delay=` waits; then, like Prism, credentials are still checked before a
 *    forced answer (401/403 as usual), except when the forced status is 401 or
 *    403 itself, so a front end can see its auth error page.
 * 4. The forced body is the spec's example for that status (its first one, or
 *    the one named), with a fresh `request_id`; no handler runs.
 *
 * The hot path: with no Prefer header and an empty queue, one header lookup
 * and one number compare.
 */
import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { ApiError } from '../domain/api-error';
import { readCredentials, requireIntegrationKeys } from '../api/authenticate';
import { authenticateClient } from '../api/authenticate-client';
import { type ResponseWriter, errorKeys } from '../api/response-writer';
import type { Operation } from '../spec/operations';
import type { MockState } from '../app/mock-state';
import { type DocumentedAnswer, documentedAnswer } from './documented-answer';
import { findOperation } from './find-operation';
import { type Preferences, parsePrefer } from './prefer-header';
import type { QaEvents } from './qa-events';
import type { ScenarioQueue } from './scenario-queue';

/** Why an answer was forced, for the journal. */
export const forcedReasons = new WeakMap<ServerResponse, string>();

/** `Retry-After` of a forced 429 when none is given. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface FaultContext {
  state: MockState;
  writer: ResponseWriter;
  scenarios: ScenarioQueue;
  events: QaEvents;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when the client went away while we waited: nothing more is done for it. */
function gone(res: Response): boolean {
  return res.destroyed || res.socket === null || res.socket.destroyed;
}

export function injectFaults(ctx: FaultContext): RequestHandler {
  const { state, writer, scenarios, events } = ctx;

  function answer(res: Response, op: Operation, documented: DocumentedAnswer, retryAfter?: number): void {
    const body = structuredClone(documented.body);
    if (body !== null && typeof body === 'object') {
      const fields = body as Record<string, unknown>;
      if (typeof fields.request_id === 'string') fields.request_id = state.ids.requestId();
      if (documented.status >= 400 && typeof fields.key === 'string') errorKeys.set(res, fields.key);
    }
    if (documented.status === 429) res.set('Retry-After', String(retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS));
    writer.json(res, op, documented.status, body);
  }

  function checkCredentials(req: Request, op: Operation): void {
    // Forced answers authenticate as the route would: the client-side publish takes the client pair too.
    if (op.operationId === 'createPublicationClientSide') return authenticateClient((name) => req.get(name), state.fixtures.client_keys);
    const credentials = readCredentials(req);
    if (op.operationId === 'createPublicationFromQuery') requireIntegrationKeys(credentials, state.fixtures.integration_keys);
  }

  /** True when a scenario answered (or dropped) the request. */
  async function runScenario(req: Request, res: Response, op: Operation): Promise<boolean> {
    const taken = scenarios.take({ operationId: op.operationId, query: () => req.query, body: req.body as unknown });
    if (!taken) return false;
    events.emit('scenarios', () => scenarios.list());
    const { scenario, parsed } = taken;
    const { fault } = scenario;
    forcedReasons.set(res, `scenario ${scenario.id} (${fault.type})`);
    const forcedBy = `Forced by scenario ${scenario.id}${scenario.note ? ` (${scenario.note})` : ''}`;
    switch (fault.type) {
      case 'drop':
        req.socket.destroy();
        return true;
      case 'delay':
        await sleep(fault.ms);
        if (gone(res)) return true;
        return false;
      case 'rate_limit':
        answer(res, op, documentedAnswer(op, { status: 429 }, (details) => new ApiError('internal_error', details)), fault.retry_after);
        return true;
      case 'server_error':
        writer.error(res, undefined, new ApiError('internal_error', forcedBy));
        return true;
      case 'error': {
        const resolved = parsed.errorAnswer;
        if (resolved?.kind === 'documented') answer(res, op, resolved.answer);
        else writer.error(res, undefined, new ApiError(resolved?.key ?? 'internal_error', forcedBy));
        return true;
      }
    }
  }

  return async function injectFault(req, res, next) {
    const prefer = req.headers.prefer;
    if (prefer === undefined && scenarios.size === 0) {
      next();
      return;
    }
    const op = findOperation(req.method, req.path);
    if (!op) {
      next();
      return;
    }
    if (scenarios.size > 0 && (await runScenario(req, res, op))) return;
    if (prefer === undefined) {
      next();
      return;
    }

    let forced: DocumentedAnswer | undefined;
    let prefs: Preferences;
    try {
      prefs = parsePrefer(Array.isArray(prefer) ? prefer.join(', ') : prefer);
      if (prefs.code !== undefined || prefs.example !== undefined) {
        forced = documentedAnswer(op, { status: prefs.code, example: prefs.example }, (details) => new ApiError('invalid_prefer_header', `Prefer: ${details}`));
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      writer.error(res, undefined, error);
      return;
    }
    if (prefs.applied.length > 0) res.set('Preference-Applied', prefs.applied.join(', '));
    if (prefs.delay !== undefined && prefs.delay > 0) {
      await sleep(prefs.delay);
      if (gone(res)) return;
    }
    if (!forced) {
      next();
      return;
    }
    if (forced.status !== 401 && forced.status !== 403) checkCredentials(req, op);
    forcedReasons.set(res, `Prefer ${prefs.applied.join(', ')} (example ${forced.example})`);
    answer(res, op, forced);
  };
}
