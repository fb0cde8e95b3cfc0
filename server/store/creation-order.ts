// Incidents in the order they were first stored (incident-index.ts): a
// doubly linked slot per incident, and the resolved ones in a heap by that
// order, so that retention finds the oldest without a scan. Pure.

/** An incident's place in creation order: a node of a doubly linked list, so that one can leave it without a scan. */
export interface Slot {
  id: string;
  /** Creation order: counts up as incidents are first stored. */
  seq: number;
  prev: Slot | null;
  next: Slot | null;
}

/**
 * A binary min-heap of slots by creation order: the resolved incidents,
 * oldest first, so that retention finds the next one to drop without a scan.
 * An entry whose incident is gone or active again is skipped when it comes up.
 */
export class OldestFirst {
  #heap: Slot[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(s: Slot): void {
    const h = this.#heap;
    h.push(s);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.seq <= s.seq) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = s;
  }

  pop(): Slot | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r]!.seq < h[l]!.seq ? r : l;
      if (h[c]!.seq >= last.seq) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }

  clear(): void {
    this.#heap = [];
  }
}
