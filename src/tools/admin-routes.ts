/**
 * Everything under /__mock/: the QA and front-end tools that are not part of
 * the API. When the mock was started with an admin token, every endpoint that
 * reads or changes state (the journal, the state, the event stream, the
 * scenario queue, the overview, reset, restore) needs it; the dashboard's and
 * the docs' files, the spec and the voucher images stay open. Bad input
 * is a 400 naming what is wrong, and changes nothing. Mounted before the API's
 * own body parser: snapshots are larger than the API's 1 MB limit.
 *
 * | endpoint | what it does |
 * | --- | --- |
 * | `GET /__mock/` | the dashboard |
 * | `GET /__mock/docs` | Swagger UI over `GET /__mock/openapi.json` |
 * | `GET /__mock/overview` | campaigns with codes left, recent publications and customers, scenarios |
 * | `GET /__mock/campaigns` | campaigns with `vouchers_total` / `vouchers_remaining` |
 * | `GET /__mock/requests` | the request journal, newest first (`path`, `status`, `customer`, `method`, `after`,
 * `limit`) |
 * | `GET /__mock/events` | Server-Sent Events: `request`, `state`, `scenarios` |
 * | `GET /__mock/state` / `PUT /__mock/state` | export / restore a state snapshot |
 * | `GET` / `POST` / `DELETE /__mock/scenarios`, `DELETE /__mock/scenarios/:id` | the scenario queue |
 * | `POST /__mock/reset` | back to the starting world |
 * | `GET /__mock/assets/{qr,barcode}/<code>.png` | voucher images |
 */
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler, Router } from 'express';
import { FixtureFileError, formatFixtureProblem } from '../fixtures/fixture-file-error';
import { ApiError, type ErrorKey } from '../domain/api-error';
import { assetRoutes } from './asset-routes';
import { dashboardRoutes } from './dashboard-routes';
import { streamEvents } from './event-stream';
import { buildOverview, campaignOverview } from './dashboard-overview';
import { docsRoutes } from './docs-routes';
import { parseJournalFilter } from './journal-filter';
import type { QaTools } from './qa-tools';
import { requireAdminToken } from './require-admin-token';
import { parseScenario } from './scenario-input';
import { ExportQueue, buildExport, sendExport } from './state-export';
import { SNAPSHOT_FORMAT, restoreSnapshot } from './state-snapshot';
import type { MockState } from '../app/mock-state';
import { mapBodyError } from '../api/body-errors';
import type { ApiRouter } from '../spec/api-router';
import type { OpenApiDocument } from '../spec/spec-document';

export { type CampaignOverview, campaignOverview } from './dashboard-overview';

/** The largest snapshot `PUT /__mock/state` takes. */
export const SNAPSHOT_LIMIT_BYTES = 100 * 1024 * 1024;
const SCENARIO_LIMIT_BYTES = 64 * 1024;

export interface AdminContext {
  state: MockState;
  qa: QaTools;
  /** When set, /__mock/ requests that read or change state must carry it. */
  adminToken?: string;
  /** The largest snapshot a restore takes (default SNAPSHOT_LIMIT_BYTES); larger exports say so. */
  snapshotLimitBytes?: number;
  baseUrl(req: IncomingMessage): string;
  /** The app's router: scenarios name its operations. */
  router: ApiRouter;
  /** The spec the app serves, for the docs. */
  spec: OpenApiDocument;
}

/** What the request sent instead of JSON, in words: the cause of a body the JSON parser did not read. */
function describeContentType(header: string | undefined): string {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  if (!type) return 'this request has no Content-Type';
  if (type === 'application/x-www-form-urlencoded')
    return (
      `this request's Content-Type is ${type} (what curl -d sends unless ` +
      `given -H 'Content-Type: application/json')`
    );
  return `this request's Content-Type is ${type}`;
}

/**
 * A JSON body parser whose failures are the endpoint's own 400 (not the API's
 * `invalid_payload`). A body sent without `Content-Type: application/json` is
 * not read at all: the answer names that, the real cause, rather than
 * complaining about a body it never looked at.
 */
function jsonBody(limit: number, key: ErrorKey, label: string): RequestHandler {
  const parse = express.json({ limit, strict: false, type: ['application/json', 'application/*+json'] });
  return function parseJsonBody(req, res, next) {
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) {
        if (req.body === undefined)
          next(
            new ApiError(
              key,
              `${label} must be sent as JSON, with Content-Type: application/json; ` +
                `${describeContentType(req.headers['content-type'])}`,
            ),
          );
        else next();
        return;
      }
      next(
        mapBodyError(req, error, {
          invalidKey: key,
          tooLargeKey: 'body_too_large',
          limit,
          tooLarge: (bytes) => `${label} exceeds the limit of ${bytes} bytes`,
          undecodable: (encoding, message) =>
            `${label} does not decode as Content-Encoding ${JSON.stringify(encoding)}: ${message}`,
          notJson: (message) => `${label} is not valid JSON: ${message}`,
          unsupported: (message) => `${label} is not valid JSON: ${message}`,
          otherwise: 'invalid',
        }),
      );
    });
  };
}

export function adminRoutes(ctx: AdminContext): Router {
  const { state, qa } = ctx;
  const router = Router();
  const admin = requireAdminToken(ctx.adminToken);
  const announceScenarios = (): void => qa.events.emit('scenarios', () => qa.scenarios.list());

  router.use(dashboardRoutes());
  router.use(docsRoutes(ctx.baseUrl, ctx.spec));
  router.use(assetRoutes(state, qa.images));

  router.post('/__mock/reset', admin, async function resetMock(_req, res) {
    try {
      // The QA tools' reset listener empties the journal and the queue and tells the dashboard.
      await state.reset();
    } catch (error) {
      // The fixture file is read again on each reset; a broken one is the user's to fix, and nothing was changed.
      if (error instanceof FixtureFileError) {
        throw new ApiError(
          'invalid_fixtures',
          `${error.file} cannot be loaded, so the mock keeps its current state: ` +
            `${error.problems.map((p) => formatFixtureProblem(error.file, p)).join('; ')}`,
        );
      }
      throw error;
    }
    res.json({ reset: true, seed: state.seed });
  });

  router.get('/__mock/campaigns', admin, async function listMockCampaigns(_req, res) {
    res.json({ object: 'list', data_ref: 'campaigns', campaigns: await campaignOverview(state) });
  });

  router.get('/__mock/overview', admin, async function getOverview(_req, res) {
    res.json(await buildOverview(state, qa, Boolean(ctx.adminToken)));
  });

  router.get('/__mock/requests', admin, function listJournal(req, res) {
    const filter = parseJournalFilter(req.query, qa.journal.capacity);
    const { entries, total } = qa.journal.select(filter);
    // `total` counts what the filters match, not the whole journal (`size`: how many entries it holds).
    res.json({
      object: 'list',
      data_ref: 'requests',
      requests: entries,
      total,
      size: qa.journal.size,
      capacity: qa.journal.capacity,
    });
  });

  router.get('/__mock/events', admin, streamEvents(qa.events, { hello: () => ({ seed: state.seed }) }));

  const exportQueue = new ExportQueue();
  const snapshotLimit = ctx.snapshotLimitBytes ?? SNAPSHOT_LIMIT_BYTES;
  router.get('/__mock/state', admin, async function exportState(req, res) {
    const gone = (): boolean => req.socket.destroyed;
    const built = await exportQueue.run(() => buildExport(state, snapshotLimit, gone));
    if (gone()) {
      built.remove();
      return;
    }
    sendExport(req, res, built, req.query.download !== undefined);
  });

  router.put(
    '/__mock/state',
    admin,
    jsonBody(snapshotLimit, 'invalid_snapshot', 'The snapshot'),
    async function restoreState(req, res) {
      const snapshot = await restoreSnapshot(state, req.body as unknown);
      qa.events.emit('state', () => ({ reason: 'restore' }));
      const { campaigns, vouchers, customers, publications } = snapshot.state;
      res.json({
        restored: true,
        format: SNAPSHOT_FORMAT,
        seed: snapshot.seed,
        counts: {
          campaigns: campaigns.length,
          vouchers: vouchers.length,
          customers: customers.length,
          publications: publications.length,
        },
      });
    },
  );

  router.get('/__mock/scenarios', admin, function listScenarios(_req, res) {
    res.json({ object: 'list', data_ref: 'scenarios', scenarios: qa.scenarios.list() });
  });

  router.post(
    '/__mock/scenarios',
    admin,
    jsonBody(SCENARIO_LIMIT_BYTES, 'invalid_scenario', 'The scenario'),
    function queueScenario(req, res) {
      const scenario = qa.scenarios.add(parseScenario(req.body as unknown, ctx.router));
      announceScenarios();
      res.status(201).json(scenario);
    },
  );

  router.delete('/__mock/scenarios', admin, function clearScenarios(_req, res) {
    const cleared = qa.scenarios.size;
    qa.scenarios.clear();
    announceScenarios();
    res.json({ cleared });
  });

  router.delete('/__mock/scenarios/:id', admin, function removeScenario(req, res) {
    const id = String(req.params.id);
    if (!qa.scenarios.remove(id)) throw new ApiError('not_found', `Cannot find scenario with id ${id}`);
    announceScenarios();
    res.json({ removed: id });
  });

  return router;
}
