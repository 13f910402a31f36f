/**
 * Queued faults for runs where the client cannot set headers (an app under
 * test): the next N requests matching a method and path (and optionally query
 * or body fields) get an error, a delay, a 429, a 500 or a dropped connection.
 * In memory, first queued first matched, one scenario per request; a scenario
 * is gone once used up. `size` is read on every request, so it is a field.
 * Bounded: at most MAX_SCENARIOS scenarios of MAX_QUEUE_CHARS characters
 * (as JSON) in all; beyond, 409 `scenario_queue_full` and nothing is queued.
 */
import { ApiError } from '../domain/api-error';
import type { FieldValue, ParsedScenario, ScenarioInput } from './scenario-input';

export const MAX_SCENARIOS = 100;
/**
 * Characters of all queued scenarios together, as JSON: what `GET /__mock/scenarios` and each `scenarios` event carry.
 */
export const MAX_QUEUE_CHARS = 256 * 1024;

export interface Scenario extends ScenarioInput {
  id: string;
  operation_id: string;
  times: number;
  remaining: number;
  created_at: string;
}

/** What a matching request can show the queue (its query is parsed only when a scenario asks for a query field). */
export interface ScenarioRequest {
  operationId: string;
  query(): unknown;
  body: unknown;
}

interface Entry {
  scenario: Scenario;
  parsed: ParsedScenario;
  /** Its size as JSON, counted against MAX_QUEUE_CHARS. */
  chars: number;
}

/** `customer[source_id]` and `customer.source_id` both name ['customer', 'source_id']. */
function fieldPath(name: string): string[] {
  return name.split(/[.[\]]+/).filter(Boolean);
}

function lookup(value: unknown, path: string[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part))
      return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function queryMatches(query: unknown, wanted: Record<string, FieldValue>): boolean {
  return Object.entries(wanted).every(([name, value]) => {
    const actual = lookup(query, fieldPath(name));
    return typeof actual === 'string' && actual === String(value);
  });
}

function bodyMatches(body: unknown, wanted: Record<string, FieldValue>): boolean {
  return Object.entries(wanted).every(([name, value]) => lookup(body, fieldPath(name)) === value);
}

export class ScenarioQueue {
  private entries: Entry[] = [];
  private counter = 0;
  private chars = 0;
  /** How many scenarios are queued. */
  size = 0;

  constructor(private readonly now: () => string) {}

  /** Queues a scenario; throws `scenario_queue_full` (and queues nothing) past the bounds. */
  add(parsed: ParsedScenario): Scenario {
    const chars = JSON.stringify(parsed.input).length;
    if (this.entries.length >= MAX_SCENARIOS) {
      throw new ApiError(
        'scenario_queue_full',
        `The scenario queue holds ${this.entries.length} scenarios, the most ` +
          `it takes; remove some (DELETE /__mock/scenarios or ` +
          `/__mock/scenarios/{id}) first`,
      );
    }
    if (this.chars + chars > MAX_QUEUE_CHARS) {
      throw new ApiError(
        'scenario_queue_full',
        `The scenario queue holds ${this.chars} characters of scenarios; with ` +
          `this one (${chars}) it would pass its limit of ${MAX_QUEUE_CHARS}; ` +
          `remove some first`,
      );
    }
    const scenario: Scenario = {
      id: `scn_${++this.counter}`,
      ...parsed.input,
      operation_id: parsed.operation.operationId,
      remaining: parsed.input.times,
      created_at: this.now(),
    };
    this.entries.push({ scenario, parsed, chars });
    this.chars += chars;
    this.size = this.entries.length;
    return { ...scenario };
  }

  list(): Scenario[] {
    return this.entries.map((e) => ({ ...e.scenario }));
  }

  /** Removes one scenario; false when there is none with that id. */
  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.scenario.id !== id);
    this.size = this.entries.length;
    this.chars = this.entries.reduce((sum, e) => sum + e.chars, 0);
    return this.entries.length < before;
  }

  /** Empties the queue; `restartIds` (a reset) also numbers the next scenario scn_1 again. */
  clear(restartIds = false): void {
    this.entries = [];
    this.size = 0;
    this.chars = 0;
    if (restartIds) this.counter = 0;
  }

  /** The first scenario the request matches, counted down (and removed when used up); undefined when none. */
  take(request: ScenarioRequest): { scenario: Scenario; parsed: ParsedScenario } | undefined {
    let query: unknown;
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      const { scenario } = entry;
      if (scenario.operation_id !== request.operationId) continue;
      if (scenario.query) {
        query ??= request.query();
        if (!queryMatches(query, scenario.query)) continue;
      }
      if (scenario.body && !bodyMatches(request.body, scenario.body)) continue;
      scenario.remaining--;
      if (scenario.remaining <= 0) {
        this.entries.splice(i, 1);
        this.size = this.entries.length;
        this.chars -= entry.chars;
      }
      return { scenario: { ...scenario }, parsed: entry.parsed };
    }
    return undefined;
  }
}
