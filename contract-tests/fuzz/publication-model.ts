/**
 * Sequences: random interleavings of creates (plain, with a source_id, with
 * join_once, by query or by body), join_once repeats, source_id retries and
 * paged lists over two new customers, checked against a small model of the documented rules
 * (fast-check's model-based testing, `fc.commands`):
 *
 * - a join_once repeat for a customer returns the code the customer's earlier
 *   join_once request got;
 * - a retry with a source_id returns the first publication (its id and code),
 *   whatever came in between;
 * - every publication created for a customer is listed for that customer,
 *   over every page;
 * - a code is never held by two customers.
 *
 * Each run of a sequence (every shrink included) names its own customers and
 * source_ids, so runs cannot see each other's state on the target.
 */
import fc from 'fast-check';
import type { Failure } from '../checks/check-outcome';
import { type Exchange, bodyObject, isRecord } from '../exchange';
import type { RequestSpec } from '../http-client';
import { getOperation } from '../../src/spec/operations';
import { renderValue } from '../../src/spec/explain-errors';
import type { TargetData } from '../target-data';
import { SEQUENCE_CHECKS } from './generated-checks';

/** Customers a sequence publishes to (new ones, named after the run and the sequence). */
export const SEQUENCE_CUSTOMERS = 2;
export const MAX_SEQUENCE_STEPS = 10;
/** Pages a list step reads at most; a list of a sequence's own publications never needs more. */
const MAX_PAGES = 12;

export interface SequenceFailure {
  check: string;
  operationId: string;
  exchange: Exchange;
  failures: Failure[];
}

export interface SequenceRun {
  /** Every exchange of the run, in order. */
  steps: Exchange[];
  failures: SequenceFailure[];
  /** The rules that applied to a step, by operation, whether they held or not. */
  applied: Array<{ check: string; operationId: string }>;
  /** Steps skipped because the publication budget was spent. */
  skipped: number;
}

/** What a sequence runs against: the target, the budget, the data and this run's names. */
export interface SequenceWorld {
  data: TargetData;
  /** Sends one step's request; undefined when it was not sent (the run's time is up). */
  send(label: string, request: RequestSpec): Promise<Exchange | undefined>;
  /** Takes one publication from the budget; false when it is spent. */
  takePublication(): boolean;
  customerName(index: number): string;
  sourceIdName(): string;
  /** Waits before listing again when a publication is missing (an index may lag on a deployment). */
  listWaitsMs: readonly number[];
  pause(ms: number): Promise<void>;
}

interface Published {
  id: string;
  codes: string[];
  customer: number;
  operationId: string;
  request: RequestSpec;
}

interface Model {
  world: SequenceWorld;
  run: SequenceRun;
  step: number;
  customers: Array<{ id?: string; joinOnceCode?: string; publications: string[] }>;
  /** The customers a join_once create succeeded for, in order, for repeats. */
  joined: number[];
  publications: Map<string, Published>;
  /** Publications made with a source_id, in order, for retries. */
  withSourceId: string[];
  /** Each code seen, and the customer it was answered to. */
  holders: Map<string, string>;
}

type Real = Record<string, never>;
type Step = fc.AsyncCommand<Model, Real>;
/** One step of a sequence, as `sequenceArbitrary` draws them. */
export type SequenceStep = Step;

const CREATE_FROM_QUERY = 'createPublicationFromQuery';
const CREATE = 'createPublication';
const LIST = 'listPublications';

function codesOf(body: Record<string, unknown> | undefined): string[] {
  if (!body) return [];
  if (isRecord(body.voucher) && typeof body.voucher.code === 'string') return [body.voucher.code];
  return Array.isArray(body.vouchers) ? body.vouchers.filter((c): c is string => typeof c === 'string') : [];
}

function statusWithKey(exchange: Exchange): string {
  const key = bodyObject(exchange)?.key;
  const status = exchange.response?.status ?? exchange.error ?? 'no answer';
  return `${status}${typeof key === 'string' ? ` (key "${key}")` : ''}`;
}

function record(model: Model, check: string, operationId: string, exchange: Exchange, failures: Failure[]): void {
  model.run.applied.push({ check, operationId });
  if (failures.length) model.run.failures.push({ check, operationId, exchange, failures });
}

/** The code-holder rule, on every successful create or retry answer. */
function checkHolders(model: Model, exchange: Exchange, operationId: string): void {
  const body = bodyObject(exchange);
  const customerId = body?.customer_id;
  if (typeof customerId !== 'string') return;
  const failures: Failure[] = [];
  for (const code of codesOf(body)) {
    const holder = model.holders.get(code);
    if (holder !== undefined && holder !== customerId) {
      failures.push({
        where: 'body',
        pointer: isRecord(body?.voucher) ? '/voucher/code' : '/vouchers',
        keyword: 'behaviour',
        received: `${renderValue(code)} answered to ${renderValue(customerId)}`,
        documented: `a code held by one customer: it was answered to ${renderValue(holder)} earlier in the sequence`,
      });
    } else model.holders.set(code, customerId);
  }
  record(model, SEQUENCE_CHECKS.holder, operationId, exchange, failures);
}

class CreateStep implements Step {
  constructor(
    readonly customer: number,
    readonly via: 'query' | 'body',
    readonly mode: 'plain' | 'source_id' | 'join_once',
  ) {}

  check(): boolean {
    return true;
  }

  private request(model: Model): RequestSpec {
    const { data } = model.world;
    const customer = model.world.customerName(this.customer);
    const sourceId = this.mode === 'source_id' ? model.world.sourceIdName() : undefined;
    const joinOnce = this.mode === 'join_once';
    if (this.via === 'query') {
      const query: Record<string, string> = { 'campaign[name]': data.campaign, 'customer[source_id]': customer };
      if (sourceId) query.source_id = sourceId;
      if (joinOnce) query.join_once = 'true';
      return {
        operationId: CREATE_FROM_QUERY,
        method: 'GET',
        path: getOperation(CREATE_FROM_QUERY).path,
        query,
        idempotent: sourceId !== undefined,
      };
    }
    return {
      operationId: CREATE,
      method: 'POST',
      path: getOperation(CREATE).path,
      body: {
        campaign: { name: data.campaign },
        customer: { source_id: customer },
        ...(sourceId ? { source_id: sourceId } : {}),
      },
      ...(joinOnce ? { query: { join_once: 'true' } } : {}),
      idempotent: sourceId !== undefined,
    };
  }

  async run(model: Model): Promise<void> {
    if (!model.world.takePublication()) {
      model.run.skipped++;
      return;
    }
    const request = this.request(model);
    const exchange = await model.world.send(`step${++model.step}:create`, request);
    if (!exchange) return;
    const state = model.customers[this.customer];
    if (!state) return;
    const body = bodyObject(exchange);
    if (exchange.response?.status !== 200 || !body) {
      if (this.mode === 'join_once' && state.joinOnceCode !== undefined) {
        record(model, SEQUENCE_CHECKS.joinOnce, request.operationId, exchange, [
          {
            where: 'status',
            pointer: '',
            keyword: 'behaviour',
            received: statusWithKey(exchange),
            documented:
              `200 with the code ${renderValue(state.joinOnceCode)}, the one the ` +
              `customer's earlier join_once request got`,
          },
        ]);
      }
      return;
    }
    if (typeof body.customer_id === 'string') state.id = body.customer_id;
    checkHolders(model, exchange, request.operationId);
    const codes = codesOf(body);
    if (this.mode === 'join_once') {
      if (state.joinOnceCode === undefined) {
        state.joinOnceCode = codes[0];
        model.joined.push(this.customer);
      } else {
        const failures: Failure[] =
          codes[0] === state.joinOnceCode
            ? []
            : [
                {
                  where: 'body',
                  pointer: '/voucher/code',
                  keyword: 'behaviour',
                  received: `${renderValue(codes[0])} (another code)`,
                  documented:
                    `${renderValue(state.joinOnceCode)}, the code the customer's earlier ` +
                    `join_once request got (join_once repeats return the same code)`,
                },
              ];
        record(model, SEQUENCE_CHECKS.joinOnce, request.operationId, exchange, failures);
      }
    }
    const id = typeof body.id === 'string' ? body.id : undefined;
    if (id === undefined || model.publications.has(id)) return;
    model.publications.set(id, { id, codes, customer: this.customer, operationId: request.operationId, request });
    state.publications.push(id);
    if (this.mode === 'source_id') model.withSourceId.push(id);
  }

  toString(): string {
    return `create(${this.via}, customer ${this.customer}, ${this.mode})`;
  }
}

/** join_once again for a customer who joined already, by query or by body: the same code must come back. */
class RepeatJoinOnceStep implements Step {
  constructor(
    readonly pick: number,
    readonly via: 'query' | 'body',
  ) {}

  check(model: Readonly<Model>): boolean {
    return model.joined.length > 0;
  }

  async run(model: Model): Promise<void> {
    const customer = model.joined[this.pick % model.joined.length];
    if (customer !== undefined) await new CreateStep(customer, this.via, 'join_once').run(model);
  }

  toString(): string {
    return `repeat join_once(${this.pick}, ${this.via})`;
  }
}

class RetryStep implements Step {
  constructor(readonly pick: number) {}

  check(model: Readonly<Model>): boolean {
    return model.withSourceId.length > 0;
  }

  async run(model: Model): Promise<void> {
    const first = model.publications.get(model.withSourceId[this.pick % model.withSourceId.length] ?? '');
    if (!first) return;
    // A retry on a target that breaks the rule may publish again.
    if (!model.world.takePublication()) {
      model.run.skipped++;
      return;
    }
    const exchange = await model.world.send(`step${++model.step}:retry`, first.request);
    if (!exchange) return;
    const body = bodyObject(exchange);
    const failures: Failure[] = [];
    if (exchange.response?.status !== 200 || !body) {
      failures.push({
        where: 'status',
        pointer: '',
        keyword: 'behaviour',
        received: statusWithKey(exchange),
        documented: `200 with the first publication ${first.id} (a retry with the same source_id returns it)`,
      });
    } else {
      if (body.id !== first.id)
        failures.push({
          where: 'body',
          pointer: '/id',
          keyword: 'behaviour',
          received: `${renderValue(body.id)} (another publication)`,
          documented: `${renderValue(first.id)}, the publication the first request with this source_id made`,
        });
      const code = codesOf(body)[0];
      if (code !== first.codes[0])
        failures.push({
          where: 'body',
          pointer: '/voucher/code',
          keyword: 'behaviour',
          received: `${renderValue(code)} (another code)`,
          documented: `${renderValue(first.codes[0])}, the code of the first publication`,
        });
      checkHolders(model, exchange, first.operationId);
    }
    record(model, SEQUENCE_CHECKS.retry, first.operationId, exchange, failures);
  }

  toString(): string {
    return `retry(${this.pick})`;
  }
}

class ListStep implements Step {
  constructor(
    readonly customer: number,
    readonly limit: number,
  ) {}

  check(model: Readonly<Model>): boolean {
    const state = model.customers[this.customer];
    return state?.id !== undefined && state.publications.length > 0;
  }

  /**
   * Every page of the customer's publications; the ids listed, and the last page's answer (where a lost page shows).
   */
  private async readPages(
    model: Model,
    customerId: string,
    label: string,
  ): Promise<{ ids: Set<string>; last?: Exchange; pages: number; total?: number }> {
    const ids = new Set<string>();
    let last: Exchange | undefined;
    let total: number | undefined;
    let pages = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const exchange = await model.world.send(`${label} p${page}`, {
        operationId: LIST,
        method: 'GET',
        path: getOperation(LIST).path,
        query: { customer: customerId, limit: String(this.limit), page: String(page) },
        idempotent: true,
      });
      if (!exchange) break;
      last = exchange;
      pages++;
      const body = bodyObject(exchange);
      const items = Array.isArray(body?.publications) ? body.publications : [];
      if (typeof body?.total === 'number') total = body.total;
      for (const item of items) if (isRecord(item) && typeof item.id === 'string') ids.add(item.id);
      if (
        exchange.response?.status !== 200 ||
        items.length < this.limit ||
        (total !== undefined && page * this.limit >= total)
      )
        break;
    }
    return { ids, pages, ...(last ? { last } : {}), ...(total === undefined ? {} : { total }) };
  }

  async run(model: Model): Promise<void> {
    const state = model.customers[this.customer];
    const customerId = state?.id;
    if (!state || customerId === undefined) return;
    const label = `step${++model.step}:list`;
    const waits = [...model.world.listWaitsMs];
    let listed = await this.readPages(model, customerId, label);
    for (
      let missing = state.publications.filter((id) => !listed.ids.has(id));
      missing.length && waits.length;
      missing = state.publications.filter((id) => !listed.ids.has(id))
    ) {
      await model.world.pause(waits.shift() ?? 0);
      listed = await this.readPages(model, customerId, label);
    }
    if (!listed.last) return;
    const missing = state.publications.filter((id) => !listed.ids.has(id));
    const failures: Failure[] = missing.length
      ? [
          {
            where: 'body',
            pointer: '/publications',
            keyword: 'behaviour',
            received:
              `${listed.ids.size} publication(s) over ${listed.pages} page(s) of ` +
              `limit ` +
              `${this.limit}${listed.total === undefined ? '' : `, total ${listed.total}`}, ` +
              `without ` +
              `${missing[0]}${missing.length > 1 ? ` and ${missing.length - 1} more` : ''}`,
            documented:
              `every publication created for the customer ${customerId} in the ` +
              `sequence (${state.publications.length}), on one page or another`,
          },
        ]
      : [];
    record(model, SEQUENCE_CHECKS.listed, LIST, listed.last, failures);
  }

  toString(): string {
    return `list(customer ${this.customer}, limit ${this.limit})`;
  }
}

/**
 * Random sequences of steps; creates are drawn three times as often as each other step, so there is something to
 * repeat, retry and list.
 */
export function sequenceArbitrary(): fc.Arbitrary<Iterable<Step>> {
  const customer = fc.integer({ min: 0, max: SEQUENCE_CUSTOMERS - 1 });
  const via = fc.constantFrom('body' as const, 'query' as const);
  const create = fc
    .record({ customer, via, mode: fc.constantFrom('plain' as const, 'source_id' as const, 'join_once' as const) })
    .map(({ customer: c, via: v, mode }) => new CreateStep(c, v, mode));
  return fc.commands(
    [
      create,
      create,
      create,
      fc.record({ pick: fc.nat({ max: 7 }), via }).map(({ pick, via: v }) => new RepeatJoinOnceStep(pick, v)),
      fc.nat({ max: 7 }).map((pick) => new RetryStep(pick)),
      fc
        .record({ customer, limit: fc.integer({ min: 1, max: 2 }) })
        .map(({ customer: c, limit }) => new ListStep(c, limit)),
    ],
    { maxCommands: MAX_SEQUENCE_STEPS, size: 'max' },
  );
}

export async function runSequence(steps: Iterable<Step>, world: SequenceWorld): Promise<SequenceRun> {
  const run: SequenceRun = { steps: [], failures: [], applied: [], skipped: 0 };
  const model: Model = {
    world: {
      ...world,
      send: async (label, request) => {
        const exchange = await world.send(label, request);
        if (exchange) run.steps.push(exchange);
        return exchange;
      },
    },
    run,
    step: 0,
    customers: Array.from({ length: SEQUENCE_CUSTOMERS }, () => ({ publications: [] })),
    joined: [],
    publications: new Map(),
    withSourceId: [],
    holders: new Map(),
  };
  await fc.asyncModelRun(() => ({ model, real: {} }), steps);
  return run;
}
