// Start-up from the data folder: the snapshot, then the journal on top.
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../testing/harness.ts';
import { ApiLogIndex } from './api-log-index.ts';
import { DataFileError } from './data-files.ts';
import { IncidentIndex } from './incident-index.ts';
import { recover } from './recovery.ts';

const read = { resetData: false, now: () => '2026-01-01T00:00:00.000Z' };

async function folder(files: Record<string, string>) {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'journal'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

function target() {
  const t = { incidents: new IncidentIndex(), logs: new ApiLogIndex(), trims: 0, trim: () => void (t.trims += 1) };
  return t;
}

const incident = (n: number) => ({
  id: `INC-${n}`, serviceId: 'sedai', serviceName: 'Sedai', filterName: 'Sedai', title: 't', description: '', urgency: 'High', status: 'triggered',
  mapKey: 'eventId', mapValue: `evt-${n}`, source: null, createdAt: 'a', acknowledgedAt: null, resolvedAt: null, resolvedBy: null,
  resolveComment: null, duplicateCount: 0, bodyHash: null, timeline: [],
});
const snapshot = (over: Record<string, unknown> = {}) => JSON.stringify({ version: 1, fromSegment: 2, nextIncident: 5, nextLog: 9, incidents: [incident(1)], ...over });
const summary = (seq: number) => ({
  id: `log-${seq}`, receivedAt: 'a', method: 'POST', path: '/v1/process', from: 'Sedai', status: 201, outcome: 'created', explanation: 'e',
  contentType: 'application/json', bodySize: 1, tokenOutcome: 'valid', incidentIds: [], durationMs: 1, snippet: '',
});
const logLine = (seq: number) => JSON.stringify({ k: 'log', seq, s: summary(seq), d: null });
const incLine = (n: number) => JSON.stringify({ k: 'inc', c: { op: 'create', incident: incident(n) } });

describe('recover', () => {
  it('starts empty from an empty folder', async () => {
    const t = target();
    const r = await recover(await folder({}), t, read);
    expect(r).toEqual({ snapshotFrom: 1, segmentLastLog: new Map(), segments: [] });
    expect(t.incidents.size).toBe(0);
  });

  it('reads the snapshot, then replays log lines of every segment and incident changes the snapshot does not hold', async () => {
    const dir = await folder({
      'incidents.json': snapshot(),
      'journal/000001.jsonl': `${logLine(7)}\n${incLine(2)}\n`,
      'journal/000002.jsonl': `${logLine(8)}\n${incLine(3)}\n\n`,
      'journal/000003.jsonl': '',
    });
    const t = target();
    const r = await recover(dir, t, read);
    expect(r.snapshotFrom).toBe(2);
    expect(r.segments).toEqual([1, 2, 3]);
    expect([...r.segmentLastLog]).toEqual([[1, 7], [2, 8]]);
    expect(t.incidents.all().map((i) => i.id)).toEqual(['INC-1', 'INC-3']);
    expect(t.logs.all().map((s) => s.id)).toEqual(['log-7', 'log-8']);
    expect(t.incidents.allocateId()).toBe('INC-5');
    expect(t.logs.allocateId()).toBe('log-9');
    expect(t.trims).toBe(3);
  });

  it('skips a last line cut short by a crash', async () => {
    const t = target();
    await recover(await folder({ 'journal/000001.jsonl': `${logLine(1)}\n{"k":"log","se` }), t, read);
    expect(t.logs.length).toBe(1);
  });

  it('does not replay an incident change the snapshot already holds', async () => {
    const resolveLine = JSON.stringify({ k: 'inc', c: { op: 'event', id: 'INC-1', entry: { at: 'b', kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved' } } });
    const t = target();
    await recover(await folder({ 'incidents.json': snapshot(), 'journal/000001.jsonl': `${resolveLine}\n`, 'journal/000002.jsonl': `${logLine(8)}\n` }), t, read);
    expect(t.incidents.get('INC-1')?.status).toBe('triggered');
  });

  it('replays an incident change the snapshot does not hold yet', async () => {
    const resolveLine = JSON.stringify({ k: 'inc', c: { op: 'event', id: 'INC-1', entry: { at: 'b', kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved' } } });
    const t = target();
    await recover(await folder({ 'incidents.json': snapshot(), 'journal/000002.jsonl': `${resolveLine}\n` }), t, read);
    expect(t.incidents.get('INC-1')?.status).toBe('resolved');
  });

  it('refuses a damaged last line that did end with its newline', async () => {
    const dir = await folder({ 'journal/000001.jsonl': `${logLine(1)}\nnot json\n` });
    await expect(recover(dir, target(), read)).rejects.toThrow(/000001\.jsonl: line 2 is not valid JSON/);
  });

  it('keeps where a full entry lies when its details are all there', async () => {
    const line = JSON.stringify({ k: 'log', seq: 1, s: summary(1), d: { seg: 1, off: 0, len: 6 } });
    const t = target();
    await recover(await folder({ 'journal/000001.jsonl': `${line}\n`, 'journal/000001.details': 'whole\n' }), t, read);
    expect(t.logs.find('log-1')).toMatchObject({ seg: 1, off: 0, len: 6 });
  });

  it('refuses a damaged line in the middle even when the file lacks a final newline', async () => {
    const dir = await folder({ 'journal/000001.jsonl': `${logLine(1)}\nnot json\n${logLine(2)}` });
    await expect(recover(dir, target(), read)).rejects.toThrow(/000001\.jsonl: line 2 is not valid JSON/);
  });

  it('with --reset-data moves an incidents.json with a wrong-typed field aside and starts without it', async () => {
    const text = snapshot({ incidents: [{ ...incident(1), status: 'open' }] });
    const dir = await folder({ 'incidents.json': text });
    const t = target();
    const r = await recover(dir, t, { ...read, resetData: true });
    expect(r.snapshotFrom).toBe(1);
    expect(t.incidents.size).toBe(0);
    const aside = (await readdir(dir)).find((n) => n.startsWith('incidents.json.corrupt-'));
    expect(await readFile(path.join(dir, aside!), 'utf8')).toBe(text);
  });

  it('refuses a damaged line in the middle, naming the file and line', async () => {
    const dir = await folder({ 'journal/000001.jsonl': `${logLine(1)}\nnot json\n${logLine(2)}\n` });
    await expect(recover(dir, target(), read)).rejects.toThrow(/000001\.jsonl: line 2 is not valid JSON/);
  });

  it('drops the full entry of a log line whose details a crash kept off the disk, keeping its summary', async () => {
    const line = JSON.stringify({ k: 'log', seq: 1, s: summary(1), d: { seg: 1, off: 0, len: 50 } });
    const t = target();
    await recover(await folder({ 'journal/000001.jsonl': `${line}\n`, 'journal/000001.details': 'short' }), t, read);
    expect(t.logs.find('log-1')?.seg).toBe(-1);
  });

  it.each<[string, string, RegExp]>([
    ['null', 'null', /is not a JSON object/],
    ['a string', '"incidents"', /is not a JSON object/],
    ['a number', '5', /is not a JSON object/],
    ['a list', '[]', /is not a JSON object/],
    ['no incidents list', '{"version":1,"fromSegment":1,"nextIncident":1,"nextLog":1}', /has no "incidents" list/],
    ['a newer version', snapshot({ version: 99 }), /written by a newer version/],
    ['a segment that is not a number', snapshot({ fromSegment: 'x' }), /"fromSegment" "x", not a whole number/],
    ['a next incident below 1', snapshot({ nextIncident: 0 }), /"nextIncident" 0, not a whole number/],
    ['a fractional next log', snapshot({ nextLog: 1.5 }), /"nextLog" 1.5, not a whole number/],
    ['a missing counter', JSON.stringify({ version: 1, fromSegment: 1, nextIncident: 1, incidents: [] }), /"nextLog" missing/],
    ['not JSON', '{"incidents": [', /is not valid JSON/],
    ['an incident whose status is unknown', snapshot({ incidents: [{ ...incident(1), status: 'open' }] }), /has a field of the wrong type or value \(incidents\[0\]\.status: /],
    ['an incident that is null', snapshot({ incidents: [incident(1), null] }), /incidents\[1\]: /],
    ['a timeline that is not a list', snapshot({ incidents: [{ ...incident(1), timeline: {} }] }), /incidents\[0\]\.timeline: /],
    ['a duplicate count as text', snapshot({ incidents: [{ ...incident(1), duplicateCount: '3' }] }), /incidents\[0\]\.duplicateCount: /],
    ['a next incident already taken', snapshot({ nextIncident: 1 }), /nextIncident: is 1, but INC-1 is already taken/],
    ['two incidents with one id', snapshot({ nextIncident: 9, incidents: [incident(1), incident(1)] }), /incidents\[1\]\.id: "INC-1" is the id of an earlier incident too/],
  ])('refuses an incidents.json holding %s and leaves it untouched', async (_name, text, message) => {
    const dir = await folder({ 'incidents.json': text });
    const err = await recover(dir, target(), read).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toMatch(message);
    expect((err as DataFileError).file).toBe(path.join(dir, 'incidents.json'));
    expect(await readFile(path.join(dir, 'incidents.json'), 'utf8')).toBe(text);
  });
});
