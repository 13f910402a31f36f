/**
 * API docs at /__mock/docs: Swagger UI (swagger-ui-dist, served from
 * node_modules, no CDN) over /__mock/openapi.json, the spec as JSON whose
 * `servers` names this mock first, so "Try it out" sends requests to it, and
 * whose operations each take the mock's `Prefer` header (docs-prefer-parameter.ts).
 */
import { dirname } from 'node:path';
import type { IncomingMessage } from 'node:http';
import express, { Router } from 'express';
import type { OpenApiDocument } from '../spec/spec-document';
import { withPreferParameters } from './docs-prefer-parameter';
import { toolsAssetFolder } from '../repository-paths';

const swaggerUiFolder = dirname(require.resolve('swagger-ui-dist/package.json'));

/** `spec`: the document the app serves (load-api.ts). */
export function docsRoutes(baseUrl: (req: IncomingMessage) => string, spec: OpenApiDocument): Router {
  const router = Router();
  const docsFolder = toolsAssetFolder('docs');

  router.get('/__mock/openapi.json', function getOpenApiDocument(req, res) {
    const servers = (spec as { servers?: unknown[] }).servers ?? [];
    res.json({ ...withPreferParameters(spec), servers: [{ url: baseUrl(req), description: 'This mock' }, ...servers] });
  });

  router.get('/__mock/docs', function getDocsPage(req, res) {
    // The page's links are relative: /__mock/docs → /__mock/docs/.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(302, 'docs/');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: docsFolder });
  });
  router.use('/__mock/docs/page', express.static(docsFolder, { index: false, fallthrough: true }));
  router.use('/__mock/docs/ui', express.static(swaggerUiFolder, { index: false, fallthrough: true }));
  return router;
}
