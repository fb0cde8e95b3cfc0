// The state file's format version, and the steps that bring older files up
// to date. A file from a newer version is refused, never rewritten.
import type { Service } from '../contract.ts';
import { hashToken, maskToken, type StoredToken } from '../callgoose/tokens.ts';
import { dataFileProblem, stateFileSchema } from './data-schemas.ts';

export const STATE_VERSION = 1;

export interface StateFile {
  version: number;
  services: Service[];
  tokens: StoredToken[];
  /** Kept in full so that start-up can print the webhook URL. */
  defaultToken: { id: string; value: string };
  counters: { service: number; token: number };
  settings: Record<string, unknown>;
}

export type MigrationResult =
  | { ok: true; state: StateFile; migratedFrom: number | null }
  | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Format 0: the first prototype's file, with no version and tokens kept in
// plain text as `{id, name, serviceId, token}`.
function from0(raw: Record<string, unknown>): Record<string, unknown> {
  const tokens = Array.isArray(raw.tokens) ? raw.tokens : [];
  const converted = tokens.filter(isObject).map((t) => {
    const value = typeof t.token === 'string' ? t.token : '';
    return {
      id: String(t.id ?? ''),
      name: String(t.name ?? 'token'),
      serviceId: typeof t.serviceId === 'string' ? t.serviceId : null,
      hash: hashToken(value),
      masked: maskToken(value),
      createdAt: typeof t.createdAt === 'string' ? t.createdAt : new Date(0).toISOString(),
      revokedAt: typeof t.revokedAt === 'string' ? t.revokedAt : null,
      lastUsedAt: null,
    };
  });
  const first = tokens.find(isObject);
  return {
    ...raw,
    version: 1,
    tokens: converted,
    defaultToken: isObject(raw.defaultToken)
      ? raw.defaultToken
      : { id: String(first?.id ?? 'tok-default'), value: String(first?.token ?? '') },
    counters: isObject(raw.counters) ? raw.counters : { service: Array.isArray(raw.services) ? raw.services.length : 0, token: converted.length },
    settings: isObject(raw.settings) ? raw.settings : {},
  };
}

const steps: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = { 0: from0 };

export function migrateState(raw: unknown, file: string): MigrationResult {
  if (!isObject(raw)) return { ok: false, message: 'is not a JSON object. It was left untouched; fix it, or start with --reset-data.' };
  let version = typeof raw.version === 'number' ? raw.version : 0;
  if (version > STATE_VERSION) {
    return {
      ok: false,
      message: `was written by a newer version of callgoose-sedai-sim (format ${version}; this one reads up to ${STATE_VERSION}). It was left untouched; upgrade, or start with --data pointing elsewhere.`,
    };
  }
  const migratedFrom = version < STATE_VERSION ? version : null;
  let current = raw;
  while (version < STATE_VERSION) {
    const step = steps[version];
    if (!step) return { ok: false, message: `has format ${version}, which cannot be migrated` };
    current = step(current);
    version += 1;
  }
  const problems: string[] = [];
  if (!Array.isArray(current.services)) problems.push('"services" is not a list');
  if (!Array.isArray(current.tokens)) problems.push('"tokens" is not a list');
  if (!isObject(current.defaultToken) || typeof current.defaultToken.value !== 'string') problems.push('"defaultToken" is missing');
  if (problems.length > 0) {
    return { ok: false, message: `does not look like a ${file.endsWith('state.json') ? 'state' : 'data'} file (${problems.join(', ')}). It was left untouched; fix it, or start with --reset-data.` };
  }
  const wrong = dataFileProblem(stateFileSchema, current);
  if (wrong !== null) return { ok: false, message: wrong };
  return { ok: true, state: stateFileSchema.parse(current) as unknown as StateFile, migratedFrom };
}
