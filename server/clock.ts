// Time is injected: the server runs on the system clock, tests and compressed
// scenarios on a virtual one that advances only when told to.

export type TimerHandle = { readonly id: number };

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const isoAt = (clock: Clock): string => new Date(clock.now()).toISOString();

export function systemClock(): Clock {
  const handles = new Map<number, ReturnType<typeof setTimeout>>();
  let next = 1;
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = next++;
      const t = setTimeout(() => {
        handles.delete(id);
        fn();
      }, Math.max(0, ms));
      t.unref?.();
      handles.set(id, t);
      return { id };
    },
    clearTimeout(h) {
      const t = handles.get(h.id);
      if (t !== undefined) clearTimeout(t);
      handles.delete(h.id);
    },
  };
}

interface VirtualTimer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when advanced. Timers due at the same instant fire
 * in the order they were set, so runs are repeatable.
 */
export class VirtualClock implements Clock {
  #now: number;
  #timers: VirtualTimer[] = [];
  #next = 1;
  #seq = 0;

  constructor(start: number | string = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === 'string' ? Date.parse(start) : start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), seq: this.#seq++, fn });
    return { id };
  }

  clearTimeout(h: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== h.id);
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** When the next timer is due, or null. */
  nextAt(): number | null {
    let min: number | null = null;
    for (const t of this.#timers) if (min === null || t.at < min) min = t.at;
    return min;
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in time
   * order. `settle` runs after each timer so that async work it started
   * (a delivery, a store write) can finish before time moves again.
   */
  async advance(ms: number, settle: () => Promise<void> = flushMicrotasks): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#popDue(end);
      if (!due) break;
      this.#now = due.at;
      due.fn();
      await settle();
    }
    this.#now = end;
    await settle();
  }

  #popDue(end: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.#timers) {
      if (t.at > end) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    if (best) this.#timers = this.#timers.filter((t) => t !== best);
    return best;
  }
}

/** Lets already-queued promise callbacks and I/O callbacks run. */
export async function flushMicrotasks(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}
