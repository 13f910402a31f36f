/**
 * The dashboard at /__mock/: one HTML page with its CSS and vanilla JS from
 * src/tools/dashboard/ (no framework, nothing from the internet). It reads the
 * JSON endpoints under /__mock/ and listens to /__mock/events.
 */
import express, { Router } from 'express';
import { toolsAssetFolder } from '../repository-paths';

export function dashboardRoutes(): Router {
  const router = Router();
  const folder = toolsAssetFolder('dashboard');
  router.get('/__mock', function getDashboard(req, res) {
    // The page's links are relative: /__mock → /__mock/.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(302, '__mock/');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: folder });
  });
  router.use('/__mock/dashboard', express.static(folder, { index: false, fallthrough: true, maxAge: 0 }));
  return router;
}
