/**
 * `null` in a request is the same as leaving the property out: the vendor's
 * generated SDKs (its Python SDK) send `null` for every optional field set to
 * nothing. Validated input reaches the rules without them, typed so.
 */
/** A copy without `null` properties; inside `metadata` a `null` is a value and stays. */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withoutNulls(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null) continue;
    const kept = key === 'metadata' ? item : withoutNulls(item);
    // An own "__proto__" stays a plain property: assigning it would set the copy's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: kept, enumerable: true, writable: true, configurable: true });
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

