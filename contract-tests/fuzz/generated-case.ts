/**
 * The requests `--fuzz` sends, generated per operation from the spec: its path
 * parameters, its query parameters (deepObjects included) and its body, read
 * through operations.ts. A positive case is valid by the spec and built from
 * the target's data (target-values.ts); a negative case breaks exactly one
 * constraint (schema-breaches.ts), or sends a body that is no JSON, a body
 * under another content type, or half of the credentials the security
 * requirement asks for.
 *
 * Every case is checked against the spec's own request schemas (AJV, the
 * query coerced as a server reads it): a breach is kept only when the cases it
 * makes are refused by the schema, so no negative case can be valid.
 */
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv/dist/2020';
import type { Credentials } from '../credentials';
import { isRecord } from '../exchange';
import type { RequestSpec } from '../http-client';
import { type Operation, getOperation, querySchema } from '../../src/spec/operations';
import { SchemaCompiler } from '../../src/spec/schema-compiler';
import { type OpenApiDocument, loadSpec } from '../../src/spec/spec-document';
import { type Breach, brokenValue, deriveBreaches, describePath } from './schema-breaches';
import { FRESH_NAME, type RequestPart, type ValuesAt } from './target-values';
import { type GenerationContext, validValue } from './valid-value';

export interface GeneratedCase {
  operationId: string;
  kind: 'positive' | 'negative';
  /** What a negative case breaks, for reports: `query limit: above the maximum 100`. */
  breach?: string;
  pathParams: Record<string, string>;
  /** The query parameters as meant (deepObjects as objects, every leaf text). */
  query: Record<string, unknown>;
  body?: unknown;
  /** Sent instead of `body`, as it is: a body that is no JSON, or JSON under another content type. */
  bodyText?: string;
  contentType?: string;
  /** Credential headers left out. */
  omitHeaders?: string[];
}

export interface NegativeCases {
  /** `query limit: above the maximum 100`. */
  breach: string;
  keyword: string;
  /**
   * Where the broken value is: the part of the request, and a JSON pointer into it (the query as meant, or the body).
   */
  part: 'query' | 'body' | 'header';
  pointer: string;
  arbitrary: fc.Arbitrary<GeneratedCase>;
}

export interface CaseFactoryOptions {
  valuesAt: ValuesAt;
  /** Optional fields to leave out most of the time (target-values.ts). */
  rarely?: (part: RequestPart, pointer: string) => boolean;
  /** The kind of credentials the run sends: which security requirement a header case breaks. */
  credentials: Credentials['kind'];
  doc?: OpenApiDocument;
}

/** Cases sampled from each breach, with a fixed seed, to prove they are all refused by the schema. */
const BREACH_SAMPLES = 8;
const WRONG_CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded'] as const;
/**
 * The longest query string a case may have, encoded. Servers refuse long URLs
 * (the mock above 8 KiB, with a documented 413); a case that long would test
 * the limit, not what it was generated for.
 */
export const MAX_QUERY_BYTES = 4096;

/** The case's query string, encoded, fits in MAX_QUERY_BYTES. */
function fitsInUrl(generated: GeneratedCase): boolean {
  return new URLSearchParams(flattenQuery(generated.query)).toString().length <= MAX_QUERY_BYTES;
}

export class CaseFactory {
  private readonly doc: OpenApiDocument;
  private readonly queryCompiler: SchemaCompiler;
  private readonly bodyCompiler: SchemaCompiler;
  private readonly validators = new Map<string, { query: ValidateFunction; body?: ValidateFunction }>();

  constructor(private readonly options: CaseFactoryOptions) {
    this.doc = options.doc ?? loadSpec();
    this.queryCompiler = new SchemaCompiler(this.doc, { coerce: true });
    this.bodyCompiler = new SchemaCompiler(this.doc);
  }

  /** Whether the spec accepts the case's query and body (path parameters and headers aside). */
  isValid(generated: GeneratedCase): boolean {
    if (generated.bodyText !== undefined || generated.omitHeaders?.length) return false;
    const { query, body } = this.validatorsOf(generated.operationId);
    // Coercion writes into the value: validate a copy.
    if (!query(structuredClone(generated.query))) return false;
    return body === undefined || body(generated.body);
  }

  positive(operationId: string): fc.Arbitrary<GeneratedCase> {
    const op = getOperation(operationId);
    return fc
      .record(
        { pathParams: this.pathParams(op), query: this.validQuery(op), body: this.validBody(op) },
        { noNullPrototype: true },
      )
      .map(({ pathParams, query, body }) => caseOf(op, 'positive', pathParams, query, body))
      .filter((generated) => fitsInUrl(generated) && this.isValid(generated));
  }

  /** One generator per way of breaking the operation's request, each refused by the spec. */
  negatives(operationId: string): NegativeCases[] {
    const op = getOperation(operationId);
    const out: NegativeCases[] = [];
    const pathParams = this.pathParams(op);
    const query = this.validQuery(op);
    const body = this.validBody(op);
    const qs = querySchema(op);
    for (const breach of deriveBreaches(qs, 'query', 'query', this.doc)) {
      const broken = brokenValue(qs, breach, this.context('query'), { noExtras: true });
      const label = describeBreach('query', breach);
      out.push({
        breach: label,
        keyword: breach.keyword,
        part: 'query',
        pointer: pointerOf(breach),
        arbitrary: fc
          .tuple(pathParams, broken, body)
          .map(([p, q, b]) => caseOf(op, 'negative', p, q as Record<string, unknown>, b, { breach: label })),
      });
    }
    if (op.bodySchema) {
      for (const breach of deriveBreaches(op.bodySchema, 'json', 'body', this.doc)) {
        const broken = brokenValue(op.bodySchema, breach, this.context('body'));
        const label = describeBreach('body', breach);
        out.push({
          breach: label,
          keyword: breach.keyword,
          part: 'body',
          pointer: pointerOf(breach),
          arbitrary: fc
            .tuple(pathParams, query, broken)
            .map(([p, q, b]) => caseOf(op, 'negative', p, q, b, { breach: label })),
        });
      }
      const malformed = 'body: not JSON';
      out.push({
        breach: malformed,
        keyword: 'json',
        part: 'body',
        pointer: '',
        // A JSON object's text cut short is never JSON; it shrinks to "{".
        arbitrary: fc.tuple(pathParams, query, body, fc.nat()).map(([p, q, b, cut]) => {
          const whole = JSON.stringify(b);
          return caseOf(op, 'negative', p, q, undefined, {
            breach: malformed,
            bodyText: whole.slice(0, 1 + (cut % Math.max(1, whole.length - 1))),
            contentType: 'application/json',
          });
        }),
      });
      const wrongType = `Content-Type: not application/json (the only media type of the request body)`;
      out.push({
        breach: wrongType,
        keyword: 'content-type',
        part: 'header',
        pointer: 'Content-Type',
        arbitrary: fc
          .tuple(pathParams, query, body, fc.constantFrom(...WRONG_CONTENT_TYPES))
          .map(([p, q, b, contentType]) =>
            caseOf(op, 'negative', p, q, undefined, {
              breach: `Content-Type: ${contentType} (the request body is documented as application/json only)`,
              bodyText: JSON.stringify(b),
              contentType,
            }),
          ),
      });
    }
    for (const header of this.credentialHeaders(op)) {
      const label = `header ${header.name}: left out (the security requirement ${header.requirement})`;
      out.push({
        breach: label,
        keyword: 'security',
        part: 'header',
        pointer: header.name,
        arbitrary: fc
          .tuple(pathParams, query, body)
          .map(([p, q, b]) => caseOf(op, 'negative', p, q, b, { breach: label, omitHeaders: [header.name] })),
      });
    }
    return out
      .filter((negative) => this.alwaysRefused(negative))
      .map((negative) => ({ ...negative, arbitrary: negative.arbitrary.filter(fitsInUrl) }));
  }

  /**
   * Proves a breach by sampling: every case it makes is refused by the schema (a fixed seed, so the same breaches
   * every run).
   */
  private alwaysRefused(negative: NegativeCases): boolean {
    if (negative.keyword === 'json' || negative.keyword === 'content-type' || negative.keyword === 'security')
      return true;
    return fc
      .sample(negative.arbitrary, { seed: 1, numRuns: BREACH_SAMPLES })
      .every((generated) => !this.isValid(generated));
  }

  private validatorsOf(operationId: string): { query: ValidateFunction; body?: ValidateFunction } {
    let hit = this.validators.get(operationId);
    if (!hit) {
      const op = getOperation(operationId);
      hit = {
        query: this.queryCompiler.compile(querySchema(op)),
        ...(op.bodySchema ? { body: this.bodyCompiler.compile(op.bodySchema) } : {}),
      };
      this.validators.set(operationId, hit);
    }
    return hit;
  }

  private context(part: RequestPart): GenerationContext {
    const rarely = this.options.rarely;
    return {
      medium: part === 'body' ? 'json' : 'query',
      valuesAt: (pointer, random) => this.options.valuesAt(part, pointer, random),
      ...(rarely ? { rarely: (pointer: string) => rarely(part, pointer) } : {}),
      doc: this.doc,
    };
  }

  private pathParams(op: Operation): fc.Arbitrary<Record<string, string>> {
    const model: Record<string, fc.Arbitrary<string>> = {};
    for (const param of op.parameters.filter((p) => p.in === 'path')) {
      // "." and ".." are dot segments: a URL drops them (RFC 3986), so the request would address another path.
      model[param.name] = (
        validValue(
          param.schema ?? { type: 'string', minLength: 1 },
          this.context('path'),
          `/${param.name}`,
        ) as fc.Arbitrary<string>
      ).filter((v) => v !== '.' && v !== '..');
    }
    return fc.record(model, { noNullPrototype: true });
  }

  private validQuery(op: Operation): fc.Arbitrary<Record<string, unknown>> {
    // Unknown query parameters are ignored by the API, not documented: none are sent.
    return validValue(querySchema(op), this.context('query'), '', { noExtras: true }) as fc.Arbitrary<
      Record<string, unknown>
    >;
  }

  private validBody(op: Operation): fc.Arbitrary<unknown> {
    return op.bodySchema ? validValue(op.bodySchema, this.context('body')) : fc.constant(undefined);
  }

  /** The headers of the security requirement the run's credentials meet, for this operation. */
  private credentialHeaders(op: Operation): Array<{ name: string; requirement: string }> {
    const raw = this.doc.paths[op.path]?.[op.method] as { security?: Array<Record<string, string[]>> } | undefined;
    const requirements = raw?.security ?? this.doc.security ?? [];
    const schemes = this.doc.components.securitySchemes ?? {};
    const headerOf = (scheme: string): string | undefined => {
      const s = schemes[scheme];
      if (s?.type === 'apiKey' && s.in === 'header' && typeof s.name === 'string') return s.name;
      if (s?.type === 'http' && s.scheme === 'bearer') return 'Authorization';
      return undefined;
    };
    const sent = this.options.credentials === 'pair' ? ['X-App-Id', 'X-App-Token'] : ['Authorization'];
    const met = requirements.find((requirement) => {
      const headers = Object.keys(requirement).map(headerOf);
      return headers.length === sent.length && headers.every((h) => h !== undefined && sent.includes(h));
    });
    if (!met) return [];
    const names = Object.keys(met)
      .map(headerOf)
      .filter((h): h is string => h !== undefined);
    return names.map((name) => ({ name, requirement: names.join(' + ') }));
  }
}

/** The breach's place as a JSON pointer (a chosen branch is no place; an array item is its first). */
function pointerOf(breach: Breach): string {
  return breach.path
    .map((step) =>
      step.kind === 'property'
        ? `/${step.name.replace(/~/g, '~0').replace(/\//g, '~1')}`
        : step.kind === 'item'
          ? '/0'
          : '',
    )
    .join('');
}

function describeBreach(part: 'query' | 'body', breach: Breach): string {
  const where = describePath(breach.path, part === 'query' ? 'query' : 'json');
  return `${part}${where ? ` ${where}` : ''}: ${breach.description}`;
}

function caseOf(
  op: Operation,
  kind: GeneratedCase['kind'],
  pathParams: Record<string, string>,
  query: Record<string, unknown>,
  body: unknown,
  extra: Partial<GeneratedCase> = {},
): GeneratedCase {
  return {
    operationId: op.operationId,
    kind,
    ...(extra.breach === undefined ? {} : { breach: extra.breach }),
    pathParams,
    query: withoutEmpty(query) as Record<string, unknown>,
    ...(op.bodySchema && extra.bodyText === undefined ? { body } : {}),
    ...(extra.bodyText === undefined ? {} : { bodyText: extra.bodyText }),
    ...(extra.contentType === undefined ? {} : { contentType: extra.contentType }),
    ...(extra.omitHeaders === undefined ? {} : { omitHeaders: extra.omitHeaders }),
  };
}

/**
 * An empty object or array cannot be said in a query string (it is the parameter left out): removed, at every depth.
 */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withoutEmpty).filter((item) => !isEmpty(item));
    return items;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const kept = withoutEmpty(item);
    if (!isEmpty(kept)) out[key] = kept;
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
}

/** `customer[address][city]`-style keys, arrays by index, as the suite's fixed requests send deepObjects. */
export function flattenQuery(
  query: Record<string, unknown>,
  prefix = '',
  out: Record<string, string> = {},
): Record<string, string> {
  for (const [key, value] of Object.entries(query)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (Array.isArray(value)) (value as unknown[]).forEach((item, i) => flattenQuery({ [i]: item }, name, out));
    else if (isRecord(value)) flattenQuery(value, name, out);
    else if (value !== undefined) {
      // Arrays and objects were taken above: what is left is a scalar.
      const scalar = value as string | number | boolean | bigint | null;
      out[name] = String(scalar);
    }
  }
  return out;
}

/** The customer a create names (by id or source_id), so a case that names one may publish. */
export function namesCustomer(generated: GeneratedCase): boolean {
  if (generated.operationId !== 'createPublicationFromQuery' && generated.operationId !== 'createPublication')
    return false;
  let customer: unknown;
  if (generated.operationId === 'createPublicationFromQuery') customer = generated.query.customer;
  else if (generated.bodyText !== undefined) {
    try {
      customer = (JSON.parse(generated.bodyText) as Record<string, unknown> | null)?.customer;
    } catch {
      return false;
    }
  } else customer = isRecord(generated.body) ? generated.body.customer : undefined;
  const named = (value: unknown): boolean => typeof value === 'string' && value !== '';
  return isRecord(customer) && (named(customer.id) || named(customer.source_id));
}

/** The case as the suite sends it, each `{fresh}` made a new name (one per case). */
export function toRequestSpec(generated: GeneratedCase, freshName: () => string): RequestSpec {
  const op = getOperation(generated.operationId);
  let fresh: string | undefined;
  const named = <T>(value: T): T => replaceFresh(value, () => (fresh ??= freshName())) as T;
  const query = flattenQuery(named(generated.query));
  const body = named(generated.body);
  const bodyText = generated.bodyText === undefined ? undefined : named(generated.bodyText);
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(generated.pathParams[name] ?? ''));
  const isCreate = op.operationId === 'createPublicationFromQuery' || op.operationId === 'createPublication';
  const hasSourceId = 'source_id' in query || (isRecord(body) && 'source_id' in body);
  return {
    operationId: op.operationId,
    method: op.method === 'post' ? 'POST' : 'GET',
    path,
    ...(Object.keys(query).length ? { query } : {}),
    ...(body === undefined ? {} : { body }),
    ...(bodyText === undefined ? {} : { bodyText }),
    ...(generated.contentType === undefined ? {} : { contentType: generated.contentType }),
    ...(generated.omitHeaders === undefined ? {} : { omitHeaders: generated.omitHeaders }),
    idempotent: !isCreate || hasSourceId,
  };
}

function replaceFresh(value: unknown, name: () => string): unknown {
  if (typeof value === 'string') return value.includes(FRESH_NAME) ? value.split(FRESH_NAME).join(name()) : value;
  if (Array.isArray(value)) return value.map((item) => replaceFresh(item, name));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceFresh(v, name)]));
  return value;
}
