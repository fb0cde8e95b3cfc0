// Reading a data file: a missing one reads as absent, an unreadable or
// unparsable one stops start-up naming it and is left as it was, and with
// --reset-data it is moved aside instead (docs/behaviour.md §11.4).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../testing/harness.ts';
import { DataFileError, moveAside, readJsonFile } from './data-files.ts';

const NOW = '2026-01-02T03:04:05.678Z';
const refuse = { resetData: false, now: () => NOW };
const reset = { resetData: true, now: () => NOW };

afterEach(() => {
  vi.restoreAllMocks();
});

async function fileWith(text: string): Promise<{ dir: string; file: string }> {
  const dir = await tempDir();
  const file = path.join(dir, 'state.json');
  await writeFile(file, text);
  return { dir, file };
}

async function refusal(p: Promise<unknown>): Promise<DataFileError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataFileError);
  return err as DataFileError;
}

describe('readJsonFile', () => {
  it.each<[string, string, unknown]>([
    ['an object', '{"a":1}', { a: 1 }],
    ['a list', '[1,2]', [1, 2]],
    ['null, which is not a missing file', 'null', null],
    ['JSON with spaces around it', '\n  {"a":1}\n', { a: 1 }],
  ])('reads %s', async (_name, text, value) => {
    const { file } = await fileWith(text);
    expect(await readJsonFile(file, refuse)).toEqual(value);
  });

  it('reads a file that does not exist as absent', async () => {
    const dir = await tempDir();
    expect(await readJsonFile(path.join(dir, 'state.json'), refuse)).toBeUndefined();
  });

  it.each<[string, string, RegExp]>([
    ['an empty file', '', /is not valid JSON \(the file is empty\)/],
    ['a file of blanks', ' \n\t\n', /is not valid JSON \(the file is empty\)/],
    ['broken JSON', '{"a":', /is not valid JSON \(.+\)/],
  ])('refuses %s, naming the file, and leaves it untouched', async (_name, text, problem) => {
    const { file } = await fileWith(text);
    const err = await refusal(readJsonFile(file, refuse));
    expect(err.file).toBe(file);
    expect(err.message).toMatch(problem);
    expect(err.message.startsWith(`${file}: is not valid JSON (`)).toBe(true);
    expect(err.message).toContain('It was left untouched; fix it, or start with --reset-data to move it aside and start fresh.');
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('refuses a path it cannot read, saying why', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    await mkdir(file);
    const err = await refusal(readJsonFile(file, refuse));
    expect(err.file).toBe(file);
    expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot be read \\(EISDIR.*\\)$`));
  });

  it('refuses a path it cannot read even with --reset-data, leaving it there', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    await mkdir(file);
    await refusal(readJsonFile(file, reset));
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('with --reset-data, moves broken JSON aside, dated, and reads it as absent', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { dir, file } = await fileWith('{"a":');
    expect(await readJsonFile(file, reset)).toBeUndefined();
    expect(await readdir(dir)).toEqual(['state.json.corrupt-2026-01-02T03-04-05-678Z']);
    expect(await readFile(path.join(dir, 'state.json.corrupt-2026-01-02T03-04-05-678Z'), 'utf8')).toBe('{"a":');
  });

  it('with --reset-data, moves an empty file aside too', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { dir, file } = await fileWith('');
    expect(await readJsonFile(file, reset)).toBeUndefined();
    expect(await readdir(dir)).toEqual(['state.json.corrupt-2026-01-02T03-04-05-678Z']);
  });

  it('with --reset-data, reads a good file as it is', async () => {
    const { dir, file } = await fileWith('{"a":1}');
    expect(await readJsonFile(file, reset)).toEqual({ a: 1 });
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});

describe('moveAside', () => {
  it('renames the file with the time, and says where it went', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { dir, file } = await fileWith('x');
    await moveAside(file, () => NOW);
    const aside = `${file}.corrupt-2026-01-02T03-04-05-678Z`;
    expect(await readdir(dir)).toEqual([path.basename(aside)]);
    expect(warn).toHaveBeenCalledWith(`moved unreadable ${file} aside to ${aside}`);
  });
});
