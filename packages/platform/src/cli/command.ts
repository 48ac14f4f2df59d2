import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { AdminClient } from './admin-client.ts';
import { CliError } from './cli-error.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  description: string;
  valueName?: string;
};

/** One `cardport` command. `run` returns the JSON object printed by `--json`, and a human text. */
export interface Command {
  /** Space-separated words, e.g. `partner create`. */
  name: string;
  summary: string;
  /** Positional arguments, for help, e.g. `TARGET`. */
  positionals?: string;
  options: Record<string, OptionSpec>;
  run(input: CommandInput): Promise<CommandOutput>;
}

export interface CommandInput {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** The running platform's admin API (resolved lazily: `up` does not need it). */
  admin(): AdminClient;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface CommandOutput {
  json: Record<string, unknown>;
  text: string;
  /** The command printed its own output already (`up` prints when ready, not when it ends). */
  silent?: boolean;
  /** Exit code after printing (e.g. 1 when `verify` found failures); 0 by default. */
  exitCode?: number;
}

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\nRun 'cardport ${command.name} --help' for usage.`, 2);
  }
}

export function commandHelp(command: Command): string {
  const lines = [
    `Usage: cardport ${command.name}${command.positionals ? ` ${command.positionals}` : ''} [options]`,
    '',
    command.summary,
    '',
    'Options:',
  ];
  const entries = Object.entries({
    ...command.options,
    json: { type: 'boolean', description: 'print one JSON object on stdout' } as OptionSpec,
    help: { type: 'boolean', description: 'show this help' } as OptionSpec,
  });
  for (const [name, spec] of entries) {
    const value = spec.type === 'string' ? ` ${spec.valueName ?? name.toUpperCase()}` : '';
    const flag = `--${name}${value}${spec.multiple ? ' (repeatable)' : ''}`;
    lines.push(`  ${flag.padEnd(34)} ${spec.description}`);
  }
  return lines.join('\n');
}

/** Left-aligned columns under a header row, two spaces apart: what every `list` command prints. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Reads a required string option or fails with a message naming the flag. */
export function requireString(values: CommandInput['values'], name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new CliError(`--${name} is required`, 2);
  return v;
}

export function optionalString(values: CommandInput['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function stringList(values: CommandInput['values'], name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
