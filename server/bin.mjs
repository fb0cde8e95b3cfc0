#!/usr/bin/env node
// Runs the server compiled by `npm run build` (tsc into build/) when it is
// there and no source is newer than its compiled file: plain node starts
// faster and keeps 25–60 MB less memory than node with tsx's loader.
// Otherwise it runs the TypeScript sources through tsx, so a checkout (or a
// source edited since the last build) needs no compile step.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const serverDir = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.join(serverDir, '..', 'build');

/** True when every source that the build compiles has a compiled file at least as new. */
function buildIsCurrent() {
  try {
    if (!statSync(path.join(buildDir, 'cli.js')).isFile()) return false;
    const walk = (rel) => {
      for (const d of readdirSync(path.join(serverDir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          if (r !== 'testing' && !walk(r)) return false;
        } else if (d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts')) {
          const built = statSync(path.join(buildDir, r.replace(/\.ts$/, '.js')), { throwIfNoEntry: false });
          if (!built || built.mtimeMs < statSync(path.join(serverDir, r)).mtimeMs) return false;
        }
      }
      return true;
    };
    return walk('');
  } catch {
    return false;
  }
}

let cli;
if (buildIsCurrent()) {
  ({ cli } = await import(pathToFileURL(path.join(buildDir, 'cli.js')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ cli } = await import('./cli.ts'));
}
const code = await cli(process.argv.slice(2));
process.exit(code);
