import { describe, expect, it } from 'vitest';
import { curlFor, shellQuote } from './curl.ts';

describe('curlFor', () => {
  it('keeps the token masked, skips hop-by-hop headers and quotes the body', () => {
    const cmd = curlFor(
      {
        method: 'POST',
        path: '/v1/process',
        query: { from: 'Sedai', token: 'demo…-123' },
        headers: { host: 'x', 'content-length': '9', 'content-type': 'application/json' },
        body: `{"m":"it's"}`,
        bodyKind: 'json',
      },
      'http://127.0.0.1:7070',
    );
    expect(cmd).toBe(
      `curl -X POST 'http://127.0.0.1:7070/v1/process?from=Sedai&token=demo…-123' \\\n  -H 'content-type: application/json' \\\n  --data-raw '{"m":"it'\\''s"}'`,
    );
  });

  it('sends no body for empty and binary payloads', () => {
    const cmd = curlFor({ method: 'POST', path: '/v1/process', query: {}, headers: {}, body: '', bodyKind: 'binary' }, 'http://h');
    expect(cmd).toBe(`curl -X POST 'http://h/v1/process'`);
  });

  it('quotes single quotes for a POSIX shell', () => {
    expect(shellQuote(`a'b`)).toBe(`'a'\\''b'`);
  });
});
