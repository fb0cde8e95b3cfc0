// What the data files must hold (docs/behaviour.md §11.4), one named case
// per rule: every field of the state file and of an incidents file (a chunk,
// the head, or an earlier version's incidents.json) refused when it has the
// wrong type or value, every value it may take accepted, unknown fields
// carried along, ids handed out never handed out again, and how the problem
// is told (the fields' paths, at most five named).
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DataFileError } from './data-files.ts';
import { checkDataFile, dataFileProblem, incidentsFileSchema, stateFileSchema } from './data-schemas.ts';

const T0 = '2026-01-01T00:00:00.000Z';

type Json = Record<string, unknown>;

const stateFile = (): Json => ({
  version: 1,
  services: [{ id: 'sedai', name: 'Sedai', maintenance: false, filters: [], ownTokensOnly: true }],
  tokens: [{ id: 'tok-1', name: 'ci', serviceId: null, hash: 'h', masked: 'cg_…abcd', createdAt: T0, revokedAt: null, lastUsedAt: null }],
  defaultToken: { id: 'tok-0', value: 'v' },
  counters: { service: 0, token: 1 },
  settings: {},
});

const incident = (id = 'INC-1'): Json => ({
  id, serviceId: 'sedai', serviceName: 'Sedai', filterName: 'Sedai', title: 't', description: 'd', urgency: 'High', status: 'triggered',
  mapKey: 'eventId', mapValue: 'evt-1', source: 'Sedai', createdAt: T0, acknowledgedAt: null, resolvedAt: null, resolvedBy: null,
  resolveComment: null, duplicateCount: 0, bodyHash: null, timeline: [{ at: T0, kind: 'created', by: 'api', logId: null }],
});

const incidentsFile = (incidents: Json[] = [incident()], nextIncident = 2): Json => ({ version: 1, fromSegment: 1, nextIncident, nextLog: 1, incidents });

/** A copy of `value` with the field at `path` set (or removed, for undefined). */
function withField(value: Json, path: (string | number)[], to: unknown): Json {
  const copy = structuredClone(value);
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (to === undefined) delete at[last];
  else at[last] = to;
  return copy;
}

/** The problems named, each `path: message`. */
const named = (schema: z.ZodType, value: unknown) => {
  const p = dataFileProblem(schema, value);
  return p === null ? null : /\((.*)\)\. It was left untouched/.exec(p)![1];
};

describe('the state file', () => {
  it('is accepted as written', () => {
    expect(named(stateFileSchema, stateFile())).toBeNull();
  });

  it.each<[string, (string | number)[], unknown, string]>([
    ['the version as text', ['version'], '1', 'version'],
    ['the services missing', ['services'], undefined, 'services'],
    ['a service without an id', ['services', 0, 'id'], undefined, 'services[0].id'],
    ['a service without a name', ['services', 0, 'name'], undefined, 'services[0].name'],
    ['maintenance as text', ['services', 0, 'maintenance'], 'no', 'services[0].maintenance'],
    ['the filters missing', ['services', 0, 'filters'], undefined, 'services[0].filters'],
    ['a filter with "trigger": null', ['services', 0, 'filters'], [{ name: 'f', trigger: null }], 'services[0].filters[0].trigger'],
    ['own tokens only as text', ['services', 0, 'ownTokensOnly'], 'yes', 'services[0].ownTokensOnly'],
    ['the tokens missing', ['tokens'], undefined, 'tokens'],
    ['a token without an id', ['tokens', 0, 'id'], undefined, 'tokens[0].id'],
    ['a token without a name', ['tokens', 0, 'name'], undefined, 'tokens[0].name'],
    ['a token\'s service as a number', ['tokens', 0, 'serviceId'], 7, 'tokens[0].serviceId'],
    ['a token without its hash', ['tokens', 0, 'hash'], undefined, 'tokens[0].hash'],
    ['a token without its masked value', ['tokens', 0, 'masked'], undefined, 'tokens[0].masked'],
    ['a token without its creation time', ['tokens', 0, 'createdAt'], undefined, 'tokens[0].createdAt'],
    ['a token\'s revocation missing', ['tokens', 0, 'revokedAt'], undefined, 'tokens[0].revokedAt'],
    ['a token\'s last use missing', ['tokens', 0, 'lastUsedAt'], undefined, 'tokens[0].lastUsedAt'],
    ['the default token missing', ['defaultToken'], undefined, 'defaultToken'],
    ['the default token without an id', ['defaultToken', 'id'], undefined, 'defaultToken.id'],
    ['the default token without its value', ['defaultToken', 'value'], undefined, 'defaultToken.value'],
    ['the counters missing', ['counters'], undefined, 'counters'],
    ['the service counter as text', ['counters', 'service'], '3', 'counters.service'],
    ['the token counter below zero', ['counters', 'token'], -1, 'counters.token'],
    ['the settings missing', ['settings'], undefined, 'settings'],
    ['the fault rules of the wrong shape', ['settings', 'faults'], { rules: 'none' }, 'settings.faults.rules'],
    ['the simulator settings of the wrong shape', ['settings', 'simulator'], { integrations: 'none' }, 'settings.simulator.integrations'],
  ])('refuses %s, naming the field', (_name, path, to, field) => {
    expect(named(stateFileSchema, withField(stateFile(), path, to))).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `));
  });

  it.each<[string, (string | number)[], unknown]>([
    ['a service without the own-tokens-only field', ['services', 0, 'ownTokensOnly'], undefined],
    ['a token of one service, revoked and used', ['tokens', 0], { id: 't', name: 'n', serviceId: 'sedai', hash: 'h', masked: 'm', createdAt: T0, revokedAt: T0, lastUsedAt: T0 }],
    ['no fault rules saved', ['settings', 'faults'], undefined],
    ['fault rules saved', ['settings', 'faults'], { rules: [] }],
    ['a field of a newer version, at the top', ['newer'], { x: 1 }],
    ['a field of a newer version, in a service', ['services', 0, 'newer'], 1],
    ['a field of a newer version, in a token', ['tokens', 0, 'newer'], 1],
    ['a field of a newer version, in the default token', ['defaultToken', 'newer'], 1],
    ['a field of a newer version, in the counters', ['counters', 'newer'], 1],
    ['a field of a newer version, in the settings', ['settings', 'newer'], 1],
  ])('accepts %s', (_name, path, to) => {
    expect(named(stateFileSchema, withField(stateFile(), path, to))).toBeNull();
  });
});

describe('an incidents file', () => {
  it('is accepted as written', () => {
    expect(named(incidentsFileSchema, incidentsFile())).toBeNull();
  });

  it.each<[string, (string | number)[], unknown, string]>([
    ['the version as text', ['version'], '1', 'version'],
    ['the segment 0', ['fromSegment'], 0, 'fromSegment'],
    ['the next incident number missing', ['nextIncident'], undefined, 'nextIncident'],
    ['the next log number as text', ['nextLog'], '1', 'nextLog'],
    ['the incidents missing', ['incidents'], undefined, 'incidents'],
    ...(['id', 'serviceId', 'serviceName', 'filterName', 'title', 'description', 'createdAt'] as const).map(
      (f): [string, (string | number)[], unknown, string] => [`an incident without its ${f}`, ['incidents', 0, f], undefined, `incidents[0].${f}`],
    ),
    ['an urgency of its own', ['incidents', 0, 'urgency'], 'Medium', 'incidents[0].urgency'],
    ['a status of its own', ['incidents', 0, 'status'], 'closed', 'incidents[0].status'],
    ...(['mapKey', 'mapValue', 'source', 'acknowledgedAt', 'resolvedAt', 'resolveComment', 'bodyHash'] as const).map(
      (f): [string, (string | number)[], unknown, string] => [`an incident's ${f} as a number`, ['incidents', 0, f], 1, `incidents[0].${f}`],
    ),
    ['resolved by someone else', ['incidents', 0, 'resolvedBy'], 'cron', 'incidents[0].resolvedBy'],
    ['a duplicate count below zero', ['incidents', 0, 'duplicateCount'], -1, 'incidents[0].duplicateCount'],
    ['a duplicate count that is not whole', ['incidents', 0, 'duplicateCount'], 1.5, 'incidents[0].duplicateCount'],
    ['the timeline missing', ['incidents', 0, 'timeline'], undefined, 'incidents[0].timeline'],
    ['the omitted count as text', ['incidents', 0, 'timelineOmitted'], '3', 'incidents[0].timelineOmitted'],
    ['a timeline entry without its time', ['incidents', 0, 'timeline', 0, 'at'], undefined, 'incidents[0].timeline[0].at'],
    ['a timeline entry of a kind of its own', ['incidents', 0, 'timeline', 0, 'kind'], 'reopened', 'incidents[0].timeline[0].kind'],
    ['a timeline entry by someone else', ['incidents', 0, 'timeline', 0, 'by'], 'cron', 'incidents[0].timeline[0].by'],
    ['a timeline entry\'s log id as a number', ['incidents', 0, 'timeline', 0, 'logId'], 3, 'incidents[0].timeline[0].logId'],
    ['a timeline entry\'s comment as a number', ['incidents', 0, 'timeline', 0, 'comment'], 3, 'incidents[0].timeline[0].comment'],
  ])('refuses %s, naming the field', (_name, path, to, field) => {
    expect(named(incidentsFileSchema, withField(incidentsFile(), path, to))).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `));
  });

  it.each<[string, (string | number)[], unknown]>([
    ['a low urgency', ['incidents', 0, 'urgency'], 'Low'],
    ['an acknowledged incident', ['incidents', 0, 'status'], 'acknowledged'],
    ['a resolved incident', ['incidents', 0, 'status'], 'resolved'],
    ['resolved by the API', ['incidents', 0, 'resolvedBy'], 'api'],
    ['resolved by a user', ['incidents', 0, 'resolvedBy'], 'user'],
    ['a timeline with some entries left out', ['incidents', 0, 'timelineOmitted'], 4],
    ...(['created', 'duplicate', 'acknowledged', 'unacknowledged', 'resolved'] as const).map((k): [string, (string | number)[], unknown] => [`a timeline entry "${k}"`, ['incidents', 0, 'timeline', 0, 'kind'], k]),
    ['a timeline entry by a user, with a comment', ['incidents', 0, 'timeline', 0], { at: T0, kind: 'resolved', by: 'user', logId: 'log-1', comment: 'fixed' }],
    ['a field of a newer version, at the top', ['newer'], 1],
    ['a field of a newer version, in an incident', ['incidents', 0, 'newer'], 1],
    ['a field of a newer version, in a timeline entry', ['incidents', 0, 'timeline', 0, 'newer'], 1],
  ])('accepts %s', (_name, path, to) => {
    expect(named(incidentsFileSchema, withField(incidentsFile(), path, to))).toBeNull();
  });

  describe('ids handed out are never handed out again', () => {
    it.each<[string, string[], number, string | null]>([
      ['the next number above every id', ['INC-3', 'INC-7'], 8, null],
      ['the next number at the highest id', ['INC-7', 'INC-3'], 7, 'nextIncident: is 7, but INC-7 is already taken (it must be above 7)'],
      ['the next number below the highest id, an earlier one in the list', ['INC-9', 'INC-3'], 5, 'nextIncident: is 5, but INC-9 is already taken (it must be above 9)'],
      ['an id of several digits', ['INC-12'], 5, 'nextIncident: is 5, but INC-12 is already taken (it must be above 12)'],
      ['ids not written as INC-n take no number', ['old-9', 'x-INC-9', 'INC-9-b', 'INC-'], 1, null],
      ['the same id twice', ['INC-1', 'INC-1'], 2, 'incidents[1].id: "INC-1" is the id of an earlier incident too'],
      ['two ids alike but for a letter\'s case', ['INC-1', 'inc-1'], 2, null],
    ])('%s', (_name, ids, next, problem) => {
      expect(named(incidentsFileSchema, incidentsFile(ids.map(incident), next))).toBe(problem);
    });
  });
});

describe('how a problem is told', () => {
  const broken = (n: number) => incidentsFile(Array.from({ length: n }, (_, i) => ({ ...incident(`INC-${i + 1}`), title: 0 })), n + 1);

  it.each<[string, unknown, string]>([
    ['one field', broken(1), 'incidents[0].title: must be text (it is a number)'],
    ['the whole file', null, '(the whole file): must be an object (it is null)'],
    ['five fields, each named', broken(5), [0, 1, 2, 3, 4].map((i) => `incidents[${i}].title: must be text (it is a number)`).join('; ')],
    ['seven fields: five named, the rest counted', broken(7), `${[0, 1, 2, 3, 4].map((i) => `incidents[${i}].title: must be text (it is a number)`).join('; ')}; and 2 more`],
  ])('%s', (_name, value, told) => {
    expect(dataFileProblem(incidentsFileSchema, value)).toBe(`has a field of the wrong type or value (${told}). It was left untouched; fix it, or start with --reset-data to move it aside.`);
  });

  it('refuses the file by name, and lets a good one through', () => {
    expect(() => checkDataFile('/data/incidents/head.json', incidentsFileSchema, incidentsFile())).not.toThrow();
    let thrown: unknown;
    try {
      checkDataFile('/data/incidents/head.json', incidentsFileSchema, broken(1));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DataFileError);
    expect((thrown as DataFileError).file).toBe('/data/incidents/head.json');
    expect((thrown as DataFileError).message).toBe(`/data/incidents/head.json: ${dataFileProblem(incidentsFileSchema, broken(1))}`);
  });
});
