import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './sim-server.ts';

/** The integration guide's sample OPEN, from fixtures/payloads/. */
export const SAMPLE = JSON.parse(readFileSync(path.join(REPO, 'fixtures', 'payloads', 'sedai-open.json'), 'utf8')) as Record<string, unknown>;
