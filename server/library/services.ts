// The `services` option: services with their filters that replace the
// default Sedai one, checked as the admin API checks them, before the mock
// starts, so that a mistake fails startMock() with every problem named.
import { createServiceSchema, validateFilters, type Filter, type Service } from '../contract.ts';
import { problemText, readFilterList } from '../callgoose/filter-input.ts';
import { zodDetails } from '../errors.ts';
import type { ServiceInput } from './types.ts';

const serviceShape = createServiceSchema.omit({ filters: true });

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'service';

function parseFilters(label: string, filters: unknown): Filter[] {
  const r = readFilterList(filters);
  const problems = r.ok ? validateFilters(r.filters) : r.problems;
  if (problems.length > 0) throw new Error(`${label}: ${problems.map(problemText).join('; ')}`);
  return r.ok ? r.filters : [];
}

/** The services as the store keeps them; throws an Error naming every problem. */
export function servicesFromOption(inputs: readonly ServiceInput[]): Service[] {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new Error('the services option needs at least one service');
  const ids = new Set<string>();
  return inputs.map((input, i) => {
    const label = `services[${i}]${input && typeof input.name === 'string' ? ` ("${input.name}")` : ''}`;
    const shape = serviceShape.safeParse(input);
    if (!shape.success) throw new Error(`${label}: ${zodDetails(shape.error).map((d) => `${d.path || '(root)'}: ${d.message}`).join('; ')}`);
    const filters = parseFilters(label, input.filters ?? []);
    if (input.id !== undefined && (typeof input.id !== 'string' || input.id.trim() === '')) throw new Error(`${label}: id must be non-empty text`);
    let id = input.id ?? slug(shape.data.name);
    if (input.id !== undefined && ids.has(id)) throw new Error(`${label}: the id "${id}" is used by another service`);
    for (let n = 2; ids.has(id); n++) id = `${slug(shape.data.name)}-${n}`;
    ids.add(id);
    return { id, name: shape.data.name, maintenance: shape.data.maintenance, filters };
  });
}
