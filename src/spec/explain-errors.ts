/**
 * The one describer of AJV errors. As violations a person can act on (a JSON
 * pointer, what was received and what the spec documents: strict mode, the
 * contract suite), and as one sentence (`describeError`) in the API's words
 * for a refused request ("Query property 'customer' should …") or the
 * mock's own formats' ("Scenario property 'fault.type' should be one of: …").
 * For `oneOf`/`anyOf` it reports the branch the value came closest to,
 * instead of every branch's complaints.
 */
import type { ErrorObject } from 'ajv/dist/2020';
import type { JsonSchema } from './spec-document';
import type { SchemaCompiler } from './schema-compiler';

export interface Violation {
  /** JSON pointer into the validated value, '' for the value itself. */
  pointer: string;
  keyword: string;
  /** What was found, rendered for a report. */
  received: string;
  /** What the spec documents at that place. */
  documented: string;
}

const MAX_RENDERED = 120;

export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Circular or BigInt: the value's own text below.
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- last resort for what JSON cannot render
  text ??= String(value);
  return text.length > MAX_RENDERED ? `${text.slice(0, MAX_RENDERED - 1)}…` : text;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return Number.isInteger(value) ? 'integer' : typeof value;
}

function describe(error: ErrorObject): Violation {
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys((parent.properties as object | undefined) ?? {});
      return {
        pointer: `${error.instancePath}/${escapePointer(name)}`,
        keyword: 'additionalProperties',
        received: `an undocumented property "${name}"`,
        documented: known.length ? `only ${known.join(', ')}` : 'no properties',
      };
    }
    case 'required':
      return {
        pointer: `${error.instancePath}/${escapePointer(String(params.missingProperty))}`,
        keyword: 'required',
        received: 'nothing',
        documented: `required property "${String(params.missingProperty)}"`,
      };
    case 'type':
      return {
        pointer: error.instancePath,
        keyword: 'type',
        received: `${renderValue(error.data)} (${typeOf(error.data)})`,
        documented: `type ${[params.type].flat().join(' or ')}`,
      };
    case 'enum':
      return {
        pointer: error.instancePath,
        keyword: 'enum',
        received: renderValue(error.data),
        documented: `one of ${renderValue(params.allowedValues)}`,
      };
    case 'const':
      return {
        pointer: error.instancePath,
        keyword: 'const',
        received: renderValue(error.data),
        documented: renderValue(params.allowedValue),
      };
    case 'format':
      return {
        pointer: error.instancePath,
        keyword: 'format',
        received: renderValue(error.data),
        documented: `format ${String(params.format)}`,
      };
    case 'pattern':
      return {
        pointer: error.instancePath,
        keyword: 'pattern',
        received: renderValue(error.data),
        documented: `a string matching ${String(params.pattern)}`,
      };
    default:
      return {
        pointer: error.instancePath,
        keyword: error.keyword,
        received: renderValue(error.data),
        documented: `a value that ${error.message ?? 'matches the schema'}`.replace('that must', 'that is'),
      };
  }
}

/** "customer.address.city" from the JSON pointer "/customer/address/city", for messages. */
export function dottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** How badly a value misses a branch: a wrong type at the branch's root counts as a total miss. */
function distance(violations: Violation[], errors: ErrorObject[]): number {
  const rootTypeMiss = errors.some((e) => e.instancePath === '' && (e.keyword === 'type' || e.keyword === 'const'));
  return violations.length + (rootTypeMiss ? 1000 : 0);
}

/**
 * Violations for a failed validation. `compiler` is used to re-check the
 * branches of a failed `oneOf`/`anyOf` one by one, to name the closest one.
 */
export function explainErrors(errors: ErrorObject[] | null | undefined, compiler: SchemaCompiler): Violation[] {
  if (!errors?.length) return [];
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  // Outermost combinator first: its explanation covers everything below it.
  combinators.sort((a, b) => a.instancePath.length - b.instancePath.length);
  const covered: string[] = [];
  const out: Violation[] = [];
  for (const combinator of combinators) {
    const at = combinator.instancePath;
    if (covered.some((prefix) => isWithin(at, prefix))) continue;
    covered.push(at);
    const branches = ((combinator.parentSchema as Record<string, unknown>)[combinator.keyword] ?? []) as JsonSchema[];
    if ((combinator.params as { passingSchemas?: unknown }).passingSchemas) {
      out.push({
        pointer: at,
        keyword: combinator.keyword,
        received: renderValue(combinator.data),
        documented: 'exactly one of the documented alternatives (it matches several)',
      });
      continue;
    }
    let best: Violation[] | undefined;
    let bestDistance = Infinity;
    for (const branch of branches) {
      const validate = compiler.compile(branch);
      if (validate(combinator.data)) {
        best = [];
        break;
      }
      const branchErrors = validate.errors ?? [];
      const explained = explainErrors(branchErrors, compiler).map((v) => ({ ...v, pointer: at + v.pointer }));
      const d = distance(explained, branchErrors);
      if (d < bestDistance) {
        bestDistance = d;
        best = explained;
      }
    }
    out.push(...(best ?? []));
  }
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') continue;
    if (covered.some((prefix) => isWithin(error.instancePath, prefix))) continue;
    // `if`/`then` and similar wrappers repeat what their inner errors say.
    if (error.keyword === 'if' || error.keyword === 'not') continue;
    out.push(describe(error));
  }
  return dedupe(out);
}

function isWithin(pointer: string, prefix: string): boolean {
  return pointer === prefix || pointer.startsWith(`${prefix}/`);
}

function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.pointer}\u0000${v.keyword}\u0000${v.documented}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface SentenceOptions {
  /**
   * `api`: the API's own wording of a refused request (enum values listed bare);
   * `format`: the mock's formats (values as JSON, discriminator tags listed).
   */
  wording: 'api' | 'format';
  /** A compiler of the same spec, to name the closest branch of a failed oneOf/anyOf (api wording). */
  explainBranches?: () => SchemaCompiler;
}

/** Branches that only list required properties, as in "id or source_id". */
function requiredAlternatives(error: ErrorObject): string[] | undefined {
  const branches: unknown = error.parentSchema?.[error.keyword];
  if (!Array.isArray(branches)) return undefined;
  const names: string[] = [];
  for (const branch of branches as JsonSchema[]) {
    const required = branch.required;
    // A branch may also type its one property (a `null` does not count as given).
    if (
      !Array.isArray(required) ||
      required.length !== 1 ||
      Object.keys(branch).some((k) => k !== 'required' && k !== 'type' && k !== 'properties')
    )
      return undefined;
    names.push(`'${String(required[0])}'`);
  }
  return names;
}

/**
 * One AJV error as a sentence naming where (`label` for the value itself, `label property 'a.b'` inside it) and what
 * is wrong.
 */
export function describeError(label: string, error: ErrorObject, options: SentenceOptions): string {
  const where = (pointer: string): string => (pointer ? `${label} property '${dottedPath(pointer)}'` : label);
  const at = where(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const api = options.wording === 'api';
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at} should NOT have additional property '${String(params.additionalProperty)}'`;
    case 'enum':
      return api
        ? `${at} should be equal to one of the allowed values: ${(params.allowedValues as unknown[]).join(', ')}`
        : `${at} should be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return api
        ? `${at} should be equal to ${JSON.stringify(params.allowedValue)}`
        : `${at} should be ${JSON.stringify(params.allowedValue)}`;
    case 'oneOf':
    case 'anyOf': {
      if (!options.explainBranches) break;
      const alternatives = requiredAlternatives(error);
      if (alternatives) return `${at} should have required property ${alternatives.join(' or ')}`;
      const closest = explainErrors([error], options.explainBranches())[0];
      if (!closest) return `${at} should match one of the documented forms`;
      return `${where(closest.pointer)} should be ${closest.documented}`;
    }
    case 'discriminator': {
      if (api) break;
      // The valid tags are the branches' consts: list them instead of AJV's "value of tag must be in oneOf".
      const tag = String(params.tag);
      const branches =
        (error.parentSchema as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }> } | undefined)
          ?.oneOf ?? [];
      const tags = branches.map((b) => b.properties?.[tag]?.const).filter((v) => v !== undefined);
      const named = error.instancePath
        ? `${label} property '${dottedPath(error.instancePath)}.${tag}'`
        : `${label} property '${tag}'`;
      return `${named} should be one of: ${tags.map((v) => JSON.stringify(v)).join(', ')}`;
    }
  }
  return `${at} ${(error.message ?? 'is not valid').replace(/^must\b/, 'should')}`;
}

/** One line: "at /voucher/code: received 12 (integer), documented type string". */
export function formatViolation(v: Violation): string {
  return `at ${v.pointer || '(root)'}: Received ${v.received} / Documented ${v.documented}`;
}
