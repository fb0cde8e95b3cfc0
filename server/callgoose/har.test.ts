// The API log as HAR 1.2: one entry compared whole, since HAR tools read every field.
import { describe, expect, it } from 'vitest';
import type { ApiLogEntry } from '../contract.ts';
import { HAR_CREATOR, harEntry } from './har.ts';

const entry = (o: Partial<ApiLogEntry> = {}): ApiLogEntry => ({
  id: 'log-1',
  receivedAt: '2026-01-01T00:00:00.000Z',
  method: 'POST',
  path: '/v1/process',
  from: 'Sedai',
  status: 201,
  outcome: 'created',
  explanation: "Created INC-1 via filter 'Sedai'.",
  contentType: 'application/json',
  bodySize: 17,
  tokenOutcome: 'valid',
  incidentIds: ['INC-1'],
  durationMs: 4.5,
  snippet: '{"status":"OPEN"}',
  query: { from: 'Sedai', token: 'test…6789' },
  headers: { 'content-type': 'application/json', 'user-agent': 'curl/8' },
  clientAddress: '127.0.0.1',
  tokenId: 'tok-default',
  tokenMasked: 'test…6789',
  body: '{"status":"OPEN"}',
  bodyTruncated: false,
  bodyKind: 'json',
  parseError: null,
  response: { status: 201, body: { id: 'log-1' } },
  trace: [],
  hints: [],
  faults: [],
  ...o,
});

describe('harEntry', () => {
  it('writes a request and its answer as HAR 1.2', () => {
    expect(harEntry(entry(), 'http://127.0.0.1:7070')).toEqual({
      startedDateTime: '2026-01-01T00:00:00.000Z',
      time: 4.5,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:7070/v1/process?from=Sedai&token=test%E2%80%A66789',
        httpVersion: 'HTTP/1.1',
        headers: [
          { name: 'content-type', value: 'application/json' },
          { name: 'user-agent', value: 'curl/8' },
        ],
        queryString: [
          { name: 'from', value: 'Sedai' },
          { name: 'token', value: 'test…6789' },
        ],
        cookies: [],
        headersSize: -1,
        bodySize: 17,
        postData: { mimeType: 'application/json', text: '{"status":"OPEN"}' },
      },
      response: {
        status: 201,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'content-type', value: 'application/json; charset=utf-8' }],
        cookies: [],
        content: { size: 14, mimeType: 'application/json', text: '{"id":"log-1"}' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 14,
      },
      cache: {},
      timings: { send: 0, wait: 4.5, receive: 0 },
      comment: "Created INC-1 via filter 'Sedai'.",
    });
  });

  it.each<[string, Partial<ApiLogEntry>, string, string]>([
    ['no query string', { query: {} }, 'http://h/v1/process', 'application/json'],
    ['no content type', { contentType: null }, 'http://h/v1/process?from=Sedai&token=test%E2%80%A66789', ''],
  ])('writes a request with %s', (_name, over, url, mimeType) => {
    const har = harEntry(entry(over), 'http://h');
    expect(har.request.url).toBe(url);
    expect(har.request.postData.mimeType).toBe(mimeType);
  });

  it('names this tool as the creator', () => {
    expect(HAR_CREATOR).toEqual({ name: 'callgoose-sedai-sim', version: '0.1.0' });
  });
});
