// The command-line entry: `start`, `verify`, `send` and `help`. With no
// command it prints the commands and exits: a newcomer typing the bare name
// to see what it does must not find a server running on port 7070.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { USAGE as START_USAGE } from './config.ts';
import { main } from './main.ts';
import { runVerify, VERIFY_USAGE } from './qa/verify.ts';
import { sendReport } from './send-report.ts';

const NAME = 'callgoose-sedai-sim';

/** send's options: parsed and printed from this one list. */
const SEND_OPTIONS = {
  url: { type: 'string', arg: 'URL', help: 'where to POST the payload (required), e.g. a webhook URL' },
  'content-type': { type: 'string', arg: 'T', help: 'Content-Type header (default application/json)' },
  header: { type: 'string', multiple: true, arg: "'N: value'", help: 'an extra header; repeat for more' },
  'admin-token': { type: 'string', arg: 'T', help: "the mock's --admin-token, to read its explanation" },
  help: { type: 'boolean', short: 'h', arg: '', help: 'this text' },
} as const;

const SEND_USAGE = [
  `Usage: ${NAME} send <payload file> --url URL [options]`,
  '',
  'POSTs the file as it is and prints the HTTP status and the response body. When',
  'the target is a callgoose-sedai-sim mock, it then prints what the mock made of',
  'it: the outcome (an incident opened, deduplicated, resolved, or nothing), the',
  "explanation and hints of the mock's log entry, and the entry's page address.",
  '',
  'Options:',
  ...Object.entries(SEND_OPTIONS).map(([flag, o]) =>
    optionLine(`${'short' in o ? `-${o.short}, ` : ''}--${flag}${o.arg ? ` ${o.arg}` : ''}`, o.help),
  ),
  '',
  'Exit status: 0 a 2xx answer, 1 another answer or no answer, 2 a usage or file error.',
  'A 202 where nothing opened is still 0: it was delivered, as a sender sees it;',
  'the outcome line says what happened. To fail on outcomes, use verify.',
].join('\n');

const HELP_USAGE = `Usage: ${NAME} help [command]

Prints the commands, or one command's options.`;

interface Command {
  name: string;
  synopsis: string;
  summary: string;
  usage: string;
}

const COMMANDS: readonly Command[] = [
  { name: 'start', synopsis: 'start [options]', summary: 'run the Callgoose mock, the Sedai simulator and the dashboard', usage: START_USAGE },
  { name: 'verify', synopsis: 'verify <scenarios…> [options]', summary: "run scenario files against a fresh mock and check their expectations", usage: VERIFY_USAGE },
  { name: 'send', synopsis: 'send <payload file> --url URL [options]', summary: 'POST one payload file to a URL and print the response', usage: SEND_USAGE },
  { name: 'help', synopsis: 'help [command]', summary: "show this text, or one command's options", usage: HELP_USAGE },
];

function optionLine(left: string, help: string): string {
  return `  ${left.padEnd(20)}  ${help}`;
}

/**
 * The option lines of a command's usage text: from its "Options…:" line to
 * the next blank line, without the help flag the overview already explains.
 * Read from the text each command prints for `--help`, so the two never differ.
 */
export function optionLines(usage: string): { heading: string; lines: string[] } | null {
  const lines = usage.split('\n');
  const start = lines.findIndex((l) => /^Options\b.*:$/.test(l));
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return {
    heading: (lines[start] ?? '').replace(/^O/, 'o'),
    lines: lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => !/^\s*-h, --help\b/.test(l)),
  };
}

export function overview(): string {
  const out = [`Usage: ${NAME} <command> [options]`, '', 'Commands:'];
  for (const c of COMMANDS) {
    out.push('', `  ${c.synopsis}`, `      ${c.summary}`);
    const options = optionLines(c.usage);
    if (options) out.push(`      ${options.heading}`, ...options.lines.map((l) => `    ${l}`));
  }
  out.push('', `"${NAME} <command> --help" shows one command's options. "npm start" runs "start".`);
  return out.join('\n');
}

function unknownCommand(command: string, argv: readonly string[]): number {
  const why = command.startsWith('-')
    ? `"${command}" is an option, not a command; options go after the command, e.g. "${NAME} start ${argv.join(' ')}".`
    : `Unknown command "${command}".`;
  console.error(`${why}\n\n${overview()}`);
  return 2;
}

async function send(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: SEND_OPTIONS,
    });
  } catch (e) {
    console.error(`send: ${(e as Error).message}\n\n${SEND_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(SEND_USAGE);
    return 0;
  }
  const file = parsed.positionals[0];
  const url = parsed.values.url;
  if (!file || !url) {
    console.error(`send: ${!file ? 'give the payload file to send' : '--url is required'}\n\n${SEND_USAGE}`);
    return 2;
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
    res = await fetch(url, { method: 'POST', headers, body: new Uint8Array(body) });
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
  const report = await sendReport({ url, headers: res.headers, answer: text, sent: new Uint8Array(body), adminToken: parsed.values['admin-token'] });
  if (report.length > 0) console.log(report.join('\n'));
  return res.ok ? 0 : 1;
}

function help(topic: string | undefined): number {
  if (topic === undefined) {
    console.log(overview());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === topic);
  if (!command) return unknownCommand(topic, [topic]);
  console.log(command.usage);
  return 0;
}

export async function cli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
      return help(undefined);
    case 'help':
      return help(rest[0]);
    case 'start':
      return main(rest);
    case 'send':
      return send(rest);
    case 'verify':
      return runVerify(rest, { out: (l) => console.log(l), err: (l) => console.error(l), cwd: process.cwd() });
    default:
      return unknownCommand(command, argv);
  }
}
