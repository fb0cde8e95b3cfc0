// The API log as HAR 1.2, so requests can be opened in browser dev tools or
// replayed with HAR-aware tools.
import type { ApiLogEntry } from '../contract.ts';

export const HAR_CREATOR = { name: 'callgoose-sedai-sim', version: '0.1.0' };

export function harEntry(e: ApiLogEntry, baseUrl: string) {
  const qs = new URLSearchParams(e.query).toString();
  const responseText = JSON.stringify(e.response.body);
  return {
    startedDateTime: e.receivedAt,
    time: e.durationMs,
    request: {
      method: e.method,
      url: `${baseUrl}${e.path}${qs ? `?${qs}` : ''}`,
      httpVersion: 'HTTP/1.1',
      headers: Object.entries(e.headers).map(([name, value]) => ({ name, value })),
      queryString: Object.entries(e.query).map(([name, value]) => ({ name, value })),
      cookies: [],
      headersSize: -1,
      bodySize: e.bodySize,
      postData: { mimeType: e.contentType ?? '', text: e.body },
    },
    response: {
      status: e.status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'content-type', value: 'application/json; charset=utf-8' }],
      cookies: [],
      content: { size: responseText.length, mimeType: 'application/json', text: responseText },
      redirectURL: '',
      headersSize: -1,
      bodySize: responseText.length,
    },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    comment: e.explanation,
  };
}
