/**
 * A small PNG decoder for tests (8-bit grey, grey+alpha, RGB, RGBA and
 * palette images, non-interlaced): enough to read back the mock's QR codes and
 * barcodes pixel by pixel without adding a dependency. It checks the
 * signature and each chunk's CRC, so a broken file fails loudly.
 */
import { crc32, inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** True for a dark pixel: luminance under half, and not transparent. */
  dark(x: number, y: number): boolean;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(file: Buffer): DecodedPng {
  if (!file.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: bad signature');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette = Buffer.alloc(0);
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    if (file.readUInt32BE(offset + 8 + length) !== crc32(file.subarray(offset + 4, offset + 8 + length)))
      throw new Error(`PNG chunk ${type}: bad CRC`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8]!;
      colorType = data[9]!;
      if (depth !== 8 || data[12] !== 0 || CHANNELS[colorType] === undefined)
        throw new Error(
          `PNG: depth ${depth}, colour type ${colorType}, interlace ${data[12]} not supported by this test decoder`,
        );
    } else if (type === 'PLTE') {
      palette = Buffer.from(data);
    } else if (type === 'IDAT') {
      idat.push(Buffer.from(data));
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  const channels = CHANNELS[colorType]!;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (stride + 1))
    throw new Error(`PNG: ${raw.length} bytes of image data, expected ${height * (stride + 1)}`);
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`PNG: unknown filter ${filter} on row ${y}`);
      pixels[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  const rgba = (x: number, y: number): [number, number, number, number] => {
    if (x < 0 || y < 0 || x >= width || y >= height)
      throw new Error(`pixel ${x},${y} is outside the ${width}×${height} image`);
    const at = y * stride + x * channels;
    switch (colorType) {
      case 0:
        return [pixels[at]!, pixels[at]!, pixels[at]!, 255];
      case 4:
        return [pixels[at]!, pixels[at]!, pixels[at]!, pixels[at + 1]!];
      case 2:
        return [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!, 255];
      case 3: {
        const index = pixels[at]! * 3;
        return [palette[index]!, palette[index + 1]!, palette[index + 2]!, 255];
      }
      default:
        return [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!, pixels[at + 3]!];
    }
  };
  return {
    width,
    height,
    dark(x, y) {
      const [r, g, b, alpha] = rgba(x, y);
      return alpha >= 128 && 0.299 * r + 0.587 * g + 0.114 * b < 128;
    },
  };
}
