/**
 * The spec is cached as JSON to spare the YAML parse at start: the cached
 * form must be exactly what parsing the YAML gives (no value YAML can hold and
 * JSON cannot, such as .inf or -0, may creep into the spec unnoticed).
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { loadSpec, specPath } from './spec-document';

describe('loadSpec', () => {
  const parsed: unknown = parse(readFileSync(specPath, 'utf8'));

  it('survives a JSON round trip unchanged, so its cached form is exact', () => {
    expect(isDeepStrictEqual(JSON.parse(JSON.stringify(parsed)), parsed)).toBe(true);
  });

  it('gives the parsed YAML, whether it came from the cache or not', () => {
    expect(isDeepStrictEqual(loadSpec(), parsed)).toBe(true);
  });

  it('is read once: the same object every call', () => {
    expect(loadSpec()).toBe(loadSpec());
  });
});
