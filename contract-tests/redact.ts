/**
 * The last line of defence before anything is written: every string in a
 * report has the run's secrets replaced by a mask, wherever they ended up
 * (an implementation echoing a token in an error's `details`, a HAR capture).
 */
import { MASK } from './credentials';

/** Secrets shorter than this are not searched for: masking "a" everywhere would garble the report. */
const MIN_SECRET_LENGTH = 4;

export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const targets = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (!targets.length) return value;
  return redactNode(value, targets) as T;
}

function redactNode(node: unknown, secrets: readonly string[]): unknown {
  if (typeof node === 'string') return secrets.reduce((text, secret) => text.split(secret).join(MASK), node);
  if (Array.isArray(node)) return node.map((item) => redactNode(item, secrets));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[redactNode(key, secrets) as string] = redactNode(value, secrets);
    return out;
  }
  return node;
}
