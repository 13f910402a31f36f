/**
 * The request journal: what the mock was asked and what it answered, newest
 * first, so QA can see a request without reading logs. A ring buffer (500 by
 * default) in memory, emptied by reset. Recording is cheap on purpose: a
 * request keeps references to its raw parts, and the masked, parsed view is
 * made (once) only when someone reads the journal.
 */
import { MASK, isSecretName, maskSecrets } from './mask-secrets';

export const DEFAULT_JOURNAL_SIZE = 500;

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
  body: unknown;
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

interface Slot {
  id: number;
  record: JournalRecord;
  view?: JournalEntry;
  /** Every customer id and source_id the request or its answer names, for the filter. */
  customers?: string[];
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Header values: credentials masked but their presence shown (a bearer token keeps its scheme). */
function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization') out[name] = /^\S+\s/.test(value) ? `${value.split(/\s/)[0]!} ${MASK}` : MASK;
    else out[name] = isSecretName(name) ? MASK : value;
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
  private lastId = 0;

  constructor(
    readonly capacity: number,
    private readonly parseQuery: (text: string) => Record<string, unknown>,
  ) {
    this.slots = new Array<Slot | undefined>(capacity);
  }

  get size(): number {
    return Math.min(this.lastId, this.capacity);
  }

  /** Records a finished request; returns its id. */
  add(record: JournalRecord): number {
    if (this.capacity === 0) return 0;
    const id = ++this.lastId;
    this.slots[this.next] = { id, record };
    this.next = (this.next + 1) % this.capacity;
    return id;
  }

  /** The masked view of one entry by id, while it is still in the buffer. */
  get(id: number): JournalEntry | undefined {
    const slot = this.slots.find((s) => s?.id === id);
    return slot ? this.view(slot) : undefined;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.lastId = 0;
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = filter.limit ?? this.capacity;
    const method = filter.method?.toUpperCase();
    for (let n = 1; n <= this.capacity && out.length < limit; n++) {
      const slot = this.slots[(this.next - n + this.capacity) % this.capacity];
      if (!slot) break;
      const { record } = slot;
      if (filter.after !== undefined && slot.id <= filter.after) break;
      if (method !== undefined && record.method !== method) continue;
      if (filter.path !== undefined && !record.path.startsWith(filter.path)) continue;
      if (filter.status !== undefined && !statusMatches(record.status, filter.status)) continue;
      if (filter.customer !== undefined && !this.customers(slot).includes(filter.customer)) continue;
      out.push(this.view(slot));
    }
    return out;
  }

  private parsedQuery(record: JournalRecord): Record<string, unknown> {
    if (record.queryText === '') return {};
    try {
      return this.parseQuery(record.queryText);
    } catch {
      return {};
    }
  }

  private customers(slot: Slot): string[] {
    if (!slot.customers) {
      const { record } = slot;
      const query = this.parsedQuery(record);
      const found = [
        field(field(query, 'customer'), 'id'),
        field(field(query, 'customer'), 'source_id'),
        field(query, 'customer'),
        field(field(record.body, 'customer'), 'id'),
        field(field(record.body, 'customer'), 'source_id'),
        field(record.answer, 'customer_id'),
        field(field(record.answer, 'customer'), 'id'),
        field(field(record.answer, 'customer'), 'source_id'),
      ];
      slot.customers = found.filter((v): v is string => typeof v === 'string' && v !== '');
    }
    return slot.customers;
  }

  private view(slot: Slot): JournalEntry {
    if (slot.view) return slot.view;
    const { record } = slot;
    const query = this.parsedQuery(record);
    const requested = field(query, 'customer') ?? field(record.body, 'customer');
    const answered = field(record.answer, 'customer');
    const customer = {
      id: text(field(requested, 'id')) ?? text(field(answered, 'id')) ?? text(field(record.answer, 'customer_id')) ?? text(requested),
      source_id: text(field(requested, 'source_id')) ?? text(field(answered, 'source_id')),
    };
    const ok = record.status !== null && record.status < 400;
    const voucher = field(record.answer, 'voucher');
    const vouchers = field(record.answer, 'vouchers');
    const codes = ok ? (Array.isArray(vouchers) ? vouchers.filter((c): c is string => typeof c === 'string') : [field(voucher, 'code')].filter((c): c is string => typeof c === 'string')) : [];
    const publicationId = ok && field(record.answer, 'object') === 'publication' ? text(field(record.answer, 'id')) : null;
    slot.view = {
      id: slot.id,
      time: record.time,
      method: record.method,
      path: record.path,
      query: maskSecrets(query) as Record<string, unknown>,
      body: record.body === undefined ? null : maskSecrets(record.body),
      headers: maskHeaders(record.headers),
      status: record.status,
      duration_ms: Math.round(record.durationMs * 10) / 10,
      error_key: record.errorKey,
      forced: record.forced,
      customer,
      publication_id: publicationId,
      voucher_codes: codes,
      error: !ok && record.answer !== undefined ? record.answer : null,
    };
    return slot.view;
  }
}
