/**
 * Queued faults for runs where the client cannot set headers (an app under
 * test): the next N requests matching a method and path (and optionally query
 * or body fields) get an error, a delay, a 429, a 500 or a dropped connection.
 * In memory, first queued first matched, one scenario per request; a scenario
 * is gone once used up. `size` is read on every request, so it is a field.
 */
import type { FieldValue, ParsedScenario, ScenarioInput } from './scenario-input';

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
}

/** `customer[source_id]` and `customer.source_id` both name ['customer', 'source_id']. */
function fieldPath(name: string): string[] {
  return name.split(/[.[\]]+/).filter(Boolean);
}

function lookup(value: unknown, path: string[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
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
  /** How many scenarios are queued. */
  size = 0;

  constructor(private readonly now: () => string) {}

  add(parsed: ParsedScenario): Scenario {
    const scenario: Scenario = {
      id: `scn_${++this.counter}`,
      ...parsed.input,
      operation_id: parsed.operation.operationId,
      remaining: parsed.input.times,
      created_at: this.now(),
    };
    this.entries.push({ scenario, parsed });
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
    return this.entries.length < before;
  }

  /** Empties the queue; `restartIds` (a reset) also numbers the next scenario scn_1 again. */
  clear(restartIds = false): void {
    this.entries = [];
    this.size = 0;
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
      }
      return { scenario: { ...scenario }, parsed: entry.parsed };
    }
    return undefined;
  }
}
