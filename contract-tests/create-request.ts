/**
 * What a create request asked for (customer, source_id, voucher, campaign),
 * read back from the exchange as it was sent, whether in the query
 * (`GET …/create`, deepObject keys) or in the body (`POST /v1/publications`).
 * The behaviour checks compare answers with it, and the runner uses it to tell
 * a configured value the target does not know from drift.
 */
import { type Exchange, isRecord } from './exchange';

export interface CreateRequest {
  customerId?: string;
  customerSourceId?: string;
  sourceId?: string;
  voucher?: string;
  campaign?: string;
}

const CREATE_OPERATIONS = new Set(['createPublicationFromQuery', 'createPublication']);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function definedOnly(request: CreateRequest): CreateRequest {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
}

/** The create request's parameters, or undefined when the exchange is not a create. */
export function readCreateRequest(exchange: Exchange): CreateRequest | undefined {
  if (!CREATE_OPERATIONS.has(exchange.operationId)) return undefined;
  if (exchange.operationId === 'createPublicationFromQuery') {
    const query = new URL(exchange.request.url).searchParams;
    return definedOnly({
      customerId: text(query.get('customer[id]')),
      customerSourceId: text(query.get('customer[source_id]')),
      sourceId: text(query.get('source_id')),
      voucher: text(query.get('voucher')),
      campaign: text(query.get('campaign[name]')),
    });
  }
  const body = isRecord(exchange.request.body) ? exchange.request.body : {};
  const customer = isRecord(body.customer) ? body.customer : {};
  const campaign = body.campaign;
  return definedOnly({
    customerId: text(customer.id),
    customerSourceId: text(customer.source_id),
    sourceId: text(body.source_id),
    voucher: text(body.voucher),
    campaign: text(campaign) ?? (isRecord(campaign) ? text(campaign.name) : undefined),
  });
}
