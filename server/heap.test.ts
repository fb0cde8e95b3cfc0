// The server's heap growth is set unless the user set it themselves.
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from './heap.ts';

describe('limitHeapGrowth', () => {
  it.each<[string, string[], string, boolean]>([
    ['nothing given', [], '', true],
    ['other flags given', ['--enable-source-maps'], '--max-old-space-size=512', true],
    ['given on the command line', ['--heap-growing-percent=300'], '', false],
    ['given with underscores', ['--heap_growing_percent=300'], '', false],
    ['given in NODE_OPTIONS', [], '--trace-warnings --heap-growing-percent=50', false],
  ])('%s', (_name, execArgv, nodeOptions, set) => {
    expect(limitHeapGrowth(execArgv, nodeOptions)).toBe(set);
  });
});
