// Sedai webhook bodies: the integration guide's samples from fixtures/payloads
// (~450 bytes, indented as the guide shows them), with an eventId per
// lifecycle, so OPENs create incidents and RESOLVEDs close them.
import { readFixtureJson } from '../server/fixtures.ts';

const open = readFixtureJson('payloads/sedai-open.json') as Record<string, unknown>;
const resolved = readFixtureJson('payloads/sedai-resolved.json') as Record<string, unknown>;

export function sedaiOpen(eventId: string): string {
  return JSON.stringify({ ...open, eventId, link: `https://dashboard.sedai.io/events/${eventId}` }, null, 2);
}

export function sedaiResolved(eventId: string): string {
  return JSON.stringify({ ...resolved, eventId }, null, 2);
}

/** The plain-Express baseline's body: an OPEN like the product gets. */
export const BASELINE_BODY = sedaiOpen('evt-r1-c12-000123');
