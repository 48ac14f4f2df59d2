// Files the CLI reads and writes for onboarding commands: a flag naming an input file, a check of a
// flag's content with a usage error naming it, and the reminder to keep private keys out of git.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { isPlatformError } from '../../core/errors.ts';
import { CliError } from '../cli-error.ts';
import { type CommandInput, optionalString } from '../command.ts';

/** Reads a file named by a flag; a missing or unreadable file is a usage error naming the flag. */
/** Private keys written under the working directory: a reminder to keep them out of git. */
export function privateKeyHint(dir: string): string[] {
  const inside = relative(process.cwd(), resolve(dir));
  if (inside.startsWith('..') || isAbsolute(inside)) return [];
  return [
    '',
    `Private keys are in ${inside || '.'}/: add it to .gitignore (echo '${inside || '.'}/' >> .gitignore).`,
  ];
}

export function readFlagFile(values: CommandInput['values'], flag: string): string | undefined {
  const path = optionalString(values, flag);
  if (!path) return undefined;
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch (err) {
    throw new CliError(
      `--${flag} ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      2,
    );
  }
}

/** Runs a local check; its INVALID_INPUT message becomes a usage error naming the flag. */
export async function checkFlag<T>(flag: string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isPlatformError(err) && err.code === 'INVALID_INPUT')
      throw new CliError(`--${flag}: ${err.message}`, 2);
    throw err;
  }
}
