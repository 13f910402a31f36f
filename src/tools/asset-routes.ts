/**
 * `GET /__mock/assets/qr/<code>.png` and `/__mock/assets/barcode/<code>.png`:
 * the images `voucher.assets` point at, for vouchers the mock holds (an
 * unknown code is a JSON 404). `?scale=N` (1–20) sets pixels per module.
 */
import { Router } from 'express';
import { ApiError } from '../domain/api-error';
import type { MockState } from '../app/mock-state';
import { DEFAULT_SCALE, type ImageKind, MAX_SCALE, type VoucherImages } from './voucher-images';

function readScale(value: unknown, kind: ImageKind): number {
  if (value === undefined) return DEFAULT_SCALE[kind];
  if (typeof value !== 'string' || !/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > MAX_SCALE) {
    throw new ApiError(
      'invalid_query_params',
      `Query property 'scale' should be a whole number from 1 to ${MAX_SCALE}`,
    );
  }
  return Number(value);
}

export function assetRoutes(state: MockState, images: VoucherImages): Router {
  const router = Router();
  router.get('/__mock/assets/:kind/:file', async function getVoucherImage(req, res) {
    const { kind, file } = req.params;
    if ((kind !== 'qr' && kind !== 'barcode') || !file.endsWith('.png')) {
      throw new ApiError(
        'not_found',
        `Cannot find route ${req.method} ${req.path}; images are ` +
          `/__mock/assets/qr/<code>.png and /__mock/assets/barcode/<code>.png`,
        { id: req.path, type: 'route' },
      );
    }
    const code = file.slice(0, -'.png'.length);
    const voucher = await state.data.transaction((tx) => tx.findVoucherByCode(code), { readOnly: true });
    if (!voucher) throw ApiError.notFound('voucher', code);
    const png = await images.render(kind, code, readScale(req.query.scale, kind));
    res.set('Cache-Control', 'public, max-age=3600');
    res.type('png').send(png);
  });
  return router;
}
