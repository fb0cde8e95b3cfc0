// Pure helpers of the simulator view: masking the token in a webhook URL,
// turning form text into the admin API's shapes (and the server's error paths
// back into form fields), countdowns, and the demo's time scaling.
import { maskToken, maskUrlToken, type DeliveryAttempt } from '../../../../server/contract.ts';
import type { ErrorDetail } from '../../lib/api.ts';
import type { LifecycleFaults, Integration, ScheduleConfig } from './api.ts';

// ---------------------------------------------------------------------------
// Secrets

/** As the server masks tokens: `cgk_…abcd`, and short ones hidden whole. */
export const maskSecret = maskToken;

export { maskUrlToken };

export const hasUrlToken = (url: string): boolean => /[?&]token=[^&#]+/i.test(url);

/** Header values that usually carry a credential are shown masked in lists. */
export function isSecretHeader(name: string): boolean {
  return /auth|token|secret|key|signature|password|cookie/i.test(name);
}

// ---------------------------------------------------------------------------
// Form ↔ API

/** Maps the server's error `details` onto form fields; unknown paths go to `''` (the form as a whole). */
export function errorsByField(details: readonly ErrorDetail[], fieldOf: (path: string) => string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of details) {
    const field = fieldOf(d.path) ?? '';
    (out[field] ??= []).push(field === '' && d.path ? `${d.path}: ${d.message}` : d.message);
  }
  return out;
}

export interface ScheduleForm {
  eventsPerMinute: string;
  /** Percent, 0–100. */
  jitter: string;
  /** Seconds. */
  resolveMin: string;
  resolveMax: string;
  /** Percent, 0–100. */
  neverResolve: string;
  /** Empty: a new random seed every start of the process. */
  seed: string;
}

const trimNum = (n: number) => String(Math.round(n * 1000) / 1000);

export function scheduleToForm(s: ScheduleConfig): ScheduleForm {
  return {
    eventsPerMinute: trimNum(s.eventsPerMinute),
    jitter: trimNum(s.jitter * 100),
    resolveMin: trimNum(s.resolveDelayMs.min / 1000),
    resolveMax: trimNum(s.resolveDelayMs.max / 1000),
    neverResolve: trimNum(s.neverResolveChance * 100),
    seed: s.seed === null ? '' : String(s.seed),
  };
}

/** A number as typed, or NaN (sent as null) so that the server names the field. */
const num = (t: string): number => (t.trim() === '' ? Number.NaN : Number(t.trim()));
const orNull = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** What the schedule form sends: a value the page cannot read goes as null, and the server's answer names the field. */
export interface ScheduleDraft {
  eventsPerMinute: number | null;
  jitter: number | null;
  resolveDelayMs: { min: number | null; max: number | null };
  neverResolveChance: number | null;
  seed: number | string | null;
}

export function formToSchedule(f: ScheduleForm): ScheduleDraft {
  const pct = (t: string) => {
    const n = num(t);
    return Number.isFinite(n) ? Math.round(n * 100) / 10_000 : null;
  };
  const secs = (t: string) => {
    const n = num(t);
    return Number.isFinite(n) ? Math.round(n * 1000) : null;
  };
  const seed = f.seed.trim();
  return {
    eventsPerMinute: orNull(num(f.eventsPerMinute)),
    jitter: pct(f.jitter),
    resolveDelayMs: { min: secs(f.resolveMin), max: secs(f.resolveMax) },
    neverResolveChance: pct(f.neverResolve),
    seed: seed === '' ? null : Number.isInteger(Number(seed)) ? Number(seed) : seed,
  };
}

export function scheduleField(path: string): keyof ScheduleForm | null {
  if (path.startsWith('eventsPerMinute')) return 'eventsPerMinute';
  if (path.startsWith('jitter')) return 'jitter';
  if (path.startsWith('resolveDelayMs.max')) return 'resolveMax';
  if (path.startsWith('resolveDelayMs')) return 'resolveMin';
  if (path.startsWith('neverResolveChance')) return 'neverResolve';
  if (path.startsWith('seed')) return 'seed';
  return null;
}

export interface IntegrationForm {
  name: string;
  url: string;
  format: 'json' | 'yaml';
  enabled: boolean;
  /** One `Name: value` per line. */
  headers: string;
  /** Seconds. */
  timeout: string;
  maxAttempts: string;
  /** Seconds. */
  baseDelay: string;
  maxDelay: string;
  trustSelfSigned: boolean;
}

export const newIntegrationForm = (url = ''): IntegrationForm => ({
  name: '',
  url,
  format: 'json',
  enabled: true,
  headers: '',
  timeout: '10',
  maxAttempts: '4',
  baseDelay: '1',
  maxDelay: '30',
  trustSelfSigned: false,
});

export function integrationToForm(i: Integration): IntegrationForm {
  return {
    name: i.name,
    url: i.url,
    format: i.format,
    enabled: i.enabled,
    headers: Object.entries(i.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    timeout: trimNum(i.timeoutMs / 1000),
    maxAttempts: String(i.retry.maxAttempts),
    baseDelay: trimNum(i.retry.baseDelayMs / 1000),
    maxDelay: trimNum(i.retry.maxDelayMs / 1000),
    trustSelfSigned: i.trustSelfSigned,
  };
}

/** `Name: value` lines → a header record; a line without a colon is a problem the page reports itself. */
export function parseHeaderLines(text: string): { headers: Record<string, string>; problems: string[] } {
  const headers: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const at = line.indexOf(':');
    if (at <= 0) {
      problems.push(`line ${i + 1}: write “Name: value”`);
      return;
    }
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  });
  return { headers, problems };
}

/** What the integration form sends; as with the schedule, unreadable numbers go as null for the server to name. */
export interface IntegrationDraft {
  name: string;
  url: string;
  method: 'POST';
  format: 'json' | 'yaml';
  enabled: boolean;
  headers: Record<string, string>;
  timeoutMs: number | null;
  retry: { maxAttempts: number | null; baseDelayMs: number | null; maxDelayMs: number | null };
  trustSelfSigned: boolean;
}

export function formToIntegration(f: IntegrationForm): { draft: IntegrationDraft; problems: string[] } {
  const { headers, problems } = parseHeaderLines(f.headers);
  const ms = (t: string) => {
    const n = num(t);
    return Number.isFinite(n) ? Math.round(n * 1000) : null;
  };
  return {
    problems,
    draft: {
      name: f.name,
      url: f.url.trim(),
      method: 'POST',
      format: f.format,
      enabled: f.enabled,
      headers,
      timeoutMs: ms(f.timeout),
      retry: { maxAttempts: orNull(num(f.maxAttempts)), baseDelayMs: ms(f.baseDelay), maxDelayMs: ms(f.maxDelay) },
      trustSelfSigned: f.trustSelfSigned,
    },
  };
}

export function integrationField(path: string): keyof IntegrationForm | null {
  if (path.startsWith('name')) return 'name';
  if (path.startsWith('url')) return 'url';
  if (path.startsWith('format')) return 'format';
  if (path.startsWith('headers')) return 'headers';
  if (path.startsWith('timeoutMs')) return 'timeout';
  if (path.startsWith('retry.maxAttempts')) return 'maxAttempts';
  if (path.startsWith('retry.baseDelayMs')) return 'baseDelay';
  if (path.startsWith('retry.maxDelayMs')) return 'maxDelay';
  return null;
}

// ---------------------------------------------------------------------------
// Time

/** "in 4 s", "in 1 min 5 s", "due now" — for the next event and pending resolves. */
export function countdown(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const s = Math.ceil((t - now) / 1000);
  if (s <= 0) return 'due now';
  if (s < 60) return `in ${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `in ${m} min ${s % 60} s`;
  return `in ${Math.floor(m / 60)} h ${m % 60} min`;
}

// ---------------------------------------------------------------------------
// Deliveries

export interface DeliveryTally {
  delivered: number;
  retrying: number;
  failed: number;
  dropped: number;
}

/** Final outcomes over the attempts the page holds; `retrying` counts attempts that will be tried again. */
export function tallyDeliveries(list: readonly DeliveryAttempt[]): DeliveryTally {
  const t: DeliveryTally = { delivered: 0, retrying: 0, failed: 0, dropped: 0 };
  for (const a of list) {
    if (a.outcome === 'delivered') t.delivered++;
    else if (a.outcome === 'retrying') t.retrying++;
    else if (a.outcome === 'dropped') t.dropped++;
    else t.failed++;
  }
  return t;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------
// Lifecycle faults

export type LifecycleFaultKind = keyof LifecycleFaults;

export interface FaultRow {
  on: boolean;
  /** Percent, 0–100. */
  chance: string;
  /** The fault's one parameter: seconds, or the mutated key's name. */
  param: string;
}

export type FaultsForm = Record<LifecycleFaultKind, FaultRow>;

export const LIFECYCLE_FAULT_KINDS: readonly LifecycleFaultKind[] = ['dropResolve', 'duplicateOpen', 'reorder', 'lateResolve', 'mutateKey'];

/** A switched-on fault with no chance typed gets this one, so that it does something. */
export const DEFAULT_FAULT_PERCENT = '25';

function faultParam(f: LifecycleFaults, k: LifecycleFaultKind): string {
  switch (k) {
    case 'dropResolve':
      return '';
    case 'duplicateOpen':
      return trimNum(f.duplicateOpen.delayMs / 1000);
    case 'reorder':
      return trimNum(f.reorder.gapMs / 1000);
    case 'lateResolve':
      return trimNum(f.lateResolve.extraDelayMs / 1000);
    case 'mutateKey':
      return f.mutateKey.key;
  }
}

export function faultsToForm(f: LifecycleFaults): FaultsForm {
  const row = (k: LifecycleFaultKind): FaultRow => ({ on: f[k].chance > 0, chance: f[k].chance > 0 ? trimNum(f[k].chance * 100) : DEFAULT_FAULT_PERCENT, param: faultParam(f, k) });
  return { dropResolve: row('dropResolve'), duplicateOpen: row('duplicateOpen'), reorder: row('reorder'), lateResolve: row('lateResolve'), mutateKey: row('mutateKey') };
}

/** What PUT /api/simulator/faults gets: off is chance 0; an unreadable number goes as null for the server to name. */
export type FaultsDraft = Record<LifecycleFaultKind, Record<string, number | string | null>>;

export function formToFaults(form: FaultsForm): FaultsDraft {
  const chance = (r: FaultRow) => {
    if (!r.on) return 0;
    const n = num(r.chance);
    return Number.isFinite(n) ? Math.round(n * 100) / 10_000 : null;
  };
  const secs = (t: string) => {
    const n = num(t);
    return Number.isFinite(n) ? Math.round(n * 1000) : null;
  };
  return {
    dropResolve: { chance: chance(form.dropResolve) },
    duplicateOpen: { chance: chance(form.duplicateOpen), delayMs: secs(form.duplicateOpen.param) },
    reorder: { chance: chance(form.reorder), gapMs: secs(form.reorder.param) },
    lateResolve: { chance: chance(form.lateResolve), extraDelayMs: secs(form.lateResolve.param) },
    mutateKey: { chance: chance(form.mutateKey), key: form.mutateKey.param.trim() },
  };
}

/** `reorder.gapMs` → `reorder.param`, `mutateKey.chance` → `mutateKey.chance`. */
export function faultField(path: string): string | null {
  const [kind, field] = path.split('.');
  if (!kind || !LIFECYCLE_FAULT_KINDS.includes(kind as LifecycleFaultKind)) return null;
  return `${kind}.${field === 'chance' ? 'chance' : 'param'}`;
}

// ---------------------------------------------------------------------------
// Scenarios

/** A step's offset on the timeline: "t+0s", "t+5m", "t+20m30s", "t+1h5m". */
export function formatOffset(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms === 0) return 't+0s';
  if (ms < 1000) return `t+${Math.round(ms)}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `t+${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** A timeline's length for people: "55 min", "9 min 30 s", "20 s", "1 h 5 min". */
export function humanSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return ms === 0 ? 'an instant' : `${Math.round(ms)} ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ');
}

export type StepVerdict = 'created' | 'resolved' | 'duplicate' | 'already-resolved' | 'nothing' | 'refused' | 'no-answer';

/** What the mock did with one step, read from its documented answer (docs/behaviour.md §5.7). */
export function stepVerdict(status: number | null, body: unknown): { verdict: StepVerdict; logId: string | null } {
  if (status === null) return { verdict: 'no-answer', logId: null };
  const b = isRecord(body) ? body : {};
  const logId = typeof b.id === 'string' ? b.id : null;
  if (status >= 400) return { verdict: 'refused', logId };
  const t = isRecord(b.triggered) ? b.triggered : {};
  const r = isRecord(b.resolved) ? b.resolved : {};
  if (t.created === true) return { verdict: 'created', logId };
  if (r.resolved === true) return { verdict: 'resolved', logId };
  if (t.duplicate === true) return { verdict: 'duplicate', logId };
  if (r.duplicate === true) return { verdict: 'already-resolved', logId };
  return { verdict: 'nothing', logId };
}
