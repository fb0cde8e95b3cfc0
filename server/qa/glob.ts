// Expands `verify`'s file arguments: plain files, directories (their *.json)
// and glob patterns (`*`, `?`, `**`, `{a,b}`), for shells and CI systems that
// pass patterns through unexpanded. Node 20 has no fs.glob.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const GLOB_CHARS = /[*?[{]/;

/** A glob pattern (with "/" separators) as a RegExp over relative paths. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // "**/" matches any number of directories, including none
        if (pattern[i + 2] === '/') {
          re += '(?:[^/]*/)*';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${pattern
          .slice(i + 1, end)
          .split(',')
          .map((alt) => alt.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
          .join('|')})`;
        i = end;
      }
    } else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
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
    const re = globToRegExp(parts.slice(firstGlob).join('/'));
    const found: string[] = [];
    walk(base, '', found, 0);
    const hits = found.filter((f) => re.test(f)).sort();
    if (hits.length === 0) problems.push({ arg, message: 'no files match this pattern' });
    hits.forEach((f) => add(path.join(base, f)));
  }
  return { files, problems };
}
