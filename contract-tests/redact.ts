/**
 * The last line of defence before anything is written: the run's secrets are
 * masked wherever they stand as credentials, and nowhere else. A secret is a
 * credential
 *
 * - as the value of a credential-like field or header, at any depth
 *   (`app_token`, `X-App-Token`, `authorization`, `app_id`, …: the value, or a
 *   whole word of it, as in `Bearer <token>`), and
 * - in free text (an error's `details` echoing the request, a violation's
 *   "Received …"), right after a credential-like word: `token <secret>`,
 *   `X-App-Id: <secret>`, `token=<secret>`, `"app_token":"<secret>"`.
 *
 * Never as an arbitrary substring: a token that happens to be `publication`
 * leaves every `"object": "publication"` of the report as it is.
 */
import { isSecretName } from '../src/tools/mask-secrets';
import { MASK } from './credentials';

/** Secrets shorter than this are not searched for in text: masking "a" after every "id" would garble the report. */
const MIN_SECRET_LENGTH = 4;

/** Field and header names that carry credentials: the journal's secret names, plus the key pairs' ids. */
function isCredentialName(name: string): boolean {
  return isSecretName(name) || /(^|[-_ ])(x[-_ ]?)?(client[-_ ]?)?app(lication)?[-_ ]?id$/i.test(name);
}

/** Words after which a secret in free text stands as a credential (`app <id> token <token>`, `Bearer <token>`). */
const LABEL =
  String.raw`(?:x[-_ ]?)?(?:app(?:lication)?(?:[-_ ]?id)?|client[-_ ]?(?:application[-_ ]?)?id|` +
  String.raw`(?:app[-_ ]?|access[-_ ]?|api[-_ ]?|client[-_ ]?)?(?:token|secret|key)|` +
  String.raw`password|passwd|authorization|bearer|credentials?)`;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const targets = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (!targets.length) return value;
  const inText = targets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  // `token X`, `X-App-Token: X`, `token=X`, `"app_token":"X"`, `Bearer X`: the secret as a whole word after the label.
  const labelled = inText.length
    ? new RegExp(
        String.raw`(\b${LABEL}["']?\s*[:=]?\s*["']?(?:bearer\s+)?)(${inText.map(escape).join('|')})(?![A-Za-z0-9_-])`,
        'gi',
      )
    : undefined;
  const maskText = (text: string): string =>
    labelled ? text.replace(labelled, (_match, label: string) => `${label}${MASK}`) : text;
  // In a credential field's value, a secret as a whole word (`Bearer <token>`, or the value itself); `not_found` keeps
  // its `found`.
  const whole = new RegExp(String.raw`(?<![A-Za-z0-9_-])(?:${targets.map(escape).join('|')})(?![A-Za-z0-9_-])`, 'g');
  const maskCredential = (text: string): string => text.replace(whole, MASK);

  const redactNode = (node: unknown, credential: boolean): unknown => {
    if (typeof node === 'string') return credential ? maskCredential(node) : maskText(node);
    if (Array.isArray(node)) return node.map((item) => redactNode(item, credential));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        // Own properties only, whatever their names (`__proto__` included): the report is data, not a prototype chain.
        Object.defineProperty(out, key, {
          value: redactNode(item, credential || isCredentialName(key)),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return node;
  };
  return redactNode(value, false) as T;
}
