// Delivery of one webhook: per-attempt timeout, retries with exponential
// backoff and jitter, every attempt recorded. And a bounded queue, so that a
// slow or dead target never holds up the schedule.
import { setMaxListeners } from 'node:events';
import type { Clock, TimerHandle } from '../clock.ts';
import type { Random } from '../random.ts';
import type { RetryPolicy } from './config.ts';
import { answeredLogId } from '../callgoose/outcome.ts';

export interface SendRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  timeoutMs: number;
  trustSelfSigned: boolean;
  signal?: AbortSignal;
}

export interface SendResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  latencyMs: number;
}

export type SendFn = (req: SendRequest) => Promise<SendResponse>;

/** A failure before any HTTP status: refused, reset, DNS, TLS, timeout. */
export class SendError extends Error {
  readonly kind: 'network' | 'timeout' | 'tls' | 'aborted';
  constructor(kind: SendError['kind'], message: string) {
    super(message);
    this.kind = kind;
    this.name = 'SendError';
  }
}

export const SNIPPET_LIMIT = 500;

export interface DeliveryAttempt {
  id: string;
  eventId: string;
  integrationId: string;
  attempt: number;
  /** ISO time the attempt started. */
  at: string;
  status: number | null;
  latencyMs: number;
  error: string | null;
  responseSnippet: string;
  /** The last attempt for this delivery, whatever its outcome. */
  final: boolean;
  /** dropped: never attempted, the delivery queue was full. */
  outcome: 'delivered' | 'retrying' | 'failed' | 'rejected' | 'abandoned' | 'dropped';
  /** Set when another attempt follows: how long it waits first. */
  nextDelayMs: number | null;
  /** The log entry a Callgoose mock named for this attempt (X-Callgoose-Log-Id), docs/behaviour.md §6.7. */
  logId?: string;
}

export interface DeliveryJob {
  eventId: string;
  integrationId: string;
  request: Omit<SendRequest, 'signal'>;
  retry: RetryPolicy;
}

export interface DeliveryResult {
  outcome: 'delivered' | 'failed' | 'rejected' | 'abandoned';
  attempts: DeliveryAttempt[];
  last: SendResponse | null;
}

export interface DeliveryDeps {
  clock: Clock;
  /** Only for backoff jitter: keep it apart from the event stream's random. */
  random: Random;
  send: SendFn;
  newId: () => string;
  onAttempt?: (a: DeliveryAttempt) => void;
  /** Aborts the attempt in flight and any wait; the delivery ends 'abandoned'. */
  signal?: AbortSignal;
  /** A Retry-After longer than this is cut to it. */
  maxRetryAfterMs?: number;
}

export const isRetryableStatus = (status: number) => status >= 500 || status === 429;

/** Retry-After as seconds or an HTTP-date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return null;
  const t = v.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (t === '' || /^[-+]?\d/.test(t)) return null;
  const date = Date.parse(t);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: Random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random.next() * (exp / 2));
}

export const snippet = (text: string) => (text.length > SNIPPET_LIMIT ? text.slice(0, SNIPPET_LIMIT) : text);

function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One attempt, with its timeout on the injected clock. */
async function attemptOnce(
  deps: DeliveryDeps,
  req: DeliveryJob['request'],
): Promise<{ response: SendResponse | null; error: string | null; latencyMs: number; abandoned: boolean }> {
  const controller = new AbortController();
  let timedOut = false;
  const onOuterAbort = () => controller.abort();
  deps.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer: TimerHandle = deps.clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const started = deps.clock.now();
  try {
    const response = await deps.send({ ...req, signal: controller.signal });
    return { response, error: null, latencyMs: response.latencyMs, abandoned: false };
  } catch (e) {
    const latencyMs = deps.clock.now() - started;
    if (timedOut) return { response: null, error: `timed out after ${req.timeoutMs} ms with no response`, latencyMs, abandoned: false };
    if (deps.signal?.aborted) return { response: null, error: 'abandoned at shutdown', latencyMs, abandoned: true };
    return { response: null, error: e instanceof Error ? e.message : String(e), latencyMs, abandoned: false };
  } finally {
    deps.clock.clearTimeout(timer);
    deps.signal?.removeEventListener('abort', onOuterAbort);
  }
}

export async function deliverWithRetry(job: DeliveryJob, deps: DeliveryDeps): Promise<DeliveryResult> {
  const attempts: DeliveryAttempt[] = [];
  const maxRetryAfterMs = deps.maxRetryAfterMs ?? 300_000;
  let last: SendResponse | null = null;
  for (let n = 1; ; n++) {
    const at = new Date(deps.clock.now()).toISOString();
    const r = await attemptOnce(deps, job.request);
    last = r.response ?? last;
    const status = r.response?.status ?? null;
    const more = n < job.retry.maxAttempts;
    let outcome: DeliveryAttempt['outcome'];
    let nextDelayMs: number | null = null;
    if (r.abandoned) outcome = 'abandoned';
    else if (status !== null && status < 400) outcome = 'delivered';
    else if (status !== null && !isRetryableStatus(status)) outcome = 'rejected';
    else if (!more) outcome = 'failed';
    else {
      outcome = 'retrying';
      const retryAfter = status === null ? null : parseRetryAfter(r.response?.headers['retry-after'], deps.clock.now());
      nextDelayMs = retryAfter !== null ? Math.min(retryAfter, maxRetryAfterMs) : backoffDelay(job.retry, n, deps.random);
    }
    const logId = r.response ? answeredLogId(r.response.headers, r.response.body) : null;
    const attempt: DeliveryAttempt = {
      id: deps.newId(),
      eventId: job.eventId,
      integrationId: job.integrationId,
      attempt: n,
      at,
      status,
      latencyMs: r.latencyMs,
      error: r.error ?? (status !== null && status >= 400 ? `HTTP ${status}` : null),
      responseSnippet: snippet(r.response?.body ?? ''),
      final: outcome !== 'retrying',
      outcome,
      nextDelayMs,
      ...(logId ? { logId } : {}),
    };
    attempts.push(attempt);
    deps.onAttempt?.(attempt);
    if (outcome !== 'retrying') return { outcome, attempts, last };
    const waited = await sleep(deps.clock, nextDelayMs ?? 0, deps.signal);
    if (!waited) {
      // The attempt that never went has no log entry of its own.
      const { logId: _sent, ...before } = attempt;
      const abandoned: DeliveryAttempt = { ...before, id: deps.newId(), attempt: n + 1, at: new Date(deps.clock.now()).toISOString(), status: null, latencyMs: 0, error: 'abandoned at shutdown before this attempt', responseSnippet: '', final: true, outcome: 'abandoned', nextDelayMs: null };
      attempts.push(abandoned);
      deps.onAttempt?.(abandoned);
      return { outcome: 'abandoned', attempts, last };
    }
  }
}

// ---------------------------------------------------------------------------

export interface QueueStats {
  /** Jobs waiting for a free slot. */
  size: number;
  capacity: number;
  inFlight: number;
  concurrency: number;
  /** Jobs refused because the queue was full (or closed). */
  dropped: number;
}

export interface DeliveryQueueOptions<J> {
  clock: Clock;
  capacity: number;
  concurrency: number;
  /** Runs one job; must settle when `signal` aborts. */
  run: (job: J, signal: AbortSignal) => Promise<unknown>;
  onDrop?: (job: J) => void;
}

/**
 * Bounded in both directions: at most `concurrency` jobs run, at most
 * `capacity` wait; beyond that a job is dropped and counted, never awaited,
 * so the caller (the schedule) is never held up.
 */
export class DeliveryQueue<J> {
  readonly #opts: DeliveryQueueOptions<J>;
  #waiting: J[] = [];
  #inFlight = 0;
  #dropped = 0;
  #closed = false;
  #abort = new AbortController();
  #idle: (() => void)[] = [];

  constructor(opts: DeliveryQueueOptions<J>) {
    if (opts.capacity < 0 || opts.concurrency < 1) throw new Error('queue needs capacity >= 0 and concurrency >= 1');
    this.#opts = opts;
    // Every job in flight listens on the one shutdown signal (twice: the attempt and its timeout).
    setMaxListeners(Math.max(10, opts.concurrency * 2 + 2), this.#abort.signal);
  }

  /** False when the job was dropped. */
  enqueue(job: J): boolean {
    if (this.#closed || (this.#waiting.length >= this.#opts.capacity && this.#inFlight >= this.#opts.concurrency)) {
      this.#dropped++;
      this.#opts.onDrop?.(job);
      return false;
    }
    this.#waiting.push(job);
    this.#pump();
    return true;
  }

  stats(): QueueStats {
    return {
      size: this.#waiting.length,
      capacity: this.#opts.capacity,
      inFlight: this.#inFlight,
      concurrency: this.#opts.concurrency,
      dropped: this.#dropped,
    };
  }

  #pump(): void {
    while (this.#inFlight < this.#opts.concurrency && this.#waiting.length > 0) {
      const job = this.#waiting.shift() as J;
      this.#inFlight++;
      void Promise.resolve()
        .then(() => this.#opts.run(job, this.#abort.signal))
        .catch(() => undefined) // run records its own failures; a throw must not stall the queue
        .finally(() => {
          this.#inFlight--;
          this.#pump();
          if (this.#inFlight === 0 && this.#waiting.length === 0) for (const f of this.#idle.splice(0)) f();
        });
    }
  }

  /**
   * Stops taking jobs and waits for the ones queued and in flight, until
   * `deadline` (clock time, ms); what is left then is abandoned.
   */
  async drain(deadline: number): Promise<{ drained: boolean; abandoned: number }> {
    this.#closed = true;
    if (this.#inFlight === 0 && this.#waiting.length === 0) return { drained: true, abandoned: 0 };
    let timer: TimerHandle | undefined;
    const idle = new Promise<boolean>((resolve) => this.#idle.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => {
      timer = this.#opts.clock.setTimeout(() => resolve(false), Math.max(0, deadline - this.#opts.clock.now()));
    });
    const drained = await Promise.race([idle, late]);
    if (timer) this.#opts.clock.clearTimeout(timer);
    return drained ? { drained: true, abandoned: 0 } : { drained: false, abandoned: this.abandon() };
  }

  /** Drops what waits and aborts what runs; returns how many jobs that was. */
  abandon(): number {
    this.#closed = true;
    const n = this.#waiting.length + this.#inFlight;
    this.#waiting = [];
    this.#abort.abort();
    return n;
  }
}
