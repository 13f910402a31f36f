/**
 * Reads a Code 128 barcode from one row of a decoded image, the way a scanner
 * does: bar and space widths → symbols (the standard's table) → code sets A,
 * B and C → text, checking the start symbol, the mod-103 check symbol and the
 * stop pattern. Independent of the library that drew the barcode.
 */
import type { DecodedPng } from './png-decoder';

/** Bar/space widths of symbol values 0–105 (ISO/IEC 15417); the stop pattern is separate. */
const PATTERNS = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
];
const STOP = '2331112';
const START = { 103: 'A', 104: 'B', 105: 'C' } as const;

type CodeSet = 'A' | 'B' | 'C';

/** Run lengths of alternating dark/light pixels along row y, from the first dark pixel to the last. */
function runs(image: DecodedPng, y: number): number[] {
  let first = 0;
  while (first < image.width && !image.dark(first, y)) first++;
  let last = image.width - 1;
  while (last >= 0 && !image.dark(last, y)) last--;
  if (first > last) throw new Error(`no bars on row ${y}`);
  const out: number[] = [];
  let current = true;
  let length = 0;
  for (let x = first; x <= last; x++) {
    if (image.dark(x, y) === current) {
      length++;
    } else {
      out.push(length);
      current = !current;
      length = 1;
    }
  }
  out.push(length);
  return out;
}

export function readCode128(image: DecodedPng, y: number, moduleWidth: number): string {
  const widths = runs(image, y).map((w) => {
    const modules = w / moduleWidth;
    if (!Number.isInteger(modules))
      throw new Error(`a bar of ${w} px is not a whole number of ${moduleWidth}-px modules`);
    return modules;
  });
  if ((widths.length - 7) % 6 !== 0)
    throw new Error(`${widths.length} bars and spaces: not a Code 128 symbol sequence`);
  const symbols: number[] = [];
  for (let i = 0; i + 7 < widths.length; i += 6) {
    const pattern = widths.slice(i, i + 6).join('');
    const value = PATTERNS.indexOf(pattern);
    if (value < 0) throw new Error(`unknown symbol ${pattern} at bar ${i}`);
    symbols.push(value);
  }
  if (widths.slice(-7).join('') !== STOP) throw new Error(`no stop pattern (${widths.slice(-7).join('')})`);
  const [start, ...rest] = symbols;
  const check = rest.pop();
  if (start === undefined || !(start in START)) throw new Error(`no start symbol (${String(start)})`);
  const sum = rest.reduce((total, value, i) => total + value * (i + 1), start);
  if (sum % 103 !== check) throw new Error(`check symbol ${String(check)}, expected ${sum % 103}`);

  let set: CodeSet = START[start as keyof typeof START];
  let text = '';
  for (let i = 0; i < rest.length; i++) {
    const value = rest[i]!;
    if (set === 'C') {
      if (value < 100) text += String(value).padStart(2, '0');
      else if (value === 100) set = 'B';
      else if (value === 101) set = 'A';
      else throw new Error(`symbol ${value} (FNC1) is not expected in a voucher code`);
    } else if (value < 96) {
      text += character(value, set);
    } else if (value === 98) {
      // Shift: the next symbol alone is read in the other of A and B.
      i++;
      text += character(rest[i]!, set === 'A' ? 'B' : 'A');
    } else if (value === 99) {
      set = 'C';
    } else if (value === 100 && set === 'A') {
      set = 'B';
    } else if (value === 101 && set === 'B') {
      set = 'A';
    } else {
      throw new Error(`function symbol ${value} is not expected in a voucher code`);
    }
  }
  return text;
}

function character(value: number, set: Exclude<CodeSet, 'C'>): string {
  if (set === 'B') return String.fromCharCode(value + 32);
  return String.fromCharCode(value < 64 ? value + 32 : value - 64);
}
