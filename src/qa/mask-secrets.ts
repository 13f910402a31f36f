/**
 * Masks credentials in what the journal shows: every field whose name says it
 * holds a secret (token, secret, password, api key, authorization), at any
 * depth. The journal is readable without a token, so nothing secret is shown.
 */
export const MASK = '***';

const SECRET_NAME = /token|secret|passw(or)?d|api[-_]?key|authorization|credential/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A copy of `value` with every secret-named field replaced by `***`. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20) return MASK;
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretName(key) && item !== null && item !== undefined ? MASK : maskSecrets(item, depth + 1);
  }
  return out;
}
