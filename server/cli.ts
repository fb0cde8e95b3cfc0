// The command-line entry: `start` (the default), `send`, `verify`.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { main } from './main.ts';
import { runVerify } from './qa/verify.ts';

const HELP = `Usage: callgoose-sedai-sim <command> [options]

Commands:
  start [options]              run the mock, simulator and dashboard (see: start --help)
  send <payload.json> --url U  POST one payload file to a URL and print the response
       [--content-type T] [--header 'Name: value']…
  verify <scenarios…>          run scenario files against a fresh mock and check their
       [--junit out.xml]       expectations; exit 0 when all pass (see: verify --help)
       [--filters f.json] [--target URL --token T]`;

async function send(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'content-type': { type: 'string' },
        header: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const file = parsed.positionals[0];
  const url = parsed.values.url;
  if (parsed.values.help || !file || !url) {
    console.error(HELP);
    return parsed.values.help ? 0 : 2;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (e) {
    console.error(`Cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const headers: Record<string, string> = { 'content-type': parsed.values['content-type'] ?? 'application/json' };
  for (const h of parsed.values.header ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) {
      console.error(`--header must look like 'Name: value', not '${h}'`);
      return 2;
    }
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  let res: globalThis.Response;
  const started = performance.now();
  try {
    res = await fetch(url, { method: "POST", headers, body: new Uint8Array(body) });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    console.error(`Could not reach ${url}: ${cause ?? (e as Error).message}`);
    return 1;
  }
  const text = await res.text();
  const ms = Math.round(performance.now() - started);
  console.log(`HTTP ${res.status} ${res.statusText} (${ms} ms)`);
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
  return res.ok ? 0 : 1;
}

export async function cli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command.startsWith('--')) return main(argv);
  switch (command) {
    case 'start':
      return main(rest);
    case 'send':
      return send(rest);
    case 'verify':
      return runVerify(rest, { out: (l) => console.log(l), err: (l) => console.error(l), cwd: process.cwd() });
    case 'help':
    case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}
