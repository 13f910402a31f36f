/**
 * The mock's own tools (`/__mock/…`) answer only their own origin, against
 * two attacks from a web page the developer happens to open:
 *
 * - DNS rebinding: a page on `attacker.example` re-points that name at
 *   127.0.0.1 and calls the mock "same-origin". Its requests carry
 *   `Host: attacker.example:4010`, so the Host must be a loopback name
 *   (`localhost`, `*.localhost`), an IP address (a rebinding needs a name the
 *   attacker controls; an address names this machine), the `--host` the mock
 *   listens on, or the host of `--public-url`. Anything else is a 403
 *   `host_not_allowed`.
 * - Cross-origin requests: a browser names the page's origin in `Origin` (on
 *   every fetch but a plain GET, and on form posts) and says where a request
 *   comes from in `Sec-Fetch-Site`. An `Origin` other than the mock's own
 *   (the request's scheme and Host, or `--public-url`), or a request the
 *   browser marks `same-site` / `cross-site` that is not the user opening a
 *   page (a top-level GET navigation), is a 403 `origin_not_allowed`. Tools
 *   without a browser (curl, scripts) send neither header and pass.
 *
 * Voucher images (`/__mock/assets/…`) are left out: API answers link them
 * (`voucher.assets`), and a front end on another origin shows them in `<img>`.
 * They show only the code their URL names.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ApiError } from '../domain/api-error';
import { isMockPath } from '../api/api-handler';

export interface OriginGuardOptions {
  /** The address the server listens on (`--host`); a wildcard (`0.0.0.0`, `::`) names no host. */
  host?: string;
  /** The address clients use (`--public-url`). */
  publicUrl?: string;
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** `Host` (or a URL's host) without its port, lowercased, IPv6 without brackets. */
function hostnameOf(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(1, lower.indexOf(']') >= 0 ? lower.indexOf(']') : undefined);
  const colon = lower.lastIndexOf(':');
  return colon >= 0 && lower.indexOf(':') === colon ? lower.slice(0, colon) : lower;
}

function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`.toLowerCase();
  } catch {
    return undefined;
  }
}

export function guardMockOrigin(options: OriginGuardOptions = {}): Middleware {
  const named = new Set<string>();
  if (options.host && !['0.0.0.0', '::', '[::]', ''].includes(options.host))
    named.add(
      hostnameOf(options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host),
    );
  const publicOrigin = options.publicUrl ? originOf(options.publicUrl) : undefined;
  if (options.publicUrl) {
    try {
      named.add(hostnameOf(new URL(options.publicUrl).host));
    } catch {
      // A public URL that does not parse names no host.
    }
  }

  const allowedHost = (host: string): boolean => {
    const hostname = hostnameOf(host);
    return isLoopbackName(hostname) || isIP(hostname) !== 0 || named.has(hostname);
  };

  return function guardMockTools(req, _res, next) {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const path = url.split('?')[0]!;
    if (!isMockPath(path) || path.startsWith('/__mock/assets/')) {
      next();
      return;
    }
    const host = req.headers.host;
    if (host !== undefined && !allowedHost(host)) {
      next(
        new ApiError(
          'host_not_allowed',
          `The mock's tools answer only their own address; Host ` +
            `${JSON.stringify(host)} is not a loopback name, an IP address, --host ` +
            `or --public-url (start the mock with --public-url to use another name)`,
        ),
      );
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
      const own = host === undefined ? undefined : `${scheme}://${host}`.toLowerCase();
      if (origin.toLowerCase() !== own && origin.toLowerCase() !== publicOrigin) {
        next(
          new ApiError(
            'origin_not_allowed',
            `The mock's tools answer only pages of their own origin; this request comes from ${JSON.stringify(origin)}`,
          ),
        );
        return;
      }
    }
    const site = req.headers['sec-fetch-site'];
    const navigation = req.headers['sec-fetch-mode'] === 'navigate' && (req.method === 'GET' || req.method === 'HEAD');
    if ((site === 'cross-site' || site === 'same-site') && !navigation) {
      next(
        new ApiError(
          'origin_not_allowed',
          `The mock's tools answer only pages of their own origin; the browser marks this request ${site}`,
        ),
      );
      return;
    }
    next();
  };
}
