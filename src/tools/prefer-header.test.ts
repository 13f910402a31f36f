import { ApiError } from '../domain/api-error';
import { MAX_DELAY_MS, parsePrefer } from './prefer-header';

describe('parsePrefer reads what Prism reads', () => {
  it.each<[string, string, { code?: number; example?: string; delay?: number; applied: string[] }]>([
    ['code alone', 'code=404', { code: 404, applied: ['code=404'] }],
    [
      'code and example, comma separated',
      'code=400, example=missing_vouchers',
      { code: 400, example: 'missing_vouchers', applied: ['code=400', 'example=missing_vouchers'] },
    ],
    [
      'semicolons and spaces as separators',
      'code=400;example=a  delay=5',
      { code: 400, example: 'a', delay: 5, applied: ['code=400', 'example=a', 'delay=5'] },
    ],
    [
      'keys in any case',
      'Code=401, EXAMPLE=unauthorized',
      { code: 401, example: 'unauthorized', applied: ['code=401', 'example=unauthorized'] },
    ],
    ['spaces around =', 'code = 404', { code: 404, applied: ['code=404'] }],
    [
      'a quoted value with an escaped quote',
      'example="a \\"b\\" c"',
      { example: 'a "b" c', applied: ['example="a \\"b\\" c"'] },
    ],
    [
      'the first of a repeated preference counts (RFC 7240)',
      'code=404, code=400',
      { code: 404, applied: ['code=404'] },
    ],
    ['unknown preferences are ignored', 'return=minimal, respond-async, dynamic=true, wait=10', { applied: [] }],
    ['delay at the limit', `delay=${MAX_DELAY_MS}`, { delay: MAX_DELAY_MS, applied: [`delay=${MAX_DELAY_MS}`] }],
    ['an empty header', '', { applied: [] }],
  ])('%s: %s', (_name, header, expected) => {
    expect(parsePrefer(header)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['a code of letters', 'code=abc', /code should be an HTTP status from 100 to 599, got "abc"/],
    ['a code of 600', 'code=600', /from 100 to 599/],
    ['a two-digit code', 'code=40', /from 100 to 599/],
    ['code with no value', 'code', /code needs a value/],
    ['example with an empty value', 'example=', /example needs a value/],
    ['a negative delay', 'delay=-1', /delay should be a whole number of milliseconds from 0 to 60000/],
    ['a fractional delay', 'delay=1.5', /delay should be a whole number/],
    ['a delay over the limit', `delay=${MAX_DELAY_MS + 1}`, /from 0 to 60000/],
    ['an unclosed quote', 'example="x', /quoted value of example is not closed/],
    ['a stray character', 'code=404, =x', /unexpected "=" at character 11/],
  ])('%s → invalid_prefer_header: %s', (_name, header, message) => {
    let thrown: unknown;
    try {
      parsePrefer(header);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).key).toBe('invalid_prefer_header');
    expect((thrown as ApiError).details).toMatch(message);
  });
});
