/**
 * A test double of an implementation of the Publications API: a small
 * `node:http` server that answers with the spec's own examples (read through
 * operations.ts), adjusted to the request, and keeps just enough state for the
 * behaviour checks (customers, codes, join_once, source_ids, the list) and for
 * the preflight's reads (a voucher by code or id, a customer by id or source_id).
 *
 * Faithful by default, so the suite must pass against it. A `drift` rewrites
 * its answers the way a misbehaving implementation would, and
 * `joinOnceHandsOutNewCodes` breaks the one rule that lives in state; the
 * contract tests use both to prove each drift is caught, and only that drift.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import { getOperation, querySchema } from '../../src/spec/operations';
import { SchemaCompiler, type ValidateFunction } from '../../src/spec/schema-compiler';
import { isRecord } from '../exchange';
import { DEFAULT_TARGET_DATA, MOCK_WORLD, type TargetData } from '../target-data';

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface DoubleRequest {
  operationId: string;
  method: string;
  path: string;
  /** The path's parameters, e.g. `code` of `/v1/vouchers/{code}`, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingMessage['headers'];
}

/** Rewrites an answer (a deep copy: mutate freely). */
export type Drift = (answer: Answer, request: DoubleRequest) => Answer;

export interface DoubleOptions {
  drift?: Drift;
  /** Breaks join_once: every repeat gets a new code. */
  joinOnceHandsOutNewCodes?: boolean;
  /** Answers every n-th request with 429 (Retry-After: 0) before doing anything, as a rate limit does. */
  rateLimitEvery?: number;
  /** One defect the fixed checks miss and `--fuzz` finds (fuzz-defects.test.ts). */
  defect?: HiddenDefect;
  data?: TargetData;
}

/**
 * Defects hidden where the suite's fixed requests never look:
 * - `server_error_for_one_enum_value`: `voucher_type=LUCKY_DRAW` on the list answers 500;
 * - `accepts_limit_above_maximum`: `limit` above 100 is served instead of refused;
 * - `list_loses_pages_after_first`: pages after the first come back empty;
 * - `retry_forgets_after_other_publication`: a source_id retry makes a new publication once the customer got another
 * one in between;
 * - `second_publication_takes_another_customers_code`: a customer's second publication from the campaign gets the code
 * last given to another customer.
 */
export type HiddenDefect =
  | 'server_error_for_one_enum_value'
  | 'accepts_limit_above_maximum'
  | 'list_loses_pages_after_first'
  | 'retry_forgets_after_other_publication'
  | 'second_publication_takes_another_customers_code';

export interface RunningDouble {
  baseUrl: string;
  /** Every request received, for assertions about what the suite sent. */
  received: DoubleRequest[];
  close(): Promise<void>;
}

interface Customer {
  id: string;
  source_id?: string;
  name?: string;
  email?: string;
  metadata: Record<string, unknown>;
}

interface Publication {
  id: string;
  createdAt: string;
  customer: Customer;
  sourceId: string | null;
  codes: string[];
  voucherIds: string[];
  channel: string;
  metadata: Record<string, unknown>;
}

interface VoucherState {
  id: string;
  code: string;
  holderId?: string;
  createdAt: string;
}

class Refusal {
  constructor(readonly answer: Answer) {}
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alnum(length: number): string {
  return [...randomBytes(length)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function example(operationId: string, status: number, name: string): Record<string, unknown> {
  const value = getOperation(operationId).responses.get(status)?.examples[name];
  if (!isRecord(value)) throw new Error(`No example ${name} for ${operationId} ${status}`);
  return clone(value);
}

function refuse(operationId: string, status: number, name: string, patch: Record<string, unknown> = {}): Refusal {
  return new Refusal({ status, body: { ...example(operationId, status, name), ...patch } });
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`spec example: ${what} is not an object`);
  return value;
}

export async function startPublicationsDouble(options: DoubleOptions = {}): Promise<RunningDouble> {
  const data = options.data ?? DEFAULT_TARGET_DATA;
  const seed = example('createPublicationFromQuery', 200, 'seed');
  const seedVoucher = record(seed.voucher, 'seed voucher');
  const seedCustomer = record(seed.customer, 'seed customer');
  const manyTemplate = example('createPublication', 200, 'many_vouchers');
  const listTemplate = record(
    (example('listPublications', 200, 'page').publications as unknown[])[0],
    'listed publication',
  );
  const campaignId = String(seedVoucher.campaign_id);
  const voucherTemplate = example('getVoucher', 200, 'published');
  const customerTemplate = example('getCustomer', 200, 'customer');

  const customers = new Map<string, Customer>();
  const customerBySourceId = new Map<string, string>();
  const vouchers = new Map<string, VoucherState>();
  const publications: Publication[] = [];
  const publicationBySourceId = new Map<string, Publication>();
  const joined = new Map<string, Publication>();
  const received: DoubleRequest[] = [];

  const existing: Customer = {
    id: data.customerId,
    source_id: MOCK_WORLD.customerSourceId,
    name: String(seedCustomer.name),
    email: String(seedCustomer.email),
    metadata: clone(record(seedCustomer.metadata, 'metadata')),
  };
  customers.set(existing.id, existing);
  customerBySourceId.set(MOCK_WORLD.customerSourceId, existing.id);
  vouchers.set(data.voucher, {
    id: String(seedVoucher.id),
    code: data.voucher,
    createdAt: String(seedVoucher.created_at),
  });

  const shortCustomer = (c: Customer): Record<string, unknown> => ({
    id: c.id,
    ...(c.name === undefined ? {} : { name: c.name }),
    ...(c.email === undefined ? {} : { email: c.email }),
    ...(c.source_id === undefined ? {} : { source_id: c.source_id }),
    metadata: clone(c.metadata),
    object: 'customer',
  });

  const common = (p: Publication): Record<string, unknown> => ({
    id: p.id,
    object: 'publication',
    created_at: p.createdAt,
    customer_id: p.customer.id,
    ...(p.customer.source_id === undefined ? {} : { tracking_id: p.customer.source_id }),
    metadata: clone(p.metadata),
    channel: p.channel,
    source_id: p.sourceId,
    result: 'SUCCESS',
    customer: shortCustomer(p.customer),
  });

  const createdAnswer = (p: Publication): Record<string, unknown> => {
    if (p.codes.length > 1) {
      const body: Record<string, unknown> = {
        ...clone(manyTemplate),
        ...common(p),
        vouchers: [...p.codes],
        vouchers_id: [...p.voucherIds],
      };
      if (p.customer.source_id === undefined) delete body.tracking_id;
      return body;
    }
    const code = p.codes[0] ?? '';
    const state = vouchers.get(code);
    const voucher = {
      ...clone(seedVoucher),
      id: p.voucherIds[0],
      code,
      campaign: data.campaign,
      campaign_id: campaignId,
      holder_id: p.customer.id,
      created_at: state?.createdAt ?? p.createdAt,
      updated_at: p.createdAt,
      redemption: {
        ...record(clone(seedVoucher.redemption), 'redemption'),
        url: `/v1/vouchers/${code}/redemptions?page=1&limit=10`,
      },
      publish: { object: 'list', count: 1, url: `/v1/vouchers/${code}/publications?page=1&limit=10` },
    };
    const body: Record<string, unknown> = { ...clone(seed), ...common(p), vouchers_id: [...p.voucherIds], voucher };
    if (p.customer.source_id === undefined) delete body.tracking_id;
    return body;
  };

  const listedAnswer = (p: Publication): Record<string, unknown> => {
    const base: Record<string, unknown> = { ...clone(listTemplate), ...common(p), vouchers_id: [...p.voucherIds] };
    if (p.customer.source_id === undefined) delete base.tracking_id;
    if (p.codes.length > 1) {
      delete base.voucher;
      return { ...base, vouchers: [...p.codes] };
    }
    return {
      ...base,
      voucher: { ...record(clone(listTemplate.voucher), 'listed voucher'), code: p.codes[0], campaign: data.campaign },
    };
  };

  const newCode = (): VoucherState => {
    const state: VoucherState = { id: `v_${alnum(32)}`, code: alnum(8), createdAt: new Date().toISOString() };
    vouchers.set(state.code, state);
    return state;
  };

  interface CreateInput {
    customer: unknown;
    voucher?: string;
    campaignName?: string;
    count: number;
    sourceId?: string;
    joinOnce: boolean;
    channel?: string;
    metadata?: Record<string, unknown>;
  }

  const publish = (operationId: string, input: CreateInput): Answer => {
    const missingCustomer = operationId === 'createPublication' ? 'invalid_payload' : 'invalid_query_params';
    if (!isRecord(input.customer)) throw refuse(operationId, 400, missingCustomer);
    const { id, source_id: sourceId } = input.customer;
    let customer: Customer;
    if (typeof id === 'string' && id) {
      const found = customers.get(id);
      if (!found)
        throw refuse(operationId, 404, 'not_found', { resource_id: id, details: `Cannot find customer with id ${id}` });
      customer = found;
    } else if (typeof sourceId === 'string' && sourceId) {
      const knownId = customerBySourceId.get(sourceId);
      customer = (knownId && customers.get(knownId)) || { id: `cust_${alnum(24)}`, source_id: sourceId, metadata: {} };
      if (typeof input.customer.name === 'string') customer.name = input.customer.name;
      customers.set(customer.id, customer);
      customerBySourceId.set(sourceId, customer.id);
    } else {
      throw refuse(operationId, 400, missingCustomer);
    }
    if (!input.voucher && !input.campaignName) throw refuse(operationId, 400, 'missing_vouchers');
    if (!input.voucher && operationId === 'createPublicationFromQuery' && input.count > 1)
      throw refuse(operationId, 400, 'too_many_vouchers_requested');
    if (input.sourceId) {
      const earlier = publicationBySourceId.get(input.sourceId);
      const forgotten =
        options.defect === 'retry_forgets_after_other_publication' &&
        earlier !== undefined &&
        publications.some(
          (p) =>
            p !== earlier && p.customer.id === customer.id && publications.indexOf(p) > publications.indexOf(earlier),
        );
      if (earlier && !forgotten) {
        if (earlier.customer.id === customer.id && (!input.voucher || earlier.codes.includes(input.voucher)))
          return { status: 200, body: createdAnswer(earlier) };
        throw refuse(operationId, 400, 'duplicate_source_id', {
          details: `Publication with source_id: '${input.sourceId}' already exists`,
        });
      }
    }
    let codes: VoucherState[];
    if (input.voucher) {
      const state = vouchers.get(input.voucher);
      if (!state)
        throw refuse(operationId, 404, 'not_found_voucher', {
          resource_id: input.voucher,
          details: `Cannot find voucher with id ${input.voucher}`,
        });
      if (state.holderId)
        throw refuse(operationId, 400, 'voucher_already_published', {
          details: `Voucher '${state.id}' has already been published`,
        });
      codes = [state];
    } else {
      if (input.campaignName !== data.campaign && input.campaignName !== campaignId) {
        throw refuse(operationId, 404, 'not_found_campaign', {
          resource_id: input.campaignName,
          details: `Cannot find campaign with id ${input.campaignName}`,
        });
      }
      const earlier = input.joinOnce ? joined.get(customer.id) : undefined;
      // GET …/create answers one voucher: a customer who joined with several codes gets the documented refusal, as the
      // mock answers.
      if (earlier && operationId === 'createPublicationFromQuery' && earlier.codes.length > 1)
        throw refuse(operationId, 400, 'voucher_cannot_be_published');
      if (earlier && !options.joinOnceHandsOutNewCodes) return { status: 200, body: createdAnswer(earlier) };
      codes = Array.from({ length: input.count }, newCode);
      if (
        options.defect === 'second_publication_takes_another_customers_code' &&
        input.count === 1 &&
        publications.some((p) => p.customer.id === customer.id)
      ) {
        const others = publications.filter((p) => p.customer.id !== customer.id && p.codes.length === 1);
        const taken = vouchers.get(others[others.length - 1]?.codes[0] ?? '');
        if (taken) codes = [taken];
      }
    }
    const publication: Publication = {
      id: `pub_${alnum(32)}`,
      createdAt: new Date().toISOString(),
      customer,
      sourceId: input.sourceId ?? null,
      codes: codes.map((c) => c.code),
      voucherIds: codes.map((c) => c.id),
      channel: input.channel ?? 'API',
      metadata: input.metadata ?? {},
    };
    for (const c of codes) c.holderId = customer.id;
    publications.push(publication);
    if (input.sourceId) publicationBySourceId.set(input.sourceId, publication);
    if (input.joinOnce && !input.voucher) joined.set(customer.id, publication);
    return { status: 200, body: createdAnswer(publication) };
  };

  const deepObject = (query: URLSearchParams, name: string): Record<string, string> | undefined => {
    const out: Record<string, string> = {};
    let found = false;
    for (const [key, value] of query) {
      const match = new RegExp(`^${name}\\[([^\\]]+)\\]$`).exec(key);
      if (match?.[1]) {
        out[match[1]] = value;
        found = true;
      }
    }
    return found ? out : undefined;
  };

  const handlers: Record<string, (req: DoubleRequest) => Answer> = {
    createPublicationFromQuery: (req) => {
      const campaign = deepObject(req.query, 'campaign');
      return publish(req.operationId, {
        customer: deepObject(req.query, 'customer'),
        ...(req.query.get('voucher') ? { voucher: req.query.get('voucher') ?? '' } : {}),
        ...(campaign?.name ? { campaignName: campaign.name } : {}),
        count: Number(campaign?.count ?? 1),
        ...(req.query.get('source_id') ? { sourceId: req.query.get('source_id') ?? '' } : {}),
        joinOnce: req.query.get('join_once') === 'true',
        metadata: deepObject(req.query, 'metadata') ?? {},
      });
    },
    createPublication: (req) => {
      if (!isRecord(req.body)) throw refuse(req.operationId, 400, 'invalid_payload');
      const { campaign, voucher, source_id: sourceId, channel, metadata, customer } = req.body;
      const campaignName =
        typeof campaign === 'string'
          ? campaign
          : isRecord(campaign) && typeof campaign.name === 'string'
            ? campaign.name
            : undefined;
      const count = isRecord(campaign) && typeof campaign.count === 'number' ? campaign.count : 1;
      return publish(req.operationId, {
        customer,
        ...(typeof voucher === 'string' ? { voucher } : {}),
        ...(campaignName ? { campaignName } : {}),
        count,
        ...(typeof sourceId === 'string' ? { sourceId } : {}),
        joinOnce: req.query.get('join_once') === 'true',
        ...(typeof channel === 'string' ? { channel } : {}),
        ...(isRecord(metadata) ? { metadata } : {}),
      });
    },
    listPublications: (req) => {
      const page = Number(req.query.get('page') ?? 1);
      const limit = Number(req.query.get('limit') ?? 10);
      const limitAllowed = options.defect === 'accepts_limit_above_maximum' ? Number.POSITIVE_INFINITY : 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > limitAllowed || !Number.isInteger(page) || page < 1)
        throw refuse(req.operationId, 400, 'invalid_query_params');
      if (options.defect === 'server_error_for_one_enum_value' && req.query.get('voucher_type') === 'LUCKY_DRAW') {
        throw new Refusal({
          status: 500,
          body: { code: 500, key: 'internal_error', message: 'Internal error', details: 'no campaign type lucky_draw' },
        });
      }
      if (page > 1000) throw refuse(req.operationId, 400, 'page_over_limit');
      const sourceId = req.query.get('source_id');
      const customerId = req.query.get('customer');
      const matching = publications
        .filter(
          (p) =>
            (sourceId === null || p.sourceId === sourceId) && (customerId === null || p.customer.id === customerId),
        )
        .reverse();
      const pageItems =
        options.defect === 'list_loses_pages_after_first' && page > 1
          ? []
          : matching.slice((page - 1) * limit, page * limit).map(listedAnswer);
      return {
        status: 200,
        body: { object: 'list', data_ref: 'publications', publications: pageItems, total: matching.length },
      };
    },
  };

  const findVoucher = (codeOrId: string): VoucherState | undefined =>
    vouchers.get(codeOrId) ?? [...vouchers.values()].find((v) => v.id === codeOrId);
  const findCustomer = (idOrSourceId: string): Customer | undefined => {
    const bySourceId = customerBySourceId.get(idOrSourceId);
    return customers.get(idOrSourceId) ?? (bySourceId === undefined ? undefined : customers.get(bySourceId));
  };

  handlers.getVoucher = (req) => {
    const code = req.params.code ?? '';
    const state = findVoucher(code);
    if (!state)
      throw refuse(req.operationId, 404, 'not_found_voucher', {
        resource_id: code,
        details: `Cannot find voucher with id ${code}`,
      });
    const body: Record<string, unknown> = {
      ...clone(voucherTemplate),
      id: state.id,
      code: state.code,
      campaign: data.campaign,
      campaign_id: campaignId,
      created_at: state.createdAt,
      holder_id: state.holderId,
      redemption: {
        ...record(clone(voucherTemplate.redemption), 'redemption'),
        url: `/v1/vouchers/${state.code}/redemptions?page=1&limit=10`,
      },
      publish: {
        object: 'list',
        count: state.holderId ? 1 : 0,
        url: `/v1/vouchers/${state.code}/publications?page=1&limit=10`,
      },
    };
    if (!state.holderId) delete body.holder_id;
    return { status: 200, body };
  };

  handlers.getCustomer = (req) => {
    const idOrSourceId = req.params.customerId ?? '';
    const customer = findCustomer(idOrSourceId);
    if (!customer)
      throw refuse(req.operationId, 404, 'not_found', {
        resource_id: idOrSourceId,
        details: `Cannot find customer with id ${idOrSourceId}`,
      });
    const body: Record<string, unknown> = {
      ...clone(customerTemplate),
      id: customer.id,
      source_id: customer.source_id ?? null,
      metadata: clone(customer.metadata),
    };
    for (const field of ['name', 'email'] as const) {
      if (customer[field] === undefined) delete body[field];
      else body[field] = customer[field];
    }
    return { status: 200, body };
  };

  // Each operation's path, segment by segment: `{name}` matches any one segment and names it.
  const routes = Object.keys(handlers).map((operationId) => {
    const op = getOperation(operationId);
    return { operationId, method: op.method.toUpperCase(), segments: op.path.split('/') };
  });
  const route = (method: string, path: string): { operationId: string; params: Record<string, string> } | undefined => {
    const segments = path.split('/');
    for (const candidate of routes) {
      if (candidate.method !== method || candidate.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = candidate.segments.every((expected, i) => {
        const actual = segments[i] ?? '';
        const name = /^\{(\w+)\}$/.exec(expected)?.[1];
        if (name === undefined) return expected === actual;
        params[name] = decodeURIComponent(actual);
        return actual !== '';
      });
      if (matches) return { operationId: candidate.operationId, params };
    }
    return undefined;
  };

  // Requests are validated against the spec, as every conforming implementation does (the mock, Prism): a generated
  // invalid request gets its 400.
  const queryCompiler = new SchemaCompiler(undefined, { coerce: true });
  const bodyCompiler = new SchemaCompiler();
  const validators = new Map<string, { query: ValidateFunction; body?: ValidateFunction }>();
  for (const operationId of Object.keys(handlers)) {
    const op = getOperation(operationId);
    validators.set(operationId, {
      query: queryCompiler.compile(querySchema(op)),
      ...(op.bodySchema ? { body: bodyCompiler.compile(op.bodySchema) } : {}),
    });
  }
  const validate = (operationId: string, search: string, body: unknown): void => {
    const validator = validators.get(operationId);
    if (!validator) return;
    const query = qs.parse(search, { depth: 5, arrayLimit: 100, allowPrototypes: false }) as Record<string, unknown>;
    // The defect skips the limit's maximum: the rest of the query is still checked.
    if (options.defect === 'accepts_limit_above_maximum' && Number(query.limit) > 100) delete query.limit;
    if (!validator.query(query)) throw refuse(operationId, 400, 'invalid_query_params');
    if (validator.body && (body === undefined || !validator.body(body)))
      throw refuse(operationId, 400, 'invalid_payload');
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double.invalid');
      const routed = route(req.method ?? 'GET', url.pathname);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      let unreadable = false;
      // A body is read as JSON only when it says it is JSON.
      const isJson = /^application\/(?:[\w.+-]+\+)?json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
      try {
        body = text && isJson ? JSON.parse(text) : undefined;
      } catch {
        unreadable = true;
      }
      if (!routed) return write(res, { status: 404, body: { code: 404, key: 'not_found', message: 'No such route' } });
      const { operationId, params } = routed;
      const request: DoubleRequest = {
        operationId,
        method: req.method ?? 'GET',
        path: url.pathname,
        params,
        query: url.searchParams,
        body,
        headers: req.headers,
      };
      received.push(request);
      let answer: Answer;
      try {
        if (options.rateLimitEvery && received.length % options.rateLimitEvery === 0) {
          throw new Refusal({
            ...refuse(operationId, 429, 'too_many_requests').answer,
            headers: { 'Retry-After': '0' },
          });
        }
        if (!authenticated(req)) throw refuse(operationId, 401, 'unauthorized');
        if (unreadable) throw refuse(operationId, 400, 'invalid_payload');
        validate(operationId, url.search.slice(1), body);
        answer = handlers[operationId]?.(request) ?? { status: 500, body: {} };
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        answer = error.answer;
      }
      write(res, options.drift ? options.drift(clone(answer), request) : answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function authenticated(req: IncomingMessage): boolean {
  const appId = req.headers['x-app-id'];
  const appToken = req.headers['x-app-token'];
  const authorization = req.headers.authorization ?? '';
  return (
    (typeof appId === 'string' && appId !== '' && typeof appToken === 'string' && appToken !== '') ||
    /^Bearer \S+/.test(authorization)
  );
}

function write(res: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(text);
}
