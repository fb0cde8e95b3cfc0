// How far the JavaScript heap may grow past what it holds before V8 collects
// it in full (docs/behaviour.md §11.3.1). V8's own rule on a machine with
// memory to spare lets it reach about four times the live heap first: under
// a storm that growth, not the data kept, is what the server's memory peaks
// at. `start` sets the factor to 2; a full collection of the ~60 MB a large
// history keeps takes 10-15 ms. Only the server's own process is changed:
// the library (startMock) leaves its host's heap alone.
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;

/** Sets the heap's growth unless the user chose one; true when it was set. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent\b/.test(a));
  if (given) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
