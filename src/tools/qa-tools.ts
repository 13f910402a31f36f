/**
 * The QA tools of one app: the request journal, the scenario queue, the event
 * hub the dashboard listens to, and the voucher image cache. A reset of the
 * state, however asked for (POST /__mock/reset, or `reset()` of the
 * programmatic API), empties the journal and the queue (back to the starting
 * world) and tells the dashboard.
 */
import type { MockState } from '../app/mock-state';
import { QaEvents } from './qa-events';
import { DEFAULT_JOURNAL_SIZE, RequestJournal } from './request-journal';
import { ScenarioQueue } from './scenario-queue';
import { VoucherImages } from './voucher-images';

/** How long announcements of other replicas' writes are gathered into one dashboard event. */
const REPLICA_EVENT_MS = 200;

export interface QaTools {
  journal: RequestJournal;
  scenarios: ScenarioQueue;
  events: QaEvents;
  images: VoucherImages;
}

export interface QaToolOptions {
  /** Entries the journal keeps (0 turns it off). */
  journalSize?: number;
  parseQuery(text: string): Record<string, unknown>;
}

export function createQaTools(state: MockState, options: QaToolOptions): QaTools {
  const tools: QaTools = {
    journal: new RequestJournal(options.journalSize ?? DEFAULT_JOURNAL_SIZE, options.parseQuery),
    scenarios: new ScenarioQueue(() => state.clock.nowIso()),
    events: new QaEvents(),
    images: new VoucherImages(),
  };
  // Other replicas' writes (a shared PostgreSQL): the dashboards refresh, at most every REPLICA_EVENT_MS.
  let replicaEvent: NodeJS.Timeout | undefined;
  state.data.onChange?.(() => {
    replicaEvent ??= setTimeout(() => {
      replicaEvent = undefined;
      tools.events.emit('state', () => ({ reason: 'replica' }));
    }, REPLICA_EVENT_MS).unref();
  });
  state.onReset(() => {
    tools.journal.clear();
    tools.scenarios.clear(true);
    tools.events.emit('state', () => ({ reason: 'reset' }));
    tools.events.emit('scenarios', () => tools.scenarios.list());
  });
  return tools;
}
