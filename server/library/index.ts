// callgoose-sedai-sim as a library for tests:
//   const mock = await startMock();
//   await fetch(mock.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
//   const inc = await mock.waitForIncident({ mapValue: 'evt-1', status: 'resolved' }, { timeoutMs: 5000 });
//   await mock.close();
// startMock runs the mock in this process; connect() talks to one already
// running. Both give the same object (client.ts). README "Use it from your project".
export { startMock, type StartMockOptions } from './start.ts';
export { connect, type ConnectOptions } from './connect.ts';
export type { Mock } from './client.ts';
export { ApiError, WaitTimeoutError, describeSeen } from './errors.ts';
export type * from './types.ts';
