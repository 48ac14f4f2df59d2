#!/usr/bin/env node
// Installed from npm, the platform runs its compiled JavaScript (dist/). Inside the repository
// (src/ beside this folder) it runs the TypeScript sources through tsx, with no build step, and
// resolves the other workspace packages to their sources (the `cardport-source` condition);
// CARDPORT_RUN=dist runs the compiled dist/ there too (`npm start` sets it while the build is up
// to date: scripts/start.mjs).
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';

const source = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(source) && process.env.CARDPORT_RUN !== 'dist') {
  const flag = '--conditions=cardport-source';
  const options = process.env.NODE_OPTIONS ?? '';
  // Processes started from here (the demo partners) inherit the condition.
  if (!options.includes(flag)) process.env.NODE_OPTIONS = `${options} ${flag}`.trim();
  const { register } = await import('tsx/esm/api');
  register();
  registerHooks('./source-condition.mjs', import.meta.url);
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/cli/main.mjs'));
}
process.exitCode = await main(process.argv.slice(2));
