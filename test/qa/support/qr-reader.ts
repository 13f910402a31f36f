/**
 * Reads the text of a small QR code (versions 1–3, one error-correction block)
 * from a decoded image at one pixel per module with a 4-module quiet zone:
 * format information (checked by its BCH code) → unmask → zigzag codewords →
 * numeric / alphanumeric / byte segments. No error correction: the image is
 * exact, so every codeword is read as drawn. Independent of the library that
 * drew it, so a test can say the image really encodes the voucher code.
 */
import type { DecodedPng } from './png-decoder';

const QUIET_ZONE = 4;
/** Data codewords of versions 1–3 by error-correction level (one block each). */
const DATA_CODEWORDS: Record<string, number[]> = { L: [19, 34, 55], M: [16, 28, 44], Q: [13, 22, 34], H: [9, 16, 26] };
const LEVELS = ['M', 'L', 'H', 'Q'] as const;
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const MASKS: Array<(x: number, y: number) => boolean> = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** The 10 BCH check bits of 5 format bits (generator 0x537). */
function formatCheck(data: number): number {
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return rem & 0x3ff;
}

export interface QrReading {
  version: number;
  level: (typeof LEVELS)[number];
  mask: number;
  text: string;
}

export function readQr(image: DecodedPng): QrReading {
  const size = image.width - 2 * QUIET_ZONE;
  const version = (size - 17) / 4;
  if (image.height !== image.width || !Number.isInteger(version) || version < 1 || version > 3)
    throw new Error(`a ${image.width}×${image.height} image is not a version 1–3 QR code at 1 px per module`);
  const module = (x: number, y: number): boolean => image.dark(x + QUIET_ZONE, y + QUIET_ZONE);

  // Format information, first copy: bits 0–5 down column 8, then (8,7), (8,8), (7,8), bits 9–14 along row 8.
  let format = 0;
  const bit = (on: boolean, i: number): void => {
    if (on) format |= 1 << i;
  };
  for (let i = 0; i <= 5; i++) bit(module(8, i), i);
  bit(module(8, 7), 6);
  bit(module(8, 8), 7);
  bit(module(7, 8), 8);
  for (let i = 9; i < 15; i++) bit(module(14 - i, 8), i);
  format ^= 0x5412;
  const data = format >>> 10;
  if (formatCheck(data) !== (format & 0x3ff)) throw new Error('format information fails its BCH check');
  const level = LEVELS[data >>> 3]!;
  const mask = data & 7;

  // Function modules: finders with separators and format areas, timing lines, the alignment pattern of versions 2–3.
  const reserved = (x: number, y: number): boolean =>
    (x <= 8 && y <= 8) ||
    (x >= size - 8 && y <= 8) ||
    (x <= 8 && y >= size - 8) ||
    x === 6 ||
    y === 6 ||
    (version >= 2 && Math.abs(x - (size - 7)) <= 2 && Math.abs(y - (size - 7)) <= 2);

  const bits: boolean[] = [];
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let vert = 0; vert < size; vert++) {
      const y = upward ? size - 1 - vert : vert;
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        if (!reserved(x, y)) bits.push(module(x, y) !== MASKS[mask]!(x, y));
      }
    }
  }

  const dataBits = bits.slice(0, DATA_CODEWORDS[level]![version - 1]! * 8);
  let at = 0;
  const read = (n: number): number => {
    if (at + n > dataBits.length) throw new Error('QR data ends inside a segment');
    let value = 0;
    for (let i = 0; i < n; i++) value = (value << 1) | (dataBits[at++] ? 1 : 0);
    return value;
  };
  let text = '';
  while (at + 4 <= dataBits.length) {
    const mode = read(4);
    if (mode === 0) break;
    if (mode === 1) {
      let count = read(10);
      for (; count >= 3; count -= 3) text += String(read(10)).padStart(3, '0');
      if (count === 2) text += String(read(7)).padStart(2, '0');
      if (count === 1) text += String(read(4));
    } else if (mode === 2) {
      let count = read(9);
      for (; count >= 2; count -= 2) {
        const pair = read(11);
        text += ALPHANUMERIC[Math.floor(pair / 45)]! + ALPHANUMERIC[pair % 45]!;
      }
      if (count === 1) text += ALPHANUMERIC[read(6)]!;
    } else if (mode === 4) {
      const bytes: number[] = [];
      for (let count = read(8); count > 0; count--) bytes.push(read(8));
      text += Buffer.from(bytes).toString('utf8');
    } else {
      throw new Error(`QR segment mode ${mode} is not read by this test reader`);
    }
  }
  return { version, level, mask, text };
}
