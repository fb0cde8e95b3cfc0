// Callgoose's own integration guides (docs.callgoose.com/sqibs-integration/*)
// do not all agree with its API pages (API Token, API End Point, How to send
// API) on the path and on where the token goes. A sender configured from one
// of them gets here either what that guide describes, or — in the answer and
// the API log — what differs from the API pages and how to fix it
// (docs/behaviour.md §2.6). The table is listed in the README.
import { firstString, headerValue } from './request-fields.ts';

export interface GuideVariant {
  /** Which guide shows it, and where. */
  guide: string;
  shows: string;
  mock: string;
}

/** Every variant found in the guides, and what the mock does with it (the README's table). */
export const GUIDE_VARIANTS: readonly GuideVariant[] = [
  {
    guide: 'Tiger Data, Obkio, Graylog, Metoro, Better Stack, SnappyFlow, Mera Monitor, Xitoring (§1)',
    shows: '`https://****.callgoose.com/v1/process?from=<Tool>&token=…`',
    mock: 'Accepted: the mock answers at `/v1/process`, the token read from `?token=`.',
  },
  {
    guide: 'API End Point, API - Request (base URL from the API Token tab)',
    shows: '`https://sqibs.callgoose.com/sqibs-api/v1/process`',
    mock: 'Accepted: the same endpoint at `/sqibs-api/v1/process`.',
  },
  {
    guide: 'How to send API; API Token',
    shows: '`Authorization: Bearer <token>`',
    mock: 'Accepted; it wins over `?token=` when both are given.',
  },
  {
    guide: 'Obkio (`from=obkio` and `from=Obkio`), SnappyFlow (`from=snappyflow`), OpenStatus (no `from`)',
    shows: '`from=` in varying case, or none',
    mock: 'Accepted as given: titles start with the value as sent (`Obkio - …` vs `obkio - …`); with no `from`, a title-less payload gives "Incident from unknown source".',
  },
  {
    guide: 'OpenStatus (§1.2)',
    shows: '`https://****.callgoose.com/api/v1/process?token=…`',
    mock: 'Answered 404 and logged: "the process endpoint is /v1/process (or /sqibs-api/v1/process) …; drop the /api prefix".',
  },
  {
    guide: 'Better Stack (§3.2, "Add Headers")',
    shows: '`X-Callgoose-Auth: <API_TOKEN>` instead of the token in the URL',
    mock: 'Answered 401 and logged, naming the header and where the token goes: `Authorization: Bearer <token>` or `?token=`.',
  },
  {
    guide: 'Metoro (§2.1, "custom headers … e.g., Authorization"), Acceldata (§1.1, "provided as a header")',
    shows: 'the token in a header, its form not given',
    mock: '`Authorization: Bearer <token>` is accepted; `Authorization: <token>` without `Bearer`, or a token in another header (`X-Api-Key`, `X-Auth-Token`, …), is answered 401 and logged, naming the header and the fix.',
  },
  {
    guide: 'API - Request',
    shows: '`/v1/request` (automation workflows)',
    mock: 'Answered 404 and logged: the Request API is not simulated; incidents come in at `/v1/process`.',
  },
];

/** Paths the guides show that are not the process endpoint: routed here so that they are answered and logged. */
export const VARIANT_PATHS = ['/api/v1/process', '/sqibs-api/api/v1/process', '/v1/request', '/sqibs-api/v1/request', '/api/v1/request'];

const PROCESS = 'the process endpoint is /v1/process (or /sqibs-api/v1/process, the production base path)';

/** Why a path the guides show is not the process endpoint, and the fix; null for the process endpoint itself. */
export function pathVariantNote(path: string): string | null {
  const p = path.toLowerCase().replace(/\/+$/, '');
  if (p === '/v1/process' || p === '/sqibs-api/v1/process') return null;
  if (p.endsWith('/api/v1/process')) {
    return `${path} is not a Callgoose API path: ${PROCESS}. The OpenStatus guide shows /api/v1/process; drop the /api prefix and keep ?token=.`;
  }
  if (p.endsWith('/v1/request')) {
    return `${path} is Callgoose's Request API (automation workflows), which this mock does not simulate: ${PROCESS}, where incidents are created.`;
  }
  return `${path} is not the process endpoint: ${PROCESS}.`;
}

/** Header names that look like a credential, other than the two the process endpoint reads. */
const TOKEN_HEADER = /auth|token|api[-_]?key|secret|credential/i;
/** Query parameters that look like a token, other than ?token=. */
const TOKEN_PARAM = /^(api[-_]?key|apikey|access[-_]?token|auth[-_]?token|auth|key|api[-_]?token|x-callgoose-auth)$/i;

const WHERE = 'Callgoose reads the API token only from an Authorization: Bearer <token> header or a ?token= parameter';

/**
 * When a request came without a token the process endpoint reads: where the
 * sender seems to have put it instead, and where it goes. Null when nothing
 * looks like a misplaced token.
 */
export function tokenPlacementNote(rawHeaders: readonly string[], query: Readonly<Record<string, string | string[]>>): string | null {
  const auth = headerValue(rawHeaders, 'authorization');
  if (auth !== null && auth.trim() !== '') {
    const scheme = /^\s*(\S+)\s+\S/.exec(auth)?.[1];
    const form = scheme ? `"${scheme} …"` : 'a bare value, without "Bearer "';
    return `the Authorization header holds ${form}: ${WHERE}; send it as Authorization: Bearer <token>.`;
  }
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    // The admin token is a credential, but not a misplaced API token.
    if (lower === 'x-admin-token' || !TOKEN_HEADER.test(lower) || rawHeaders[i + 1]!.trim() === '') continue;
    const guide = lower === 'x-callgoose-auth' ? ' (the Better Stack guide shows this header)' : '';
    return `a token seems to be in the ${name} header${guide}, which Callgoose does not read: ${WHERE}; move it there.`;
  }
  for (const [name, value] of Object.entries(query)) {
    if (!TOKEN_PARAM.test(name) || (firstString(value) ?? '') === '') continue;
    return `a token seems to be in ?${name}=, which Callgoose does not read: ${WHERE}; rename the parameter to ?token=.`;
  }
  return null;
}
