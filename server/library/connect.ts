// connect: the same object as startMock gives, for a mock that is already
// running (a shared host, or one started with `npx callgoose-sedai-sim start`).
import { DEFAULT_INTEGRATION_ID } from '../sedai/config.ts';
import { createClient, type Mock } from './client.ts';
import { adminFetch } from './http.ts';

export interface ConnectOptions {
  /** The mock's --admin-token, when it was started with one. */
  adminToken?: string;
  /**
   * The API token for mock.webhookUrl and mock.send(). Default: the one in
   * the URL of the simulator's default integration, which points at the
   * mock's default token unless it was changed.
   */
  token?: string;
}

/** The default token, as the default integration's URL has it (when it points at this mock). */
async function defaultToken(url: string, adminToken: string | undefined): Promise<string | null> {
  const call = adminFetch(url, adminToken);
  const { body } = await call<{ url: string }>('GET', `/api/simulator/integrations/${DEFAULT_INTEGRATION_ID}/url`, { accept: [404] });
  try {
    const u = new URL(body.url);
    return u.pathname.endsWith('/v1/process') ? u.searchParams.get('token') : null;
  } catch {
    return null;
  }
}

export async function connect(url: string, options: ConnectOptions = {}): Promise<Mock> {
  const base = url.replace(/\/+$/, '').replace(/\/v1\/process(\?.*)?$/, '');
  // Checks that it is a mock, and that the admin token is accepted.
  const info = await adminFetch(base, options.adminToken)<{ name?: string }>('GET', '/api/info');
  if (info.body?.name !== 'callgoose-sedai-sim') throw new Error(`${base} does not look like a callgoose-sedai-sim mock (GET /api/info answered ${info.text.slice(0, 200)})`);
  const token = options.token ?? (await defaultToken(base, options.adminToken));
  if (!token) throw new Error(`cannot tell the default API token of the mock at ${base}; pass it: connect(url, { token })`);
  return createClient({ url: base, token, adminToken: options.adminToken, close: async () => undefined });
}
