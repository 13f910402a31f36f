/**
 * The three operations of the Publications API, named after the spec's
 * operationIds. Each translates HTTP to the rules and back: authenticate,
 * validate, call the rules, render, write.
 */
import { type Request, type Response, Router } from 'express';
import type { components, operations } from '../generated/publications-api';
import { getOperation } from '../openapi/operations';
import { renderCreated, renderList } from '../render/render-publication';
import { type ListQuery, listPublications } from '../rules/list-publications';
import { type PublishRequest, type Published, publish } from '../rules/publish';
import type { MockState } from '../state/mock-state';
import { readCredentials, requireIntegrationKeys } from './authenticate';
import { createRequestValidator } from './request-validation';
import type { ResponseWriter } from './response-writer';

type CreateBody = components['schemas']['CreatePublicationRequest'];
type CreateQuery = operations['createPublicationFromQuery']['parameters']['query'];

export interface RouteContext {
  state: MockState;
  writer: ResponseWriter;
  /** The mock's own address as the client sees it, for asset URLs. */
  baseUrl(req: Request): string;
}

export function publicationRoutes(ctx: RouteContext): Router {
  const router = Router();
  const ops = {
    createPublicationFromQuery: getOperation('createPublicationFromQuery'),
    createPublication: getOperation('createPublication'),
    listPublications: getOperation('listPublications'),
  };
  const validators = {
    createPublicationFromQuery: createRequestValidator(ops.createPublicationFromQuery),
    createPublication: createRequestValidator(ops.createPublication),
    listPublications: createRequestValidator(ops.listPublications),
  };
  const rules = () => ({
    store: ctx.state.store,
    clock: ctx.state.clock,
    ids: ctx.state.ids,
    publicationMetadata: ctx.state.fixtures.publication_metadata,
  });
  const answerCreated = (req: Request, res: Response, op: typeof ops.createPublication, published: Published): void => {
    // Rendered from the records the rules hold: no reading back what was just written.
    ctx.writer.json(res, op, 200, renderCreated({ store: ctx.state.store, baseUrl: ctx.baseUrl(req) }, published.publication, published));
  };

  router.get('/v1/publications/create', function createPublicationFromQuery(req, res) {
    const op = ops.createPublicationFromQuery;
    requireIntegrationKeys(readCredentials(req), ctx.state.fixtures.integration_keys);
    const query = validators.createPublicationFromQuery.query(req.query) as CreateQuery;
    const publication = publish(rules(), {
      via: 'query',
      customer: query.customer as PublishRequest['customer'],
      voucher: query.voucher,
      campaign: query.campaign,
      source_id: query.source_id,
      metadata: query.metadata,
      join_once: query.join_once,
    });
    answerCreated(req, res, op, publication);
  });

  router.post('/v1/publications', function createPublication(req, res) {
    const op = ops.createPublication;
    readCredentials(req);
    const query = validators.createPublication.query(req.query) as { join_once?: boolean };
    const body = validators.createPublication.body(req.body) as CreateBody;
    const publication = publish(rules(), {
      via: 'body',
      customer: body.customer as PublishRequest['customer'],
      voucher: body.voucher,
      campaign: body.campaign,
      source_id: body.source_id,
      channel: body.channel,
      metadata: body.metadata,
      join_once: query.join_once,
    });
    answerCreated(req, res, op, publication);
  });

  router.get('/v1/publications', function listPublicationsRoute(req, res) {
    const op = ops.listPublications;
    readCredentials(req);
    const query = validators.listPublications.query(req.query) as ListQuery;
    const { publications, total } = listPublications(ctx.state.store, query);
    ctx.writer.json(res, op, 200, {
      object: 'list',
      data_ref: 'publications',
      publications: renderList({ store: ctx.state.store, baseUrl: ctx.baseUrl(req) }, publications),
      total,
    });
  });

  return router;
}

/** The operation a path and method belong to, for error answers checked in strict mode. */
export function operationFor(method: string, path: string) {
  if (path === '/v1/publications/create' && method === 'GET') return getOperation('createPublicationFromQuery');
  if (path === '/v1/publications' && method === 'POST') return getOperation('createPublication');
  if (path === '/v1/publications' && method === 'GET') return getOperation('listPublications');
  return undefined;
}

/** Methods each API path answers, for 405 and its Allow header. */
export const ALLOWED_METHODS: Record<string, string[]> = {
  '/v1/publications/create': ['GET'],
  '/v1/publications': ['GET', 'POST'],
};
