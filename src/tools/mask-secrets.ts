/**
 * Masks credentials in what the journal shows: every field whose name says it
 * may hold a credential, at any depth, in headers, queries and bodies. A name
 * is read as words (`privateKey`, `X-App-Token`, `session_id` → private key,
 * x app token, session id), so `pin` masks `pin` and `card_pin` but not
 * `shipping`, and `auth…` masks `auth_code` but not `author`.
 */
export const MASK = '***';

/** Words that name a credential wherever they appear in a field name. */
const SECRET_WORDS = new Set([
  'key',
  'keys',
  'apikey',
  'privkey',
  'secret',
  'secrets',
  'token',
  'tokens',
  'password',
  'passwords',
  'passwd',
  'pwd',
  'passphrase',
  'pin',
  'pincode',
  'session',
  'sessions',
  'sessionid',
  'sid',
  'cookie',
  'otp',
  'cvv',
  'cvc',
]);
/** Word beginnings that name one: `private_key`, `privkey`, `authorization`, `authToken`, `credentials`. */
const SECRET_STARTS = /^(private|auth(?!or(s|ed|ity|ities|ship)?$)|credential|passw|secret|session)/;
/** Word endings of run-together names: `accesstoken`, `clientsecret`, `apikey`. */
const SECRET_ENDS = /(token|secret|password|passwd|apikey)$/;

/** `privateKey` → ['private', 'key']; `X-App-Token` → ['x', 'app', 'token']. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function isSecretName(name: string): boolean {
  return wordsOf(name).some((word) => SECRET_WORDS.has(word) || SECRET_STARTS.test(word) || SECRET_ENDS.test(word));
}

/**
 * `isSecretName` with its answers remembered (field names repeat from request
 * to request); at most `capacity` names, then it stops remembering. Each
 * journal has its own.
 */
export function rememberingSecretNames(capacity = 4096): (name: string) => boolean {
  const known = new Map<string, boolean>();
  return (name) => {
    let secret = known.get(name);
    if (secret === undefined) {
      secret = isSecretName(name);
      if (known.size < capacity && name.length <= 100) known.set(name, secret);
    }
    return secret;
  };
}

/** A copy of `value` with every secret-named field replaced by `***`. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20) return MASK;
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Defined, not assigned: a `__proto__` field (JSON.parse makes it an own property) stays a field, as maskedJson
    // writes it.
    Object.defineProperty(out, key, {
      value: isSecretName(key) && item !== null && item !== undefined ? MASK : maskSecrets(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** What `maskedJson` kept: the JSON text and whether it was cut short. */
export interface MaskedJson {
  text: string;
  cut: boolean;
}

/**
 * `JSON.stringify(maskSecrets(value))`, but at most `limit` characters of it,
 * and with work proportional to what is kept, not to the value: a 1 MB body
 * costs as much as its first `limit` characters. Past the limit the text is
 * cut (and is then no longer valid JSON).
 */
export function maskedJson(
  value: unknown,
  limit: number,
  isSecret: (name: string) => boolean = isSecretName,
): MaskedJson {
  let text = '';
  let cut = false;
  const emit = (piece: string): boolean => {
    if (text.length + piece.length > limit) {
      text += piece.slice(0, limit - text.length);
      cut = true;
      return false;
    }
    text += piece;
    return true;
  };
  const write = (item: unknown, depth: number): boolean => {
    if (item === null || item === undefined || typeof item === 'function' || typeof item === 'symbol')
      return emit('null');
    if (typeof item === 'string') {
      // Only as much of a long string as can still be kept is escaped.
      const room = limit - text.length;
      return emit(JSON.stringify(item.length > room ? item.slice(0, room) : item));
    }
    if (typeof item !== 'object') return emit(JSON.stringify(item) ?? 'null');
    if (depth > 20) return emit(JSON.stringify(MASK));
    if (Array.isArray(item)) {
      if (!emit('[')) return false;
      for (let i = 0; i < item.length; i++) {
        if (i > 0 && !emit(',')) return false;
        if (!write(item[i], depth + 1)) return false;
      }
      return emit(']');
    }
    if (!emit('{')) return false;
    let first = true;
    for (const key of Object.keys(item)) {
      const field = (item as Record<string, unknown>)[key];
      if (field === undefined) continue;
      if (!first && !emit(',')) return false;
      first = false;
      if (!emit(`${JSON.stringify(key)}:`)) return false;
      const masked = isSecret(key) && field !== null;
      if (!write(masked ? MASK : field, depth + 1)) return false;
    }
    return emit('}');
  };
  write(value, 0);
  return { text, cut };
}
