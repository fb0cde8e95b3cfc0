// GET /api/openapi.json, and the file `npm run build` writes to dist/.
import { readFileSync } from 'node:fs';
import type { Request, Response } from 'express';
import { openApiDocument } from './document.ts';

/** The package's version; package.json sits two levels up from server/openapi/ and build/openapi/ alike. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

let cached: Record<string, unknown> | null = null;

/** The document, naming the server it is served by. */
export function openApiHandler(publicUrl: () => string) {
  return (_req: Request, res: Response) => {
    cached ??= openApiDocument({ version: packageVersion() });
    res.json({ ...cached, servers: [{ url: publicUrl() }] });
  };
}
