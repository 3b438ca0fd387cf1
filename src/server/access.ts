import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuse, requestUrl } from './guard.ts';

/**
 * Who may do what on `labdeck serve`: the presenter token drives the screens; the audience token
 * (or the presenter's) opens the pages and follows. Either is undefined when that role is open to
 * anyone who reaches the server (the audience on loopback). A token arrives once in a URL
 * (`?token=`), becomes a cookie, and the address bar is cleaned by a redirect.
 */
export type Role = 'presenter' | 'audience';

export interface AccessOptions {
  presenterToken?: string;
  audienceToken?: string;
  /** Cookies are per host, not per port: the port keeps two servers on one machine apart. */
  port: number;
}

/** Constant-time token check: hashing first makes the lengths equal. */
export function tokenMatches(expected: string | undefined, given: string | null | undefined): boolean {
  if (expected === undefined) return true;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given ?? ''));
}

export class Access {
  readonly presenterToken: string | undefined;
  readonly audienceToken: string | undefined;
  readonly cookie: string;

  constructor(options: AccessOptions) {
    this.presenterToken = options.presenterToken;
    this.audienceToken = options.audienceToken;
    this.cookie = `labdeck-token-${options.port}`;
  }

  /** The role a token grants: presenter, audience, or none. */
  roleOfToken(token: string | null | undefined): Role | undefined {
    if (!token) return undefined;
    if (this.presenterToken !== undefined && tokenMatches(this.presenterToken, token)) return 'presenter';
    if (this.audienceToken !== undefined && tokenMatches(this.audienceToken, token)) return 'audience';
    return undefined;
  }

  /** The role of a request, from `?token=` or else the cookie. */
  roleOf(req: IncomingMessage): Role | undefined {
    return this.roleOfToken(requestUrl(req)?.searchParams.get('token')) ?? this.roleOfToken(cookieValue(req, this.cookie));
  }

  mayPresent(req: IncomingMessage): boolean {
    return this.presenterToken === undefined || this.roleOf(req) === 'presenter';
  }

  mayFollow(req: IncomingMessage): boolean {
    return this.audienceToken === undefined || this.roleOf(req) !== undefined;
  }

  /**
   * Before a static page: a URL carrying a valid token sets the cookie and is redirected to itself
   * without it; a request that may not see the pages gets 401. True when it answered.
   */
  gate(req: IncomingMessage, res: ServerResponse): boolean {
    const url = requestUrl(req);
    if (!url) return false;
    const given = url.searchParams.get('token');
    const role = this.roleOfToken(given);
    if (given !== null && role !== undefined) {
      url.searchParams.delete('token');
      const query = url.searchParams.toString().replace(/=(?=&|$)/g, '');
      res.writeHead(303, {
        Location: `${url.pathname}${query ? `?${query}` : ''}`,
        'Set-Cookie': `${this.cookie}=${encodeURIComponent(given)}; Path=/; HttpOnly; SameSite=Strict`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return true;
    }
    if (this.mayFollow(req)) return false;
    refuse(res, 401, given === null ? 'this presentation needs the link with its token (?token=…) that the presenter gave' : 'wrong token: ask the presenter for the link');
    return true;
  }
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
