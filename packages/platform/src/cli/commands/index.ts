import type { Command } from '../command.ts';

/** Every `cardport` command. Each domain's commands live in their own file under commands/. */
export const commands: Command[] = [];
