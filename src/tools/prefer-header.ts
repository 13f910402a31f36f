/**
 * Reads the `Prefer` header the way Prism does (RFC 7240): `code=404`,
 * `example=<name>`, `delay=<ms>`, separated by commas, semicolons or spaces,
 * keys in any case, values optionally quoted. Preferences the mock does not
 * know (`return=minimal`, `respond-async`, Prism's `dynamic`) are ignored as
 * the RFC asks; a known one with a bad value is a 400 saying what is wrong.
 */
import { ApiError } from '../domain/api-error';

/** The longest delay a request may ask for: long enough for any spinner, short enough not to hang a test run. */
export const MAX_DELAY_MS = 60_000;

export interface Preferences {
  code?: number;
  example?: string;
  delay?: number;
  /** The preferences the mock will honour, as `key=value`, for the `Preference-Applied` header. */
  applied: string[];
}

const SEPARATOR = /[\s,;]/;
const KEY_CHAR = /[A-Za-z0-9_.!#$%&'*+^`|~-]/;

function invalid(details: string): ApiError {
  return new ApiError('invalid_prefer_header', details);
}

/** `[key, value]` pairs in order; a preference without `=` has the value undefined. */
function tokenize(text: string): Array<[string, string | undefined]> {
  const pairs: Array<[string, string | undefined]> = [];
  let i = 0;
  const skip = (pattern: RegExp): void => {
    while (i < text.length && pattern.test(text[i]!)) i++;
  };
  for (;;) {
    skip(SEPARATOR);
    if (i >= text.length) return pairs;
    const keyStart = i;
    while (i < text.length && KEY_CHAR.test(text[i]!)) i++;
    if (i === keyStart)
      throw invalid(
        `Prefer: unexpected ${JSON.stringify(text[i])} at character ${i + 1}; ` +
          `write key=value pairs, e.g. "code=404, example=not_found"`,
      );
    const key = text.slice(keyStart, i).toLowerCase();
    skip(/[ \t]/);
    if (text[i] !== '=') {
      pairs.push([key, undefined]);
      continue;
    }
    i++;
    skip(/[ \t]/);
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw invalid(`Prefer: the quoted value of ${key} is not closed`);
        const ch = text[i++]!;
        if (ch === '"') break;
        value += ch === '\\' && i < text.length ? text[i++]! : ch;
      }
      pairs.push([key, value]);
    } else {
      const valueStart = i;
      while (i < text.length && !SEPARATOR.test(text[i]!)) i++;
      pairs.push([key, text.slice(valueStart, i)]);
    }
  }
}

export function parsePrefer(header: string): Preferences {
  const prefs: Preferences = { applied: [] };
  const seen = new Set<string>();
  for (const [key, value] of tokenize(header)) {
    // RFC 7240 §2: when a preference is given twice, the first one counts.
    if (seen.has(key)) continue;
    seen.add(key);
    if (key !== 'code' && key !== 'example' && key !== 'delay') continue;
    if (value === undefined || value === '')
      throw invalid(
        `Prefer: ${key} needs a value, e.g. ` +
          `${key}=${key === 'example' ? 'not_found' : key === 'code' ? '404' : '2000'}`,
      );
    if (key === 'code') {
      if (!/^[1-5]\d\d$/.test(value))
        throw invalid(`Prefer: code should be an HTTP status from 100 to 599, got ${JSON.stringify(value)}`);
      prefs.code = Number(value);
    } else if (key === 'delay') {
      if (!/^\d{1,6}$/.test(value) || Number(value) > MAX_DELAY_MS) {
        throw invalid(
          `Prefer: delay should be a whole number of milliseconds from 0 to ` +
            `${MAX_DELAY_MS}, got ${JSON.stringify(value)}`,
        );
      }
      prefs.delay = Number(value);
    } else {
      prefs.example = value;
    }
    prefs.applied.push(`${key}=${/^[\w.-]+$/.test(value) ? value : JSON.stringify(value)}`);
  }
  return prefs;
}
