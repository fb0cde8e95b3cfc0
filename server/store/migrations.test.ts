// Older state files are brought up to date; anything else is refused with why.
import { describe, expect, it } from 'vitest';
import { hashToken, maskToken } from '../callgoose/tokens.ts';
import { migrateState, STATE_VERSION } from './migrations.ts';

const FILE = '/data/state.json';

describe('migrating the unversioned format', () => {
  it('hashes plain tokens, keeps their fields, and takes the first as the default', () => {
    const r = migrateState(
      {
        services: [{ id: 'sedai', name: 'Sedai', maintenance: false, filters: [] }],
        tokens: [
          { id: 'tok-1', name: 'ci', serviceId: 'sedai', token: 'plain-token-one', createdAt: '2025-01-01T00:00:00.000Z', revokedAt: '2025-02-01T00:00:00.000Z' },
          { id: 'tok-2', token: 'plain-token-two', serviceId: 5 },
          'not a token',
        ],
      },
      FILE,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(0);
    expect(r.state.version).toBe(STATE_VERSION);
    expect(r.state.tokens).toEqual([
      { id: 'tok-1', name: 'ci', serviceId: 'sedai', hash: hashToken('plain-token-one'), masked: maskToken('plain-token-one'), createdAt: '2025-01-01T00:00:00.000Z', revokedAt: '2025-02-01T00:00:00.000Z', lastUsedAt: null },
      { id: 'tok-2', name: 'token', serviceId: null, hash: hashToken('plain-token-two'), masked: maskToken('plain-token-two'), createdAt: new Date(0).toISOString(), revokedAt: null, lastUsedAt: null },
    ]);
    expect(r.state.defaultToken).toEqual({ id: 'tok-1', value: 'plain-token-one' });
    expect(r.state.counters).toEqual({ service: 1, token: 2 });
    expect(r.state.settings).toEqual({});
  });

  it('keeps a default token, counters and settings it already has', () => {
    const r = migrateState({ services: [], tokens: [], defaultToken: { id: 'd', value: 'v' }, counters: { service: 7, token: 9 }, settings: { a: 1 } }, FILE);
    expect(r).toMatchObject({ ok: true, state: { defaultToken: { id: 'd', value: 'v' }, counters: { service: 7, token: 9 }, settings: { a: 1 } } });
  });

  it('without tokens, names a default token with an empty value', () => {
    const r = migrateState({ services: [] }, FILE);
    expect(r).toMatchObject({ ok: true, state: { defaultToken: { id: 'tok-default', value: '' }, tokens: [], counters: { service: 0, token: 0 } } });
  });

  it('leaves a current file as it is', () => {
    const current = { version: STATE_VERSION, services: [], tokens: [], defaultToken: { id: 'd', value: 'v' }, counters: { service: 0, token: 0 }, settings: {} };
    expect(migrateState(current, FILE)).toEqual({ ok: true, state: current, migratedFrom: null });
  });
});

describe('refusing', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'is not a JSON object. It was left untouched; fix it, or start with --reset-data.'],
    ['a list', [], 'is not a JSON object. It was left untouched; fix it, or start with --reset-data.'],
    [
      'a newer format',
      { version: STATE_VERSION + 1 },
      `was written by a newer version of callgoose-sedai-sim (format ${STATE_VERSION + 1}; this one reads up to ${STATE_VERSION}). It was left untouched; upgrade, or start with --data pointing elsewhere.`,
    ],
    ['a format with no migration', { version: -1 }, 'has format -1, which cannot be migrated'],
    [
      'a file missing its lists',
      { version: STATE_VERSION, services: {}, tokens: 'x', defaultToken: { id: 'd' } },
      'does not look like a state file ("services" is not a list, "tokens" is not a list, "defaultToken" is missing). It was left untouched; fix it, or start with --reset-data.',
    ],
    ['a default token that is not an object', { version: STATE_VERSION, services: [], tokens: [], defaultToken: 'v' }, 'does not look like a state file ("defaultToken" is missing). It was left untouched; fix it, or start with --reset-data.'],
  ])('%s', (_name, raw, message) => {
    expect(migrateState(raw, FILE)).toEqual({ ok: false, message });
  });

  it('calls another file a data file', () => {
    expect(migrateState({ version: STATE_VERSION }, '/data/other.json')).toMatchObject({ ok: false, message: expect.stringMatching(/^does not look like a data file/) });
  });
});
