// Play demo (docs/behaviour.md §16): an hour of Sedai events, played in
// about a minute, in the demo's own service with its own token, through the
// real process endpoint over HTTP. The background schedule is paused while it
// plays and started again after. Each request is received at the demo's
// virtual clock, so incidents, the API log and the page's figures span an hour
// that ends when the run does: nothing is dated in the future, and once the
// run is over its hour reads right on the real clock too.
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.ts';
import { HttpError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { SendFn } from '../sedai/delivery.ts';
import type { Catalogue, SedaiResource } from '../sedai/events.ts';
import { planDemoHour, planOf, readDemoScript, type DemoPlan, type DemoScript, type DemoSend } from './script.ts';
import { prepareDemoSpace, type DemoSpace } from './space.ts';
import { stageCounts, stepOf, summarizeDemo, type DemoStep, type DemoSummary, type StageCounts } from './summary.ts';

export const DEFAULT_DEMO_SPEED = 60;
export const MAX_DEMO_SPEED = 3600;

export type DemoState = 'idle' | 'playing' | 'finished' | 'stopped' | 'failed';

export interface DemoView {
  state: DemoState;
  /** 0 before the first run. */
  run: number;
  serviceId: string | null;
  serviceName: string | null;
  tokenId: string | null;
  /** How many times faster than real the hour plays. */
  speed: number;
  /** When the run started, on the server's clock. */
  startedAt: string | null;
  /** The demo's hour on its own clock; it ends as the run does. */
  hourStart: string | null;
  hourEnd: string | null;
  done: number;
  total: number;
  /** The schedule was running: it is paused until the demo ends. */
  schedulePaused: boolean;
  stages: StageCounts;
  /** Each request so far, in order. */
  steps: DemoStep[];
  /** This run's event ids: with the service they pick out its incidents. */
  eventIds: string[];
  plan: DemoPlan;
  /** Once the run has ended. */
  summary: DemoSummary | null;
  error: string | null;
}

export type DemoEvent = { type: 'demo.changed'; demo: DemoView };

export interface ScheduleControl {
  running(): boolean;
  start(): void;
  stop(): void;
}

export interface DemoPlayerDeps {
  store: Store;
  clock: Clock;
  send: SendFn;
  /** This mock's process endpoint, without a query. */
  processUrl: string;
  /** Talking to itself, the mock trusts its own certificate. */
  trustSelfSigned: boolean;
  schedule: ScheduleControl;
  script: DemoScript;
  catalogue: Catalogue;
  emit: (e: DemoEvent) => void;
}

export function loadDemoScript(fixturesDir: string, sources: { catalogue: Catalogue; resources: readonly SedaiResource[] }): DemoScript {
  const file = path.join(fixturesDir, 'sedai', 'demo.json');
  try {
    return readDemoScript(JSON.parse(readFileSync(file, 'utf8')), sources);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

interface Run {
  space: DemoSpace;
  speed: number;
  realStart: number;
  hourStart: number;
  hourEnd: number;
  abort: AbortController;
  /** Whether this run paused the schedule, and so starts it again. */
  pausedSchedule: boolean;
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const errorText = (status: number, body: unknown) => {
  const e = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof e?.message === 'string' ? `${status}: ${e.message}` : `answered ${status}`;
};

export class DemoPlayer {
  readonly #deps: DemoPlayerDeps;
  readonly #plan: DemoPlan;
  #view: DemoView;
  #run: Run | null = null;
  #preparing = false;
  /** The demo's clock while a request is on its way: the planned time of that request. */
  #virtualNow = 0;
  readonly #unsubscribe: () => void;

  constructor(deps: DemoPlayerDeps) {
    this.#deps = deps;
    this.#plan = planOf(deps.script);
    this.#view = this.#idleView();
    this.#unsubscribe = deps.store.subscribe((e) => {
      // The demo's service and token went with the rest: what is left would only be refused.
      if (e.type === 'data.reset' && this.#run) this.#end('failed', 'the data was reset while the demo played; play it again');
    });
  }

  view(): DemoView {
    return this.#view;
  }

  /** The demo's clock for a request with this token while a run plays; null otherwise. */
  virtualNowFor(presentedToken: string): number | null {
    const run = this.#run;
    return run && sameToken(presentedToken, run.space.token) ? this.#virtualNow : null;
  }

  async start(opts: { speed?: number } = {}): Promise<DemoView> {
    if (this.#run || this.#preparing) throw new HttpError('conflict', 'the demo is already playing; stop it first');
    this.#preparing = true;
    let space: DemoSpace;
    try {
      space = await prepareDemoSpace(this.#deps.store, this.#deps.script);
    } finally {
      this.#preparing = false;
    }
    const { clock, schedule, script } = this.#deps;
    const speed = opts.speed ?? DEFAULT_DEMO_SPEED;
    const realStart = clock.now();
    const hourEnd = realStart + Math.round(script.lengthMs / speed);
    const hourStart = hourEnd - script.lengthMs;
    const pausedSchedule = schedule.running();
    if (pausedSchedule) schedule.stop();
    const run: Run = { space, speed, realStart, hourStart, hourEnd, abort: new AbortController(), pausedSchedule };
    this.#run = run;
    this.#virtualNow = hourStart;
    const sends = planDemoHour(script, this.#deps.catalogue, space.run, hourStart);
    this.#view = {
      ...this.#idleView(),
      state: 'playing',
      run: space.run,
      serviceId: space.serviceId,
      serviceName: space.serviceName,
      tokenId: space.tokenId,
      speed,
      startedAt: new Date(realStart).toISOString(),
      hourStart: new Date(hourStart).toISOString(),
      hourEnd: new Date(hourEnd).toISOString(),
      total: sends.length,
      schedulePaused: pausedSchedule,
      eventIds: [...new Set(sends.map((s) => s.eventId))],
    };
    this.#emit();
    void this.#play(run, sends);
    return this.#view;
  }

  /** Stops a playing run where it is; its summary covers what was sent. */
  stop(): DemoView {
    if (this.#run) this.#end('stopped', null);
    return this.#view;
  }

  /** At shutdown: the run ends without starting the schedule again. */
  close(): void {
    this.#unsubscribe();
    const run = this.#run;
    if (!run) return;
    run.pausedSchedule = false;
    this.#end('stopped', 'the server shut down');
  }

  async #play(run: Run, sends: DemoSend[]): Promise<void> {
    const { clock } = this.#deps;
    const signal = run.abort.signal;
    try {
      for (const send of sends) {
        if (!(await sleep(clock, run.realStart + send.offsetMs / run.speed - clock.now(), signal))) return;
        this.#virtualNow = run.hourStart + send.offsetMs;
        const step = await this.#deliver(run, send);
        if (this.#run !== run) return;
        this.#view = { ...this.#view, done: this.#view.done + 1, steps: [...this.#view.steps, step] };
        this.#view.stages = stageCounts(this.#view.steps);
        this.#emit();
      }
      if (!(await sleep(clock, run.hourEnd - clock.now(), signal))) return;
      this.#end('finished', null);
    } catch (e) {
      if (this.#run === run) this.#end('failed', e instanceof Error ? e.message : String(e));
    }
  }

  async #deliver(run: Run, send: DemoSend): Promise<DemoStep> {
    const url = `${this.#deps.processUrl}?from=Sedai&token=${encodeURIComponent(run.space.token)}`;
    let step: DemoStep;
    try {
      const res = await this.#deps.send({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(send.payload),
        timeoutMs: 10_000,
        trustSelfSigned: this.#deps.trustSelfSigned,
      });
      let body: unknown = null;
      try {
        body = JSON.parse(res.body);
      } catch {
        // not JSON: the step says what status came back
      }
      step = stepOf(send, { status: res.status, body, error: res.status >= 300 ? errorText(res.status, body) : null });
    } catch (e) {
      return stepOf(send, { status: null, body: null, error: e instanceof Error ? e.message : String(e) });
    }
    return this.#withIncident(run, step);
  }

  /** The incident a step touched, read back from the store: its id, and how long it was open or how often repeated. */
  #withIncident(run: Run, step: DemoStep): DemoStep {
    const incident = this.#deps.store.incidents({ serviceId: run.space.serviceId, mapValue: step.eventId, limit: 1 })[0];
    if (!incident) return step;
    const openForMs = step.kind === 'resolve' && incident.resolvedAt ? Date.parse(incident.resolvedAt) - Date.parse(incident.createdAt) : null;
    return { ...step, incidentId: incident.id, openForMs, duplicateCount: step.kind === 'repeat' ? incident.duplicateCount : null };
  }

  #end(state: Exclude<DemoState, 'idle' | 'playing'>, error: string | null): void {
    const run = this.#run;
    if (!run) return;
    this.#run = null;
    run.abort.abort();
    const { store, schedule } = this.#deps;
    // Started again only if the demo paused it and nobody has started it meanwhile.
    if (run.pausedSchedule && !schedule.running()) schedule.start();
    const ids = new Set(this.#view.eventIds);
    const incidents = store.incidents({ serviceId: run.space.serviceId, limit: 10_000 }).filter((i) => ids.has(i.mapValue ?? ''));
    const end = state === 'finished' ? run.hourEnd : this.#virtualNow;
    this.#view = { ...this.#view, state, schedulePaused: false, error, summary: summarizeDemo(this.#view.steps, incidents, this.#plan, end) };
    this.#emit();
  }

  #idleView(): DemoView {
    return {
      state: 'idle',
      run: 0,
      serviceId: null,
      serviceName: null,
      tokenId: null,
      speed: DEFAULT_DEMO_SPEED,
      startedAt: null,
      hourStart: null,
      hourEnd: null,
      done: 0,
      total: this.#plan.requests,
      schedulePaused: false,
      stages: { opened: 0, deduplicated: 0, resolved: 0 },
      steps: [],
      eventIds: [],
      plan: this.#plan,
      summary: null,
      error: null,
    };
  }

  #emit(): void {
    this.#deps.emit({ type: 'demo.changed', demo: this.#view });
  }
}
