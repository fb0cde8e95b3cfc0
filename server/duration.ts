// Durations, one rule everywhere (README.md, "Durations"):
// - a duration string always carries its unit: "250ms", "30s", "5m", "1h",
//   "1m30s" (parts largest first, each unit at most once);
// - a JSON number (a scenario file, an API body) is milliseconds, as field
//   names such as `timeoutMs` say;
// - a bare-number string ("60") is refused: it could mean seconds or
//   milliseconds, and guessing wrong is off by a factor of 1000.
import { z } from 'zod';

export class DurationError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-unit' | 'not-a-duration',
  ) {
    super(message);
    this.name = 'DurationError';
  }
}

export interface DurationContext {
  /** What is being read, e.g. "--dedup-window"; errors start with it. */
  what?: string;
  /** The value came from JSON, where a number of milliseconds is also accepted. */
  json?: boolean;
}

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const UNIT_ORDER: readonly Unit[] = ['h', 'm', 's', 'ms'];
const PART_RE = /^(\d+(?:\.\d+)?)\s*(ms|h|m|s)\s*/i;
const BARE_NUMBER_RE = /^\d+(?:\.\d+)?$/;

const isUnit = (u: string): u is Unit => u in UNIT_MS;

/** Milliseconds in "1m30s" and the like; null when the text is not such a duration. */
function readParts(text: string): number | null {
  let rest = text;
  let total = 0;
  let last = -1;
  while (rest !== '') {
    const m = PART_RE.exec(rest);
    const unit = m?.[2]?.toLowerCase() ?? '';
    if (!m || !isUnit(unit)) return null;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= last) return null;
    last = rank;
    total += Number(m[1]) * UNIT_MS[unit];
    rest = rest.slice(m[0].length);
  }
  return last === -1 ? null : Math.round(total);
}

function refuse(text: string, reason: DurationError['reason'], ctx: DurationContext, shown = `"${text}"`): DurationError {
  const numberNote = ctx.json ? ' or a number of ms' : '';
  if (reason === 'no-unit') {
    const fix = ctx.json ? `write "${text}s", or the number ${text} for milliseconds` : `write ${text}s`;
    return new DurationError(`${ctx.what ?? 'a duration'} must carry a unit: "${text}" could mean ${text}s or ${text}ms; ${fix}`, reason);
  }
  const head = ctx.what ? `${ctx.what}: ` : '';
  return new DurationError(`${head}${shown} is not a duration (use "250ms", "30s", "5m", "1h", "1m30s"${numberNote})`, reason);
}

/** The milliseconds a duration string stands for; throws DurationError with a message a person can act on. */
export function parseDuration(text: string, ctx: DurationContext = {}): number {
  const t = text.trim();
  if (BARE_NUMBER_RE.test(t)) throw refuse(t, 'no-unit', ctx);
  const ms = readParts(t);
  if (ms === null) throw refuse(text, 'not-a-duration', ctx);
  return ms;
}

/** A duration as JSON carries it: a number is milliseconds, a string carries its unit. */
export function parseJsonDuration(value: string | number, ctx: DurationContext = {}): number {
  if (typeof value === 'string') return parseDuration(value, { ...ctx, json: true });
  if (!Number.isFinite(value) || value < 0) throw refuse(String(value), 'not-a-duration', { ...ctx, json: true }, String(value));
  return Math.round(value);
}

/** A zod field holding a JSON duration, read into milliseconds, at most `maxMs`. */
export function jsonDurationSchema(opts: { maxMs: number; limitName: string }) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    let ms: number;
    try {
      ms = parseJsonDuration(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
      return z.NEVER;
    }
    if (ms > opts.maxMs) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is longer than the ${opts.limitName} limit` });
      return z.NEVER;
    }
    return ms;
  });
}
