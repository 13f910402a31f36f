/**
 * Strings with a lone UTF-16 surrogate (`"\ud800"` in JSON) are refused with
 * a 400 naming the field: SQLite stores text as UTF-8, which cannot hold one,
 * so it became U+FFFD on the way in and the create's answer (made from what
 * the client sent) and every later read disagreed. Names are checked as well
 * as values. Query strings cannot carry one (their percent-encoding is
 * UTF-8), so bodies are what is checked (the API handler's step, and state
 * snapshots).
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first lone surrogate in a string, as `U+D800`; undefined when the string is well-formed. */
function loneSurrogateIn(text: string): string | undefined {
  const found = LONE_SURROGATE.exec(text);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase()}` : undefined;
}

/**
 * Where in a parsed JSON value the first lone surrogate is (a dotted path, '' for the value itself) and which;
 * undefined when there is none.
 */
export function findLoneSurrogate(value: unknown): { path: string; surrogate: string } | undefined {
  // Iterative: a body may nest deeper than the call stack.
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      const surrogate = loneSurrogateIn(item);
      if (surrogate) return { path, surrogate };
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], path === '' ? String(i) : `${path}.${i}`]);
    } else if (item !== null && typeof item === 'object') {
      const entries: Array<[string, unknown]> = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, field] = entries[i]!;
        const at = path === '' ? key : `${path}.${key}`;
        const surrogate = loneSurrogateIn(key);
        if (surrogate) return { path: at, surrogate };
        stack.push([field, at]);
      }
    }
  }
  return undefined;
}
