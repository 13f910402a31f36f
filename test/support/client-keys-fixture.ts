/**
 * A fixture file whose one client key pair (`shop-app` / `shop-secret`) allows
 * one origin, with a two-code campaign to publish from: the world of the
 * client-side publish tests.
 */
import { writeFileSync } from 'node:fs';

export const CLIENT_KEY = { appId: 'shop-app', appToken: 'shop-secret', campaign: 'Browser Sale' } as const;

export function writeClientKeysFixture(path: string, allowedOrigin: string): void {
  writeFileSync(
    path,
    [
      'client_keys:',
      `  - app_id: ${CLIENT_KEY.appId}`,
      `    app_token: ${CLIENT_KEY.appToken}`,
      `    allowed_origins: ['${allowedOrigin}']`,
      'campaigns:',
      `  - name: ${CLIENT_KEY.campaign}`,
      '    type: DISCOUNT_VOUCHER',
      '    discount: { type: PERCENT, percent_off: 10 }',
      '    codes: [BROWSER-1, BROWSER-2]',
      '',
    ].join('\n'),
  );
}
