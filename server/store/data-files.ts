// Reading the data folder's JSON files: a file that cannot be read or parsed
// stops start-up with a message naming it, and is never overwritten; with
// --reset-data it is moved aside instead (docs/behaviour.md §11.4).
import { readdir, readFile, rename } from 'node:fs/promises';

export class DataFileError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
  }
}

export interface ReadOptions {
  /** Move an unreadable file aside (and read it as missing) instead of refusing. */
  resetData: boolean;
  now: () => string;
}

/**
 * The parsed file, or undefined when it does not exist (or was moved aside).
 * A file holding `null` is not a missing one: it comes back as null, for the
 * caller to refuse, so that it is never taken as absent and overwritten.
 */
export async function readJsonFile(file: string, opts: ReadOptions): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataFileError(file, `cannot be read (${(e as Error).message})`);
  }
  try {
    if (text.trim() === '') throw new Error('the file is empty');
    return JSON.parse(text) as unknown;
  } catch (e) {
    if (opts.resetData) {
      await moveAside(file, opts.now);
      return undefined;
    }
    throw new DataFileError(
      file,
      `is not valid JSON (${(e as Error).message}). It was left untouched; fix it, or start with --reset-data to move it aside and start fresh.`,
    );
  }
}

export async function moveAside(file: string, now: () => string): Promise<void> {
  const aside = `${file}.corrupt-${now().replace(/[:.]/g, '-')}`;
  await rename(file, aside);
  console.warn(`moved unreadable ${file} aside to ${aside}`);
}

/** The names in a folder; none when the folder does not exist (yet). */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
