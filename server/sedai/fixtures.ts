// Reads and validates the simulator's data in fixtures/sedai/. The same files
// feed `npm start` and the tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { catalogueSchema, resourceSchema, type Catalogue, type SedaiResource } from './events.ts';

export const defaultFixturesDir = (): string => fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface SedaiFixtures {
  resources: SedaiResource[];
  catalogue: Catalogue;
  /** The guide's 5.1 and 5.2 payloads, exactly. */
  sampleOpen: Record<string, unknown>;
  sampleResolved: Record<string, unknown>;
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${problems}`);
  }
  return r.data;
}

export function loadSedaiFixtures(fixturesDir: string = defaultFixturesDir()): SedaiFixtures {
  const dir = join(fixturesDir, 'sedai');
  const payload = z.record(z.string(), z.unknown());
  return {
    resources: readJson(join(dir, 'resources.json'), z.array(resourceSchema).min(1)),
    catalogue: readJson(join(dir, 'catalogue.json'), catalogueSchema),
    sampleOpen: readJson(join(dir, 'sample-open.json'), payload),
    sampleResolved: readJson(join(dir, 'sample-resolved.json'), payload),
  };
}
