// Problems in what a user wrote (a request body, a scenario file, a filters
// file) in plain words: "is required" rather than "Invalid input: expected
// string, received undefined".
import type { core } from 'zod';

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
  null: 'null',
};

const kind = (expected: string) => KINDS[expected] ?? expected;

/** What a value of the other kind was, from zod's "received X" (undefined when it was missing). */
function received(message: string): string | undefined {
  return /received (\w+)$/.exec(message)?.[1];
}

function isMissing(issue: core.$ZodIssue): boolean {
  if (issue.code === 'invalid_type') return received(issue.message) === 'undefined';
  if (issue.code === 'invalid_union') return issue.errors.length > 0 && issue.errors.every((branch) => branch.length > 0 && branch.every(isMissing));
  return false;
}

/** zod's own words for the issue, as opposed to a message a schema gave. */
const DEFAULT = /^(Invalid input|Invalid option|Unrecognized keys?)\b/;

export function plainIssueMessage(issue: core.$ZodIssue): string {
  if (!DEFAULT.test(issue.message)) return issue.message;
  if (isMissing(issue)) return 'is required';
  if (issue.code === 'invalid_type') {
    const got = received(issue.message);
    return `must be ${kind(issue.expected)}${got ? ` (it is ${got === 'number' && issue.expected === 'int' ? 'a fraction' : kind(got)})` : ''}`;
  }
  if (issue.code === 'invalid_union') {
    const wanted = issue.errors.map((b) => b.find((i) => i.code === 'invalid_type')).filter((i): i is core.$ZodIssueInvalidType => i?.code === 'invalid_type');
    if (wanted.length === issue.errors.length && wanted.length > 0) return `must be ${wanted.map((i) => kind(i.expected)).join(' or ')}`;
  }
  if (issue.code === 'invalid_value' && issue.values.length > 1) {
    const v = issue.values.map((x) => JSON.stringify(x));
    return `must be one of ${v.slice(0, -1).join(', ')} or ${v.at(-1)}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return issue.keys.length === 1 ? `${keys} is not a key here` : `${keys} are not keys here`;
  }
  return issue.message;
}
