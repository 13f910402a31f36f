/**
 * Real images: voucher.assets.qr.url and voucher.assets.barcode.url point at
 * the mock, which serves PNGs encoding the voucher code: a QR code (qrcode)
 * and a Code 128 barcode (bwip-js). Checked by reading them back with readers
 * written for the tests (not the libraries that drew them), and for the QR
 * also module by module against qrcode's own matrix.
 */
import QRCode from 'qrcode';
import { WELL_KNOWN } from '../../src/fixtures/generate-fixtures';
import { readCode128 } from './support/code128-reader';
import { PNG_SIGNATURE, decodePng } from './support/png-decoder';
import { PAIR, type QaMock, qaMock } from './support/qa-mock';
import { readQr } from './support/qr-reader';

let mock: QaMock;
beforeAll(() => {
  mock = qaMock();
});
afterAll(() => mock.close());

/** Fetches an image as a Buffer. */
async function image(
  url: string,
): Promise<{ status: number; type: string; png: Buffer; body: Record<string, unknown> }> {
  const res = await mock.api
    .get(url)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const png = res.body as Buffer;
  const isJson = String(res.headers['content-type']).includes('json');
  return {
    status: res.status,
    type: String(res.headers['content-type']),
    png,
    body: isJson ? (JSON.parse(png.toString('utf8')) as Record<string, unknown>) : {},
  };
}

const CODES = [
  ['the documentation example (letters and digits: byte mode)', WELL_KNOWN.exampleVoucherCode],
  ['an upper-case code with a dash (alphanumeric mode)', WELL_KNOWN.alreadyPublishedCode],
  ['a code ending in digits (Code 128 switches to code set C)', WELL_KNOWN.inactiveCode],
  ['a standalone code', WELL_KNOWN.standaloneCode],
];

describe('GET /__mock/assets/qr/<code>.png', () => {
  it.each(CODES)('%s: a PNG whose QR code reads back as the code', async (_name, code) => {
    const res = await image(`/__mock/assets/qr/${encodeURIComponent(code)}.png?scale=1`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('image/png');
    expect(res.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const png = decodePng(res.png);
    expect(readQr(png)).toMatchObject({ level: 'M', text: code });
  });

  it.each(CODES)(
    '%s: every module is the one qrcode computes for the code (4-module quiet zone)',
    async (_name, code) => {
      const png = decodePng((await image(`/__mock/assets/qr/${encodeURIComponent(code)}.png?scale=1`)).png);
      const { size, data } = QRCode.create(code, { errorCorrectionLevel: 'M' }).modules;
      expect([png.width, png.height]).toEqual([size + 8, size + 8]);
      const drawn: string[] = [];
      const computed: string[] = [];
      for (let y = -4; y < size + 4; y++) {
        let row = '';
        let expected = '';
        for (let x = -4; x < size + 4; x++) {
          row += png.dark(x + 4, y + 4) ? '#' : '.';
          expected += x >= 0 && y >= 0 && x < size && y < size && data[y * size + x] ? '#' : '.';
        }
        drawn.push(row);
        computed.push(expected);
      }
      expect(drawn).toEqual(computed);
    },
  );

  it('by default, 6 pixels per module', async () => {
    const png = decodePng((await image(`/__mock/assets/qr/${WELL_KNOWN.exampleVoucherCode}.png`)).png);
    const { size } = QRCode.create(WELL_KNOWN.exampleVoucherCode, { errorCorrectionLevel: 'M' }).modules;
    expect(png.width).toBe((size + 8) * 6);
  });
});

describe('GET /__mock/assets/barcode/<code>.png', () => {
  it.each(CODES)('%s: a PNG whose Code 128 barcode reads back as the code', async (_name, code) => {
    const res = await image(`/__mock/assets/barcode/${encodeURIComponent(code)}.png?scale=1`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('image/png');
    const png = decodePng(res.png);
    // The bars fill the upper part; the code is printed under them.
    expect(readCode128(png, Math.floor(png.height / 4), 1)).toBe(code);
    // A white quiet zone on both sides.
    expect(png.dark(0, Math.floor(png.height / 4))).toBe(false);
    expect(png.dark(png.width - 1, Math.floor(png.height / 4))).toBe(false);
  });

  it('by default, 3 pixels per module, and it still reads', async () => {
    const png = decodePng((await image(`/__mock/assets/barcode/${WELL_KNOWN.exampleVoucherCode}.png`)).png);
    expect(readCode128(png, Math.floor(png.height / 4), 3)).toBe(WELL_KNOWN.exampleVoucherCode);
  });
});

describe('the asset URLs of a published voucher lead to its images', () => {
  it('POST /v1/publications → voucher.assets.qr.url and .barcode.url are served and encode the code', async () => {
    const res = await mock.api
      .post('/v1/publications')
      .set(PAIR)
      .send({ customer: { source_id: 'images' }, campaign: { name: WELL_KNOWN.autoUpdateCampaignName } });
    expect(res.body).toMatchObject({ result: 'SUCCESS' });
    const { code, assets } = res.body.voucher as {
      code: string;
      assets: { qr: { url: string }; barcode: { url: string } };
    };
    const qr = await image(`${new URL(assets.qr.url).pathname}?scale=1`);
    expect(readQr(decodePng(qr.png)).text).toBe(code);
    const barcode = decodePng((await image(`${new URL(assets.barcode.url).pathname}?scale=1`)).png);
    expect(readCode128(barcode, Math.floor(barcode.height / 4), 1)).toBe(code);
  });
});

describe('errors', () => {
  it.each<[string, string, number, string]>([
    ['an unknown voucher code', '/__mock/assets/qr/NO-SUCH-CODE.png', 404, 'not_found'],
    ['an unknown voucher code (barcode)', '/__mock/assets/barcode/NO-SUCH-CODE.png', 404, 'not_found'],
    ['an unknown kind of image', `/__mock/assets/aztec/${WELL_KNOWN.exampleVoucherCode}.png`, 404, 'not_found'],
    ['not a .png', `/__mock/assets/qr/${WELL_KNOWN.exampleVoucherCode}.gif`, 404, 'not_found'],
    ['scale 0', `/__mock/assets/qr/${WELL_KNOWN.exampleVoucherCode}.png?scale=0`, 400, 'invalid_query_params'],
    ['scale 21', `/__mock/assets/qr/${WELL_KNOWN.exampleVoucherCode}.png?scale=21`, 400, 'invalid_query_params'],
  ])('%s → a JSON error', async (_name, url, status, key) => {
    const res = await image(url);
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/application\/json/);
    expect(res.body.key).toBe(key);
  });

  it('an unknown code names the voucher it looked for', async () => {
    const res = await image('/__mock/assets/qr/NO-SUCH-CODE.png');
    expect(res.body).toMatchObject({ resource_type: 'voucher', resource_id: 'NO-SUCH-CODE' });
  });
});
