import { withoutNulls } from './without-nulls';

describe('withoutNulls: null in a request is the same as leaving the property out', () => {
  it.each<[string, unknown, unknown]>([
    ['a null property is dropped', { voucher: null, customer: { source_id: 's' } }, { customer: { source_id: 's' } }],
    [
      'nested null properties are dropped',
      { customer: { id: null, source_id: 's', address: { city: null, state: 'NY' } } },
      { customer: { source_id: 's', address: { state: 'NY' } } },
    ],
    [
      'nulls inside metadata are values and stay',
      { metadata: { a: null }, customer: { metadata: { b: null }, name: null } },
      { metadata: { a: null }, customer: { metadata: { b: null } } },
    ],
    ['objects inside arrays lose their nulls', { items: [{ a: null, b: 1 }] }, { items: [{ b: 1 }] }],
    [
      'a value without nulls is unchanged',
      { campaign: { name: 'C', count: 2 } },
      { campaign: { name: 'C', count: 2 } },
    ],
  ])('%s', (_name, input, expected) => {
    expect(withoutNulls(input)).toEqual(expected);
  });

  it('a value without nulls is returned as it is, not copied', () => {
    const body = { customer: { source_id: 's', metadata: { a: null } } };
    expect(withoutNulls(body)).toBe(body);
  });

  it('an own "__proto__" key stays a plain property of the copy', () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "voucher": null}') as Record<string, unknown>;
    const out = withoutNulls(body);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
