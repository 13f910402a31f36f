/**
 * The request journal: what the mock was asked and what it answered, newest
 * first, so QA can see a request without reading logs. A ring buffer (500 by
 * default) in memory, emptied by reset.
 *
 * Bounded by construction, whatever clients send: an entry keeps a masked
 * prefix of the body (BODY_PREFIX_CHARS, flagged `body_truncated` when cut),
 * nothing of the body of a request answered 401 (its error needs none), capped
 * paths, query strings, header values and error details, and a summary of the
 * answer (customer, publication, codes) instead of the answer itself. All
 * entries together keep at most `budgetChars` characters: past it the oldest
 * entries go first. Bodies and headers are masked when the entry is made; the
 * query string is kept as text and parsed (and masked) when the entry is read.
 */
import { MASK, type MaskedJson, maskSecrets, maskedJson, rememberingSecretNames } from './mask-secrets';

export const DEFAULT_JOURNAL_SIZE = 500;
/** Characters of a body an entry keeps. */
export const BODY_PREFIX_CHARS = 4 * 1024;
/** Characters all entries together keep (paths, queries, bodies, headers, errors): ~2 M characters, 2–4 MB. */
export const DEFAULT_JOURNAL_BUDGET_CHARS = 2 * 1024 * 1024;
const PATH_CHARS = 1024;
/** As long as the longest query string the API accepts. */
const QUERY_CHARS = 8 * 1024;
const HEADER_CHARS = 512;
const ERROR_DETAILS_CHARS = 1024;
/** What an entry costs besides its texts (numbers, small fields), counted against the budget. */
const ENTRY_OVERHEAD_CHARS = 256;

/** What the recorder hands over when a request ends. */
export interface JournalRecord {
  time: string;
  method: string;
  path: string;
  /** The raw query string, without `?`; parsed when viewed. */
  queryText: string;
  /** The parsed JSON body as the routes saw it (undefined without one). */
  body: unknown;
  /** Request headers worth showing, as sent; masked when viewed. */
  headers: Record<string, string>;
  /** null when no answer was sent (connection dropped). */
  status: number | null;
  durationMs: number;
  errorKey: string | null;
  /** Why the answer was forced, e.g. `Prefer code=404` or `scenario scn_1 (rate_limit)`. */
  forced: string | null;
  /** The JSON answer, when there was one. */
  answer: unknown;
}

export interface JournalEntry {
  id: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /**
   * The body, masked; its first BODY_PREFIX_CHARS characters as text when it was longer; null without one (or for a
   * 401).
   */
  body: unknown;
  /** True when `body` is not the whole body the client sent: a prefix, or nothing (a 401). */
  body_truncated: boolean;
  headers: Record<string, string>;
  status: number | null;
  duration_ms: number;
  error_key: string | null;
  forced: string | null;
  /** The customer named by the request, or else by the answer. */
  customer: { id: string | null; source_id: string | null };
  publication_id: string | null;
  voucher_codes: string[];
  /** The error body, for answers of 400 and above. */
  error: unknown;
}

export interface JournalFilter {
  /** A path prefix: `/v1/publications` matches `/v1/publications/create` too. */
  path?: string;
  /** An exact status (`404`), a class (`4xx`), or `dropped` for requests answered with nothing. */
  status?: string;
  /** A customer id or source_id, in the request or the answer. */
  customer?: string;
  method?: string;
  /** Only entries newer than this id. */
  after?: number;
  limit?: number;
}

/** One request as kept: only bounded text and small values. */
interface Slot {
  id: number;
  time: string;
  method: string;
  path: string;
  queryText: string;
  /** The masked body as JSON text (possibly cut); null without one or when not kept. */
  body: MaskedJson | null;
  bodyTruncated: boolean;
  /** Header values, capped and masked. */
  headers: Record<string, string>;
  status: number | null;
  durationMs: number;
  errorKey: string | null;
  forced: string | null;
  /** What the view shows of the request's body and the answer, taken when the entry was made. */
  bodyCustomer: unknown;
  answerCustomer: { id: string | null; source_id: string | null; customer_id: string | null };
  publicationId: string | null;
  codes: string[];
  error: unknown;
  /** Characters counted against the budget. */
  chars: number;
  /** Every customer id and source_id the request or its answer names, for the filter; made on first use. */
  customers?: string[];
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A short string as it is; a long one cut (customer ids and codes are short, a hostile one need not be). */
function shortText(value: unknown, max = 256): string | null {
  const found = text(value);
  return found === null ? null : found.slice(0, max);
}

function cap(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

/** The customer a body names: `customer` as an object (its id and source_id) or as a string. */
function bodyCustomerOf(body: unknown): unknown {
  const customer = field(body, 'customer');
  if (typeof customer === 'string') return cap(customer, 256);
  if (customer === null || typeof customer !== 'object') return undefined;
  return { id: shortText(field(customer, 'id')), source_id: shortText(field(customer, 'source_id')) };
}

/** An error body with its `details` capped. */
function cappedError(answer: unknown): unknown {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer))
    return answer === undefined ? null : maskedJson(answer, ERROR_DETAILS_CHARS).text;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(answer)) {
    out[name] =
      typeof value === 'string'
        ? cap(value, ERROR_DETAILS_CHARS)
        : typeof value === 'object' && value !== null
          ? maskSecrets(value)
          : value;
  }
  return out;
}

/** Header values: credentials masked but their presence shown (a bearer token keeps its scheme). */
function maskHeaders(headers: Record<string, string>, isSecret: (name: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization') out[name] = /^\S+\s/.test(value) ? `${value.split(/\s/)[0]!} ${MASK}` : MASK;
    else out[name] = isSecret(name) ? MASK : value;
  }
  return out;
}

function statusMatches(status: number | null, wanted: string): boolean {
  if (wanted === 'dropped') return status === null;
  if (status === null) return false;
  if (/^[1-5]xx$/i.test(wanted)) return Math.floor(status / 100) === Number(wanted[0]);
  return String(status) === wanted;
}

export class RequestJournal {
  private readonly slots: Array<Slot | undefined>;
  private next = 0;
  private count = 0;
  private lastId = 0;
  private chars = 0;
  /** Which field names are secret, remembered: the same names come with every request. */
  private readonly isSecret = rememberingSecretNames();

  constructor(
    readonly capacity: number,
    private readonly parseQuery: (text: string) => Record<string, unknown>,
    readonly budgetChars = DEFAULT_JOURNAL_BUDGET_CHARS,
  ) {
    this.slots = new Array<Slot | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Characters all entries keep now (never above `budgetChars`). */
  get keptChars(): number {
    return this.chars;
  }

  /** Records a finished request, keeping only bounded parts of it; returns its id. */
  add(record: JournalRecord): number {
    if (this.capacity === 0) return 0;
    const slot = this.compact(++this.lastId, record);
    if (this.count === this.capacity) this.evictOldest();
    this.slots[this.next] = slot;
    this.next = (this.next + 1) % this.capacity;
    this.count++;
    this.chars += slot.chars;
    while (this.chars > this.budgetChars && this.count > 1) this.evictOldest();
    return slot.id;
  }

  /** The masked view of one entry by id, while it is still in the buffer. */
  get(id: number): JournalEntry | undefined {
    const slot = this.slots.find((s) => s?.id === id);
    return slot ? this.view(slot) : undefined;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.count = 0;
    this.lastId = 0;
    this.chars = 0;
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    return this.select(filter).entries;
  }

  /**
   * The entries the filter matches, newest first, at most `limit` of them,
   * and how many it matches in all (`total`: what `limit` cut off included),
   * so a page of a filtered journal says how much more there is.
   */
  select(filter: JournalFilter = {}): { entries: JournalEntry[]; total: number } {
    const entries: JournalEntry[] = [];
    const limit = filter.limit ?? this.capacity;
    const method = filter.method?.toUpperCase();
    let total = 0;
    for (let n = 1; n <= this.count; n++) {
      const slot = this.slots[(this.next - n + this.capacity) % this.capacity];
      if (!slot) break;
      if (filter.after !== undefined && slot.id <= filter.after) break;
      if (method !== undefined && slot.method !== method) continue;
      if (filter.path !== undefined && !slot.path.startsWith(filter.path)) continue;
      if (filter.status !== undefined && !statusMatches(slot.status, filter.status)) continue;
      if (filter.customer !== undefined && !this.customers(slot).includes(filter.customer)) continue;
      total++;
      // Only the entries shown are turned into views; the rest are only counted.
      if (entries.length < limit) entries.push(this.view(slot));
    }
    return { entries, total };
  }

  private evictOldest(): void {
    const oldest = (this.next - this.count + this.capacity) % this.capacity;
    const slot = this.slots[oldest];
    this.slots[oldest] = undefined;
    this.count--;
    this.chars -= slot?.chars ?? 0;
  }

  private compact(id: number, record: JournalRecord): Slot {
    // A 401 needs nothing of the body, and an unauthenticated client is the one to fear.
    const keepBody = record.body !== undefined && record.status !== 401;
    const body = keepBody ? maskedJson(record.body, BODY_PREFIX_CHARS, this.isSecret) : null;
    const headers = maskHeaders(record.headers, this.isSecret);
    let headerChars = 0;
    for (const [name, value] of Object.entries(headers)) {
      const capped = cap(value, HEADER_CHARS);
      headers[name] = capped;
      headerChars += name.length + capped.length;
    }
    const ok = record.status !== null && record.status < 400;
    const { answer } = record;
    const answered = field(answer, 'customer');
    const voucher = field(answer, 'voucher');
    const vouchers = field(answer, 'vouchers');
    const codes = !ok
      ? []
      : Array.isArray(vouchers)
        ? vouchers.filter((c): c is string => typeof c === 'string').map((c) => cap(c, 256))
        : [shortText(field(voucher, 'code'))].filter((c): c is string => c !== null);
    const error = !ok && answer !== undefined ? cappedError(answer) : null;
    const path = cap(record.path, PATH_CHARS);
    const queryText = cap(record.queryText, QUERY_CHARS);
    return {
      id,
      time: record.time,
      method: cap(record.method, 16),
      path,
      queryText,
      body,
      bodyTruncated: (body?.cut ?? false) || (record.body !== undefined && !keepBody),
      headers,
      status: record.status,
      durationMs: record.durationMs,
      errorKey: record.errorKey,
      forced: record.forced === null ? null : cap(record.forced, 700),
      bodyCustomer: bodyCustomerOf(record.body),
      answerCustomer: {
        id: shortText(field(answered, 'id')),
        source_id: shortText(field(answered, 'source_id')),
        customer_id: shortText(field(answer, 'customer_id')),
      },
      publicationId: ok && field(answer, 'object') === 'publication' ? shortText(field(answer, 'id')) : null,
      codes: codes.slice(0, 100),
      error,
      chars:
        ENTRY_OVERHEAD_CHARS +
        path.length +
        queryText.length +
        (body?.text.length ?? 0) +
        headerChars +
        (error === null ? 0 : JSON.stringify(error).length) +
        codes.length * 32,
    };
  }

  private parsedQuery(slot: Slot): Record<string, unknown> {
    if (slot.queryText === '') return {};
    try {
      return this.parseQuery(slot.queryText);
    } catch {
      return {};
    }
  }

  private customers(slot: Slot): string[] {
    if (!slot.customers) {
      const query = this.parsedQuery(slot);
      const found = [
        field(field(query, 'customer'), 'id'),
        field(field(query, 'customer'), 'source_id'),
        field(query, 'customer'),
        field(slot.bodyCustomer, 'id'),
        field(slot.bodyCustomer, 'source_id'),
        slot.answerCustomer.customer_id,
        slot.answerCustomer.id,
        slot.answerCustomer.source_id,
      ];
      slot.customers = found.filter((v): v is string => typeof v === 'string' && v !== '');
    }
    return slot.customers;
  }

  /** Made each time an entry is read (from bounded text), so reading keeps nothing more in memory. */
  private view(slot: Slot): JournalEntry {
    const query = this.parsedQuery(slot);
    const requested = field(query, 'customer') ?? slot.bodyCustomer;
    const answered = slot.answerCustomer;
    const customer = {
      id: text(field(requested, 'id')) ?? answered.id ?? answered.customer_id ?? text(requested),
      source_id: text(field(requested, 'source_id')) ?? answered.source_id,
    };
    let body: unknown = null;
    if (slot.body) body = slot.body.cut ? slot.body.text : (JSON.parse(slot.body.text) as unknown);
    return {
      id: slot.id,
      time: slot.time,
      method: slot.method,
      path: slot.path,
      query: maskSecrets(query) as Record<string, unknown>,
      body,
      body_truncated: slot.bodyTruncated,
      headers: { ...slot.headers },
      status: slot.status,
      duration_ms: Math.round(slot.durationMs * 10) / 10,
      error_key: slot.errorKey,
      forced: slot.forced,
      customer,
      publication_id: slot.publicationId,
      voucher_codes: [...slot.codes],
      error: slot.error,
    };
  }
}
