/**
 * Compiled with `tsc --noEmit` by test/package-install.test.ts against the
 * installed package's types: correct uses compile, misuses are refused (each
 * `@ts-expect-error` fails the compile if its line is accepted, so the types
 * cannot silently be `any`).
 */
import {
  type MockHandler,
  type RunningMock,
  WELL_KNOWN,
  createMockHandler,
  startMock,
} from 'voucherify-publications-mock';

export async function useTheApi(): Promise<string> {
  const mock: RunningMock = await startMock({ port: 0, seed: 2, now: '2026-01-01T00:00:00.000Z', strict: true });
  const url: string = mock.url;
  const port: number = mock.port;
  mock.reset();
  await mock.close();

  const handler: MockHandler = createMockHandler({ seed: 1, adminToken: 'qa' });
  handler.reset();
  handler.close();

  const campaign: string = WELL_KNOWN.exampleCampaignName;

  // @ts-expect-error the seed is a number
  await startMock({ seed: 'one' });
  // @ts-expect-error the handler does not listen: no port
  createMockHandler({ port: 4010 });
  // @ts-expect-error reset() returns nothing to await on
  const nothing: Promise<void> = mock.reset();
  return `${url} ${port} ${campaign} ${String(nothing)}`;
}
