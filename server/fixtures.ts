// Default data, filter templates and sample payloads live in fixtures/ and
// are read from there by `npm start` and by the tests alike.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { filterInputSchema, type Filter } from './contract.ts';

export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

const defaultDataSchema = z.object({
  services: z.array(
    z.object({ id: z.string(), name: z.string(), maintenance: z.boolean(), filterTemplates: z.array(z.string()) }),
  ),
  defaultToken: z.object({ id: z.string(), name: z.string(), serviceId: z.string().nullable() }),
});
export type DefaultData = z.infer<typeof defaultDataSchema>;

export function readFixtureJson(relative: string): unknown {
  const file = path.join(FIXTURES_DIR, relative);
  return JSON.parse(readFileSync(file, 'utf8'));
}

export interface FilterTemplate {
  id: string;
  filter: Filter;
}

export function loadFilterTemplates(): FilterTemplate[] {
  const dir = path.join(FIXTURES_DIR, 'filters');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => ({ id: n.replace(/\.json$/, ''), filter: filterInputSchema.parse(readFixtureJson(`filters/${n}`)) }));
}

export function loadDefaultData(): DefaultData {
  return defaultDataSchema.parse(readFixtureJson('default-data.json'));
}

export function samplePayload(name: 'sedai-open' | 'sedai-resolved' | string): unknown {
  return readFixtureJson(`payloads/${name}.json`);
}
