// state.json: services, tokens and settings, on disk and in memory.
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DomainEvent } from '../contract.ts';
import { defaultState } from '../server.ts';
import { tempDir } from '../testing/harness.ts';
import { DataFileError } from './data-files.ts';
import { StateStore, type StateOptions } from './state-file.ts';

function clock(start = Date.parse('2026-01-01T00:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t).toISOString(), advance: (ms: number) => (t += ms) };
}

async function open(over: Partial<StateOptions> = {}) {
  const events: DomainEvent[] = [];
  const c = clock();
  const store = await StateStore.open({ file: null, defaults: defaultState, now: c.now, resetData: false, emit: (e) => events.push(e), ...over });
  return { store, events, clock: c };
}

describe('services', () => {
  it('creates, renames and deletes, announcing each change', async () => {
    const { store, events } = await open();
    const s = await store.createService({ name: 'Prod', maintenance: false, filters: [] });
    expect(s.id).toBe('svc-2');
    expect((await store.createService({ name: 'Other', maintenance: false, filters: [] })).id).toBe('svc-3');
    expect((await store.updateService('svc-2', { maintenance: true }))?.maintenance).toBe(true);
    expect(await store.updateService('nope', { name: 'x' })).toBeUndefined();
    expect(await store.deleteService('svc-3')).toBe(true);
    expect(await store.deleteService('svc-3')).toBe(false);
    expect(store.services().map((x) => x.id)).toEqual(['sedai', 'svc-2']);
    expect(events.filter((e) => e.type === 'services.changed')).toHaveLength(4);
  });

  it('never reuses a taken id', async () => {
    const { store } = await open({ defaults: () => ({ ...defaultState(), services: [{ id: 'svc-2', name: 'Taken', maintenance: false, filters: [] }] }) });
    expect((await store.createService({ name: 'New', maintenance: false, filters: [] })).id).toBe('svc-2x');
  });
});

describe('tokens', () => {
  it('reveals a new token once, finds it by value, and refuses it once revoked', async () => {
    const { store } = await open({ defaultTokenValue: 'cgk_default-0123456789' });
    const t = await store.createToken('ci', null);
    expect(t.id).toBe('tok-2');
    expect(t.token).toMatch(/^cgk_/);
    expect(store.tokens().find((x) => x.id === 'tok-2')).not.toHaveProperty('token');
    expect(store.findToken(t.token)?.id).toBe('tok-2');
    expect(store.findToken('cgk_default-0123456789')?.id).toBe('tok-default');
    expect(store.findToken('cgk_nope')).toBeUndefined();
    const revoked = await store.revokeToken('tok-2');
    expect(revoked?.revokedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(store.findToken(t.token)?.revokedAt).not.toBeNull();
    expect(await store.revokeToken('tok-2')).toEqual(revoked);
    expect(await store.revokeToken('tok-404')).toBeUndefined();
  });

  it('notes last use at once, but announces it to live clients at most every 5 s', async () => {
    const { store, events, clock: c } = await open();
    const announced = () => events.filter((e) => e.type === 'tokens.changed').length;
    store.markTokenUsed('tok-default');
    expect(announced()).toBe(1);
    c.advance(4999);
    store.markTokenUsed('tok-default');
    expect(announced()).toBe(1);
    expect(store.tokens()[0]!.lastUsedAt).toBe('2026-01-01T00:00:04.999Z');
    c.advance(1);
    store.markTokenUsed('tok-default');
    expect(announced()).toBe(2);
  });

  it('does not note use of a revoked or unknown token', async () => {
    const { store, events } = await open();
    const t = await store.createToken('old', null);
    await store.revokeToken(t.id);
    const before = events.length;
    store.markTokenUsed(t.id);
    store.markTokenUsed('tok-404');
    expect(events.length).toBe(before);
    expect(store.tokens().find((x) => x.id === t.id)?.lastUsedAt).toBeNull();
  });
});

describe('on disk', () => {
  it('names a state.json it cannot read', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'state.json'));
    await expect(open({ file: path.join(dir, 'state.json') })).rejects.toThrow(/state\.json: cannot be read/);
  });

  it('with --reset-data moves an unreadable state.json aside and starts fresh', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    await writeFile(file, '{broken');
    const { store } = await open({ file, resetData: true });
    expect(store.services().map((s) => s.id)).toEqual(['sedai']);
    const names = await readdir(dir);
    const aside = names.find((n) => n.startsWith('state.json.corrupt-'));
    expect(aside).toBe('state.json.corrupt-2026-01-01T00-00-00-000Z');
    expect(await readFile(path.join(dir, aside!), 'utf8')).toBe('{broken');
  });

  it('keeps services, tokens and settings across an open, and reset keeps settings and the default token', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    const a = await open({ file, defaultTokenValue: 'cgk_default-0123456789' });
    await a.store.createService({ name: 'Prod', maintenance: false, filters: [] });
    await a.store.saveSetting('faults', { rules: [] });
    const b = await open({ file });
    expect(b.store.services().map((s) => s.name)).toEqual(['Sedai', 'Prod']);
    expect(b.store.setting('faults')).toEqual({ rules: [] });
    expect(b.store.defaultTokenValue()).toBe('cgk_default-0123456789');
    await b.store.reset();
    expect(b.store.services().map((s) => s.name)).toEqual(['Sedai']);
    expect(b.store.setting('faults')).toEqual({ rules: [] });
    expect(JSON.parse(await readFile(file, 'utf8')).services).toHaveLength(1);
  });

  it.each<[string, string]>([
    ['null', 'null'],
    ['nothing', ''],
    ['only spaces', '   \n'],
    ['a list', '[]'],
    ['a string', '"state"'],
    ['an object without services', '{"version":1,"tokens":[],"defaultToken":{"id":"t","value":"v"}}'],
  ])('refuses a state.json holding %s, and leaves it as it was', async (_name, text) => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    await writeFile(file, text);
    await expect(open({ file })).rejects.toBeInstanceOf(DataFileError);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  // A wrong type anywhere used to start and then fail every request with a 500.
  const written = async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    const a = await open({ file, defaultTokenValue: 'cgk_default-0123456789' });
    await a.store.createToken('ci', null);
    return { file, state: JSON.parse(await readFile(file, 'utf8')) };
  };
  it.each<[string, (s: any) => void, string]>([
    ['a filter whose trigger is null', (s) => (s.services[0].filters[0].trigger = null), 'services[0].filters[0].trigger'],
    ['a condition key that is a number', (s) => (s.services[0].filters[0].trigger.conditions[0].key = 5), 'services[0].filters[0].trigger.conditions[0].key'],
    ['a service name that is null', (s) => (s.services[0].name = null), 'services[0].name'],
    ['maintenance as text', (s) => (s.services[0].maintenance = 'yes'), 'services[0].maintenance'],
    ['a token revoked at a number', (s) => (s.tokens[1].revokedAt = 5), 'tokens[1].revokedAt'],
    ['a token counter as text', (s) => (s.counters.token = 'x'), 'counters.token'],
    ['settings as a list', (s) => (s.settings = []), 'settings'],
    ['a fault rule of an unknown kind', (s) => (s.settings = { faults: { rules: [{ kind: 'explode' }] } }), 'settings.faults.rules[0].kind'],
    ['simulator settings without integrations', (s) => (s.settings = { simulator: { scopes: {} } }), 'settings.simulator.integrations'],
  ])('refuses a state.json with %s, naming the field, and leaves it as it was', async (_name, damage, field) => {
    const { file, state } = await written();
    damage(state);
    const text = JSON.stringify(state);
    await writeFile(file, text);
    const err = await open({ file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toContain('state.json: has a field of the wrong type');
    expect((err as Error).message).toContain(`${field}:`);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('reads a stored filter with fields it does not know, dropping them, and keeps a stored resolve part as saved', async () => {
    const { file, state } = await written();
    const saved = state.services[0].filters[0];
    expect(saved.resolve.enabled).toBe(true); // every save writes `enabled`
    state.services[0].filters[0] = { ...saved, note: 'from a newer version', trigger: { ...saved.trigger, colour: 'red' } };
    state.services[0].filters.push({ name: 'Hand-edited', trigger: { conditions: [{ key: 'a', contains: [] }] }, resolve: { conditions: [{ key: 'b', contains: [] }] } });
    await writeFile(file, JSON.stringify(state));
    const { store } = await open({ file });
    const [first, second] = store.services()[0]!.filters;
    expect(first).toEqual(saved);
    expect(second!.resolve).toEqual({ enabled: false, conditions: [{ key: 'b', contains: [] }] });
  });

  it('with --reset-data moves a state.json with a wrong-typed field aside', async () => {
    const { file, state } = await written();
    state.services[0].filters[0].trigger = null;
    await writeFile(file, JSON.stringify(state));
    const { store } = await open({ file, resetData: true });
    expect(store.services()[0]!.filters[0]!.trigger).not.toBeNull();
    expect((await readdir(path.dirname(file))).some((n) => n.startsWith('state.json.corrupt-'))).toBe(true);
  });
});
