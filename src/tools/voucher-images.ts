/**
 * Real, scannable images for `voucher.assets`: a QR code (qrcode) and a Code 128
 * barcode with the code printed under it (bwip-js), both PNG, both encoding
 * the voucher code and nothing else. Rendering costs milliseconds, so images
 * are kept in a small LRU cache by kind, code and scale; a pending render is
 * shared by concurrent requests for the same image.
 */
import { LruCache } from './lru-cache';

// The image libraries are loaded on the first image, not at start: together they cost ~80 ms of every start-up.
let libraries: { bwipjs: typeof import('bwip-js'); QRCode: typeof import('qrcode') } | undefined;
function imageLibraries(): NonNullable<typeof libraries> {
  libraries ??= {
    bwipjs: require('bwip-js') as typeof import('bwip-js'),
    QRCode: require('qrcode') as typeof import('qrcode'),
  };
  return libraries;
}

export type ImageKind = 'qr' | 'barcode';

/** Pixels per module by default: a QR of ~200 px, a barcode ~3 px per bar. */
export const DEFAULT_SCALE: Record<ImageKind, number> = { qr: 6, barcode: 3 };
export const MAX_SCALE = 20;

export class VoucherImages {
  private readonly cache: LruCache<string, Promise<Buffer>>;

  constructor(capacity = 256) {
    this.cache = new LruCache(capacity);
  }

  render(kind: ImageKind, code: string, scale = DEFAULT_SCALE[kind]): Promise<Buffer> {
    const key = `${kind}:${scale}:${code}`;
    let image = this.cache.get(key);
    if (!image) {
      image = kind === 'qr' ? renderQr(code, scale) : renderBarcode(code, scale);
      this.cache.set(key, image);
      // A failed render is not kept: the next request tries again.
      image.catch(() => this.cache.delete(key));
    }
    return image;
  }
}

function renderQr(code: string, scale: number): Promise<Buffer> {
  // Error correction M (15%): the usual choice for printed and on-screen codes; a 4-module quiet zone, as the standard
  // asks.
  return imageLibraries().QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale });
}

function renderBarcode(code: string, scale: number): Promise<Buffer> {
  // A white background and a quiet zone of 10 modules each side: scanners need both, and a transparent PNG looks
  // broken on dark UIs.
  return imageLibraries().bwipjs.toBuffer({
    bcid: 'code128',
    text: code,
    scale,
    height: 12,
    includetext: true,
    textxalign: 'center',
    backgroundcolor: 'FFFFFF',
    paddingwidth: 10,
    paddingheight: 4,
  });
}
