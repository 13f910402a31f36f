/**
 * The OpenAPI document in spec/, read once. Everything that knows about the
 * API's shapes (validation, examples, the contract suite) starts here.
 *
 * Parsing the YAML costs 150–450 ms of a cold start (most of the mock's start
 * time); the parsed document is therefore cached as JSON under
 * node_modules/.cache/ (the project's, when installed as a package), named
 * by a hash of the YAML text, so any edit of the
 * spec is a new cache entry and a stale one is never read. Reading it back
 * takes a few milliseconds. Without a writable node_modules/ the YAML is
 * simply parsed every time.
 */
import { SPEC_FILE } from '../repository-paths';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type JsonSchema = Record<string, unknown>;

export interface ExampleObject {
  summary?: string;
  value?: unknown;
  $ref?: string;
}

export interface MediaType {
  schema?: JsonSchema;
  examples?: Record<string, ExampleObject>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { schema?: JsonSchema; description?: string }>;
  content?: Record<string, MediaType>;
  $ref?: string;
}

export interface ParameterObject {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: JsonSchema;
  description?: string;
  $ref?: string;
}

export interface OperationObject {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Partial<Record<HttpMethod, OperationObject>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses?: Record<string, ResponseObject>;
    parameters?: Record<string, ParameterObject>;
    examples?: Record<string, ExampleObject>;
    securitySchemes?: Record<string, Record<string, unknown>>;
  };
  security?: Array<Record<string, string[]>>;
}

/** Absolute path of the spec file (repository-paths.ts knows where). */
export const specPath = SPEC_FILE;

/** Bumped if the cached form ever changes meaning. */
const CACHE_FORMAT = 1;

/**
 * The node_modules/ folder to keep the cache in: the repository's own (beside
 * spec/), or, for an installed package, the one it is installed in (the
 * project's), as tools that cache under node_modules/.cache/ do.
 */
function findModulesFolder(): string | undefined {
  const root = dirname(dirname(specPath));
  const own = join(root, 'node_modules');
  if (existsSync(own)) return own;
  for (let dir = dirname(root); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') return dir;
  }
  return undefined;
}

/**
 * Where a derived file named by `prefix`, a hash of `content` and `extension`
 * is cached (node_modules/.cache/voucherify-publications-mock/), or undefined
 * when there is no node_modules/ to keep it in.
 */
export function cacheFile(prefix: string, content: string, extension: string): string | undefined {
  const modules = findModulesFolder();
  if (modules === undefined) return undefined;
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 40);
  return join(modules, '.cache', 'voucherify-publications-mock', `${prefix}-${hash}${extension}`);
}

/**
 * Writes a cache entry aside and renames it: another process starting at the same time never reads half a file.
 * Failing is fine (no cache).
 */
export function writeCacheFile(file: string | undefined, text: string): void {
  if (file === undefined) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch {
    // A read-only install still works, only without the cache.
  }
}

function cacheFileFor(text: string): string | undefined {
  return cacheFile('spec', `${CACHE_FORMAT}\0${text}`, '.json');
}

function readCache(file: string | undefined): OpenApiDocument | undefined {
  if (file === undefined || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  } catch {
    // A damaged entry is parsed again and rewritten.
    return undefined;
  }
}

function writeCache(file: string | undefined, doc: OpenApiDocument): void {
  writeCacheFile(file, JSON.stringify(doc));
}

function parseYaml(text: string): OpenApiDocument {
  // Loaded only on a cache miss: the yaml package alone costs ~50 ms to load.
  const yaml = require('yaml') as typeof import('yaml');
  return yaml.parse(text) as OpenApiDocument;
}

let cached: OpenApiDocument | undefined;

/** The parsed document. The same object every call: treat it as read-only. */
export function loadSpec(): OpenApiDocument {
  if (cached) return cached;
  const text = readFileSync(specPath, 'utf8');
  const file = cacheFileFor(text);
  cached = readCache(file);
  if (!cached) {
    cached = parseYaml(text);
    writeCache(file, cached);
  }
  return cached;
}

/** Follows a local `#/components/...` reference to the object it names. */
export function resolveRef<T>(doc: OpenApiDocument, value: T | { $ref?: string }): T {
  let current: unknown = value;
  for (let hops = 0; hops < 10; hops++) {
    const ref = (current as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string') return current as T;
    if (!ref.startsWith('#/')) throw new Error(`Only local references are supported, got ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
        doc,
      );
    if (current === undefined) throw new Error(`Unresolvable reference ${ref}`);
  }
  throw new Error('Reference chain too long');
}
