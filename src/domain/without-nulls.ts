/**
 * `null` in a request is the same as leaving the property out: the vendor's
 * generated SDKs (its Python SDK) send `null` for every optional field set to
 * nothing. Validated input reaches the rules without them, typed so.
 */
/** Whether anything outside `metadata` is a `null` property: most requests hold none and need no copy. */
function holdsNull(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsNull);
  if (value === null || typeof value !== 'object') return false;
  for (const [key, item] of Object.entries(value)) {
    if (item === null || (key !== 'metadata' && holdsNull(item))) return true;
  }
  return false;
}

/**
 * The value without `null` properties (the same value when it holds none); inside `metadata` a `null` is a value and
 * stays.
 */
export function withoutNulls<T>(value: T): T {
  return holdsNull(value) ? copyWithoutNulls(value) : value;
}

function copyWithoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => copyWithoutNulls(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null) continue;
    const kept: unknown = key === 'metadata' ? item : copyWithoutNulls(item);
    // An own "__proto__" stays a plain property: assigning it would set the copy's prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: kept, enumerable: true, writable: true, configurable: true });
    else out[key] = kept;
  }
  return out as T;
}

/** A request's type once `withoutNulls` has run: no property is `null` (metadata values aside). */
export type WithoutNulls<T> = T extends readonly (infer Item)[]
  ? WithoutNulls<Item>[]
  : T extends object
    ? { [K in keyof T]: K extends 'metadata' ? Exclude<T[K], null> : WithoutNulls<Exclude<T[K], null>> }
    : T;
