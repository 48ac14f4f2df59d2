import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AdminClient } from './admin-client.ts';
import { CliError } from './cli-error.ts';
import { type Command, commandHelp, parseCommandArgs } from './command.ts';
import { commands } from './commands/index.ts';

/** The platform package's version (what `cardport --version` prints). */
export function cardportVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: cardport <command> [options]',
    '',
    'Cardport: a full-fidelity sandbox of the Samsung Wallet partner platform.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Every command takes --help and --json; 'cardport --version' prints the version. Commands",
    "other than 'up' talk to the running platform through its admin API (CARDPORT_URL, or what",
    '`up` recorded in $CARDPORT_HOME).',
  ].join('\n');
}

/** Finds the longest command name matching the leading words of argv. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (
      words.every((w, i) => argv[i] === w) &&
      (!best || words.length > best.command.name.split(' ').length)
    ) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
  env: process.env,
};

/** Runs one `cardport` invocation and returns its exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
    io.stdout(
      argv.includes('--json')
        ? JSON.stringify({ version: cardportVersion() })
        : `cardport ${cardportVersion()}`,
    );
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  const wantsJson = argv.includes('--json');
  if (!found) {
    const prefix = commands.filter((c) => c.name.startsWith(`${argv[0]} `));
    const hint = prefix.length
      ? `\n\nDid you mean:\n${prefix.map((c) => `  cardport ${c.name}`).join('\n')}`
      : '';
    io.stderr(
      wantsJson
        ? JSON.stringify({ error: { message: `unknown command: ${argv.join(' ')}` } })
        : `unknown command: ${argv[0]}${hint}\n\n${usage()}`,
    );
    return 2;
  }
  const { command, rest } = found;
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values['help']) {
      io.stdout(commandHelp(command));
      return 0;
    }
    const home = resolve(io.env['CARDPORT_HOME'] || './.cardport');
    let client: AdminClient | undefined;
    const output = await command.run({
      values: values as Record<string, string | boolean | string[] | undefined>,
      positionals,
      admin: () => {
        client ??= AdminClient.fromEnvironment(io.env, home);
        return client;
      },
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
    });
    if (!output.silent) io.stdout(values['json'] ? JSON.stringify(output.json) : output.text);
    return output.exitCode ?? 0;
  } catch (err) {
    const cliError = err instanceof CliError ? err : undefined;
    const message = cliError ? cliError.message : `unexpected error: ${(err as Error).message}`;
    io.stderr(wantsJson ? JSON.stringify({ error: { message } }) : `cardport ${command.name}: ${message}`);
    return cliError?.exitCode ?? 1;
  }
}
