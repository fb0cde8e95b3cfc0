// The server behind a mock started in this process, for this repository's
// own tests (its store, its pending waits). Not part of the package's entry:
// the public types name no server module, so that a TypeScript user needs
// no types of Express or ws.
import type { RunningServer } from '../server.ts';
import type { Mock } from './client.ts';

const servers = new WeakMap<Mock, RunningServer>();

export function rememberServer(mock: Mock, server: RunningServer): void {
  servers.set(mock, server);
}

export function serverOf(mock: Mock): RunningServer {
  const s = servers.get(mock);
  if (!s) throw new Error('this mock was not started by startMock in this process');
  return s;
}
