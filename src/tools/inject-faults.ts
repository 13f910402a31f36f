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
import { ApiError } from '../domain/api-error';
import type { ForcedAnswerRequest, ForcedAnswers } from '../api/api-handler';
import type { Operation } from '../spec/operations';
import type { MockState } from '../app/mock-state';
import { type DocumentedAnswer, documentedAnswer } from './documented-answer';
import { type Preferences, parsePrefer } from './prefer-header';
import type { QaEvents } from './qa-events';
import type { ScenarioQueue } from './scenario-queue';

/** `Retry-After` of a forced 429 when none is given. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface FaultContext {
  state: MockState;
  scenarios: ScenarioQueue;
  events: QaEvents;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when the client went away while we waited: nothing more is done for it. */
function gone(request: ForcedAnswerRequest): boolean {
  const { res } = request;
  return res.destroyed || res.socket === null || res.socket.destroyed;
}

/** The API handler's forced-answer step (api-handler.ts), over this app's scenario queue. */
export function injectFaults(ctx: FaultContext): ForcedAnswers {
  const { state, scenarios, events } = ctx;

  function answer(request: ForcedAnswerRequest, documented: DocumentedAnswer, retryAfter?: number): void {
    const body = structuredClone(documented.body);
    if (body !== null && typeof body === 'object') {
      const fields = body as Record<string, unknown>;
      if (typeof fields.request_id === 'string') fields.request_id = state.ids.requestId();
      // A documented error's key, for the log and the journal (the writer replaces it if strict mode refuses the body).
      if (documented.status >= 400 && typeof fields.key === 'string') request.exchange.errorKey = fields.key;
    }
    if (documented.status === 429)
      request.res.setHeader('Retry-After', String(retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS));
    request.send(documented.status, body);
  }

  /** True when a scenario answered (or dropped) the request. */
  async function runScenario(request: ForcedAnswerRequest, op: Operation): Promise<boolean> {
    const taken = scenarios.take({ operationId: op.operationId, query: request.query, body: request.body });
    if (!taken) return false;
    events.emit('scenarios', () => scenarios.list());
    const { scenario, parsed } = taken;
    const { fault } = scenario;
    request.exchange.forced = `scenario ${scenario.id} (${fault.type})`;
    const forcedBy = `Forced by scenario ${scenario.id}${scenario.note ? ` (${scenario.note})` : ''}`;
    switch (fault.type) {
      case 'drop':
        request.req.socket.destroy();
        return true;
      case 'delay':
        await sleep(fault.ms);
        if (gone(request)) return true;
        return false;
      case 'rate_limit':
        answer(
          request,
          documentedAnswer(op, { status: 429 }, (details) => new ApiError('internal_error', details)),
          fault.retry_after,
        );
        return true;
      case 'server_error':
        request.sendError(new ApiError('internal_error', forcedBy));
        return true;
      case 'error': {
        const resolved = parsed.errorAnswer;
        if (resolved?.kind === 'documented') answer(request, resolved.answer);
        else request.sendError(new ApiError(resolved?.key ?? 'internal_error', forcedBy));
        return true;
      }
    }
  }

  return {
    // The hot path: with no Prefer header and an empty queue, one header lookup and one number compare.
    applies: (req) => req.headers.prefer !== undefined || scenarios.size > 0,

    async answer(request) {
      const op = request.operation;
      const prefer = request.req.headers.prefer;
      if (scenarios.size > 0 && (await runScenario(request, op))) return true;
      if (prefer === undefined) return false;

      let forced: DocumentedAnswer | undefined;
      let prefs: Preferences;
      try {
        prefs = parsePrefer(Array.isArray(prefer) ? prefer.join(', ') : prefer);
        if (prefs.code !== undefined || prefs.example !== undefined) {
          forced = documentedAnswer(
            op,
            { status: prefs.code, example: prefs.example },
            (details) => new ApiError('invalid_prefer_header', `Prefer: ${details}`),
          );
        }
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        request.sendError(error);
        return true;
      }
      if (prefs.applied.length > 0) request.res.setHeader('Preference-Applied', prefs.applied.join(', '));
      if (prefs.delay !== undefined && prefs.delay > 0) {
        await sleep(prefs.delay);
        if (gone(request)) return true;
      }
      if (!forced) return false;
      if (forced.status !== 401 && forced.status !== 403) request.authenticate();
      request.exchange.forced = `Prefer ${prefs.applied.join(', ')} (example ${forced.example})`;
      answer(request, forced);
      return true;
    },
  };
}
