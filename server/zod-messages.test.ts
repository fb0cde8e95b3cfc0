import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zodDetails } from './errors.ts';

const schema = z.strictObject({
  name: z.string(),
  count: z.number().int().optional(),
  at: z.union([z.string(), z.number()]).optional(),
  status: z.enum(['active', 'resolved']).optional(),
  on: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  inner: z.object({ key: z.string() }).optional(),
  one: z.literal('only').optional(),
  small: z.number().min(1).optional(),
});

const problems = (value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : zodDetails(r.error).map((d) => `${d.path}: ${d.message}`);
};

describe('problems in what a user wrote, in plain words', () => {
  it.each<[string, unknown, string[]]>([
    ['a missing key is required', {}, ['name: is required']],
    ['a missing key inside an object', { name: 'n', inner: {} }, ['inner.key: is required']],
    ['text where a number goes', { name: 'n', count: 'three' }, ['count: must be a number (it is text)']],
    ['a fraction where a whole number goes', { name: 'n', count: 1.5 }, ['count: must be a whole number (it is a fraction)']],
    ['a number where text goes', { name: 5 }, ['name: must be text (it is a number)']],
    ['either of two kinds', { name: 'n', at: true }, ['at: must be text or a number']],
    ['one of a list', { name: 'n', status: 'open' }, ['status: must be one of "active" or "resolved"']],
    ['a boolean', { name: 'n', on: 'yes' }, ['on: must be true or false (it is text)']],
    ['a list', { name: 'n', tags: 'a,b' }, ['tags: must be a list (it is text)']],
    ['an object', { name: 'n', inner: [] }, ['inner: must be an object (it is a list)']],
    ['one unknown key', { name: 'n', nmae: 'x' }, ['"nmae" is not a key here'].map((m) => `: ${m}`)],
    ['two unknown keys', { name: 'n', a: 1, b: 2 }, [': "a", "b" are not keys here']],
    ['other problems keep their own words', { name: 'n', small: 0 }, ['small: Too small: expected number to be >=1']],
    ['a single allowed value keeps its own words', { name: 'n', one: 'other' }, ['one: Invalid input: expected "only"']],
  ])('%s', (_name, value, expected) => {
    expect(problems(value)).toEqual(expected);
  });
});
