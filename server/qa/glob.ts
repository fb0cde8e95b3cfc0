// Expands `verify`'s file arguments: plain files, directories (their *.json)
// and glob patterns (`*`, `?`, `**`, `{a,b}`), for shells and CI systems that
// pass patterns through unexpanded. Node 20 has no fs.glob.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const GLOB_CHARS = /[*?[{]/;

/** Matches relative paths (with "/" separators) against one glob pattern. */
export interface GlobMatcher {
  test(relPath: string): boolean;
}

// A pattern compiles to a small automaton that is run over the path with a
// set of live states, so matching costs O(path × pattern) whatever the
// pattern: a backtracking RegExp took tens of seconds on `*a*a*a*a*a*a*a*b`
// against one long name.
type CharTest = (c: string) => boolean;
type Token =
  | { kind: 'one'; test: CharTest }
  | { kind: 'many'; test: CharTest }
  | { kind: 'dirs' }
  | { kind: 'alt'; alts: Token[][] };
type State = { kind: 'char'; test: CharTest; out: number } | { kind: 'split'; outs: number[] } | { kind: 'match' };

const inSegment: CharTest = (c) => c !== '/';
// `**` not followed by "/" spans directories but, like RegExp's ".", no line terminator.
const notLineEnd: CharTest = (c) => c !== '\n' && c !== '\r' && c !== '\u2028' && c !== '\u2029';
const literal = (ch: string): Token => ({ kind: 'one', test: (c) => c === ch });

function braceTokens(alt: string): Token[] {
  return [...alt].map((c): Token =>
    c === '*' ? { kind: 'many', test: inSegment } : c === '?' ? { kind: 'one', test: inSegment } : literal(c),
  );
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // "**/" matches any number of directories, including none
        if (pattern[i + 2] === '/') {
          tokens.push({ kind: 'dirs' });
          i += 2;
        } else {
          tokens.push({ kind: 'many', test: notLineEnd });
          i += 1;
        }
      } else tokens.push({ kind: 'many', test: inSegment });
    } else if (c === '?') tokens.push({ kind: 'one', test: inSegment });
    else if (c === '{' && pattern.indexOf('}', i) >= 0) {
      const end = pattern.indexOf('}', i);
      tokens.push({ kind: 'alt', alts: pattern.slice(i + 1, end).split(',').map(braceTokens) });
      i = end;
    } else if (c === '[' && pattern.indexOf(']', i) >= 0) {
      const end = pattern.indexOf(']', i);
      // One character class, tested one character at a time: no backtracking.
      const cls = new RegExp(`^[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]$`);
      tokens.push({ kind: 'one', test: (ch) => cls.test(ch) });
      i = end;
    } else tokens.push(literal(c));
  }
  return tokens;
}

/** Adds the states for `tokens` ahead of state `next`; returns the first one. */
function build(tokens: readonly Token[], next: number, states: State[]): number {
  let at = next;
  for (let t = tokens.length - 1; t >= 0; t--) {
    const token = tokens[t]!;
    const loop = states.push({ kind: 'split', outs: [] }) - 1;
    if (token.kind === 'one') {
      states[loop] = { kind: 'char', test: token.test, out: at };
    } else if (token.kind === 'many') {
      const step = states.push({ kind: 'char', test: token.test, out: loop }) - 1;
      states[loop] = { kind: 'split', outs: [step, at] };
    } else if (token.kind === 'dirs') {
      // (segment "/")*: the segment's characters loop on `seg`, a "/" goes back to `loop`
      const slash = states.push({ kind: 'char', test: (c) => c === '/', out: loop }) - 1;
      const seg = states.push({ kind: 'split', outs: [] }) - 1;
      const segChar = states.push({ kind: 'char', test: inSegment, out: seg }) - 1;
      states[seg] = { kind: 'split', outs: [segChar, slash] };
      states[loop] = { kind: 'split', outs: [seg, at] };
    } else {
      const after = at;
      states[loop] = { kind: 'split', outs: token.alts.map((alt) => build(alt, after, states)) };
    }
    at = loop;
  }
  return at;
}

/** Compiles a glob pattern (`*`, `?`, `**`, `{a,b}`, `[abc]`, `[!abc]`) into a linear-time matcher. */
export function compileGlob(pattern: string): GlobMatcher {
  const states: State[] = [{ kind: 'match' }];
  const start = build(tokenize(pattern), 0, states);
  const seen = new Uint32Array(states.length);
  let generation = 0;
  // Adds `from` and every state reachable from it without reading a character.
  const close = (from: number, into: number[]) => {
    const stack = [from];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen[s] === generation) continue;
      seen[s] = generation;
      const state = states[s]!;
      if (state.kind === 'split') for (let k = state.outs.length - 1; k >= 0; k--) stack.push(state.outs[k]!);
      else into.push(s);
    }
  };
  return {
    test(relPath) {
      generation++;
      let live: number[] = [];
      close(start, live);
      for (let i = 0; i < relPath.length && live.length > 0; i++) {
        const c = relPath[i]!;
        generation++;
        const nextLive: number[] = [];
        for (const s of live) {
          const state = states[s]!;
          if (state.kind === 'char' && state.test(c)) close(state.out, nextLive);
        }
        live = nextLive;
      }
      return live.some((s) => states[s]!.kind === 'match');
    },
  };
}

function walk(dir: string, rel: string, out: string[], depth: number) {
  if (depth > 20) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(path.join(dir, e.name), r, out, depth + 1);
    else if (e.isFile()) out.push(r);
  }
}

export interface Expanded {
  files: string[];
  /** Arguments that matched nothing, with why. */
  problems: { arg: string; message: string }[];
}

export function expandScenarioArgs(args: readonly string[], cwd: string): Expanded {
  const files: string[] = [];
  const problems: Expanded['problems'] = [];
  const add = (f: string) => {
    if (!files.includes(f)) files.push(f);
  };
  for (const arg of args) {
    const norm = arg.split(path.sep).join('/');
    if (!GLOB_CHARS.test(norm)) {
      const abs = path.resolve(cwd, arg);
      let st;
      try {
        st = statSync(abs);
      } catch {
        problems.push({ arg, message: 'no such file or directory' });
        continue;
      }
      if (st.isDirectory()) {
        const inDir = readdirSync(abs).filter((n) => n.endsWith('.json')).sort();
        if (inDir.length === 0) problems.push({ arg, message: 'the directory has no *.json scenario files' });
        inDir.forEach((n) => add(path.join(abs, n)));
      } else add(abs);
      continue;
    }
    // Walk from the part of the pattern before its first wildcard.
    const parts = norm.split('/');
    const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
    const baseRel = parts.slice(0, firstGlob).join('/');
    const base = path.resolve(cwd, baseRel === '' && norm.startsWith('/') ? '/' : baseRel || '.');
    const re = compileGlob(parts.slice(firstGlob).join('/'));
    const found: string[] = [];
    walk(base, '', found, 0);
    const hits = found.filter((f) => re.test(f)).sort();
    if (hits.length === 0) problems.push({ arg, message: 'no files match this pattern' });
    hits.forEach((f) => add(path.join(base, f)));
  }
  return { files, problems };
}
