// "Copy as curl" for an API log entry. The log only ever holds the token
// masked, so the command carries the masked value; the page says so.
import type { ApiLogEntry } from '../../../../server/contract.ts';

const SKIPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding', 'keep-alive']);

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function curlFor(entry: Pick<ApiLogEntry, 'method' | 'path' | 'query' | 'headers' | 'body' | 'bodyKind'>, baseUrl: string): string {
  const query = Object.entries(entry.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${k === 'token' ? v : encodeURIComponent(v)}`)
    .join('&');
  const url = `${baseUrl}${entry.path}${query ? `?${query}` : ''}`;
  const lines = [`curl -X ${entry.method} ${shellQuote(url)}`];
  for (const [name, value] of Object.entries(entry.headers)) {
    if (SKIPPED_HEADERS.has(name.toLowerCase())) continue;
    lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (entry.bodyKind !== 'empty' && entry.bodyKind !== 'binary' && entry.body !== '') lines.push(`  --data-raw ${shellQuote(entry.body)}`);
  return lines.join(' \\\n');
}
