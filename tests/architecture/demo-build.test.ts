// The demo partners' build (scripts/build-demos.mjs): a demo is bundled with the SDK it is built
// on and runs on Node alone; a demo that reaches into the platform is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;
// Inside the repository (the build lists its inputs relative to it); /tmp/ there is ignored by git.
const work = join(root, 'tmp', `demo-build-${process.pid}`);
const buildScript: string = join(root, 'scripts/build-demos.mjs');
const { buildDemo, demoBuildFresh } = (await import(buildScript)) as {
  buildDemo(demo: { name: string; dir: string; entry: string; output: string }): Promise<void>;
  demoBuildFresh(output: string): boolean;
};
after(() => rmSync(work, { recursive: true, force: true }));

function demo(name: string, source: string) {
  const dir = join(work, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'src', 'main.ts'), source);
  return { name, dir, entry: join(dir, 'src', 'main.ts'), output: join(dir, 'dist', 'main.js') };
}

test('bundles a demo with the SDK from source into one module that runs on Node alone', async () => {
  const d = demo(
    'sdk-only',
    "import { generateMerchantKey } from '@cardport/sdk';\n" +
      "const key = await generateMerchantKey({ commonName: 'Demo build' });\n" +
      "console.log(key.csrPem.startsWith('-----BEGIN CERTIFICATE REQUEST-----'));\n",
  );
  await buildDemo(d);
  assert.equal(demoBuildFresh(d.output), true);
  const run = spawnSync(process.execPath, [d.output], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'true');
});

test("refuses a demo that imports the platform's code", async () => {
  const d = demo(
    'reaches-in',
    "import { PlatformError } from '../../../../packages/platform/src/core/errors.ts';\nconsole.log(PlatformError.name);\n",
  );
  await assert.rejects(buildDemo(d), /must be built only on @cardport\/sdk; it imports packages\/platform\//);
  assert.equal(demoBuildFresh(d.output), false);
});
