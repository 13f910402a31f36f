/**
 * Turns a campaign's `code_config` into a code. Shared by the generated world
 * and the fixture-file loader so both read `code_config` the same way:
 * `prefix` + (`pattern` with every `#` replaced, or `length` random characters)
 * + `postfix`, characters drawn from `charset` (default: letters and digits).
 * Randomness is passed in, so callers stay deterministic.
 */
import type { CodeConfig } from './records';

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPERCASE_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Default code length when a config has neither `pattern` nor `length` (the facts: 8 alphanumerics). */
export const DEFAULT_CODE_LENGTH = 8;

/** The most characters a charset may have (the schemas that read code configs say so too). */
export const MAX_CHARSET_LENGTH = 256;

/**
 * What the schemas cannot say about a code config: a charset names each
 * character once (a repeated one would only skew the draw, and a charset of
 * one character repeated 256 times can make one code). Undefined when fine.
 */
export function codeConfigProblem(config: CodeConfig): { field: 'charset'; message: string } | undefined {
  const { charset } = config;
  if (charset === undefined) return undefined;
  const seen = new Set<string>();
  for (const character of charset) {
    if (seen.has(character))
      return {
        field: 'charset',
        message: `names ${JSON.stringify(character)} twice: each character of a charset must be distinct`,
      };
    seen.add(character);
  }
  return undefined;
}

/** Draws `length` characters from `charset`. */
export type PickCharacters = (charset: string, length: number) => string;

/** One code for `config`; `pick` supplies the random characters. */
export function makeCode(config: CodeConfig, pick: PickCharacters): string {
  const charset = config.charset && config.charset.length > 0 ? config.charset : ALPHANUMERIC;
  const body = config.pattern
    ? config.pattern.replace(/#+/g, (run) => pick(charset, run.length))
    : pick(charset, config.length ?? DEFAULT_CODE_LENGTH);
  return `${config.prefix ?? ''}${body}${config.postfix ?? ''}`;
}

/**
 * A code for `config` not yet in `used` (which it is then added to). Throws
 * when the config cannot make another one (e.g. a pattern without `#`).
 */
export function makeUniqueCode(config: CodeConfig, pick: PickCharacters, used: Set<string>, attempts = 200): string {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const code = makeCode(config, pick);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
  throw new Error(
    `Cannot make another unique code from code_config ${JSON.stringify(config)} after ${attempts} attempts`,
  );
}
