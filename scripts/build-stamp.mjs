// What `npm start` (scripts/start.mjs) compares to decide whether the compiled platform is up to
// date: scripts/build.mjs writes the stamp after a full build (libraries, platform, demos); a
// partial build of the platform deletes it with the rest of dist/. The platform's dist is made
// from these: the sources of every package it runs or serves, its migrations, the guides it
// copies, and the dependencies installed.
import { join } from 'node:path';

export const builtStampPath = (root) => join(root, 'packages/platform/dist/.built');

export function platformSources(root) {
  return [
    ...['protocol', 'jose', 'sdk', 'browser', 'platform'].flatMap((p) => [
      join(root, 'packages', p, 'src'),
      join(root, 'packages', p, 'package.json'),
    ]),
    join(root, 'packages/platform/migrations'),
    join(root, 'docs'),
    join(root, 'package-lock.json'),
  ];
}
