#!/usr/bin/env node
// Builds the demo partners (examples/*, those whose package.json declares `cardport.demo`) to
// plain JavaScript, so that `cardport up --demo` runs them on Node alone instead of through tsx
// (about 30 MB less resident memory and half a second less CPU each; issue 13). Each demo becomes
// one ES module, `cardport.build` in its package.json (dist/main.js): its own sources and the SDK
// it is built on (@cardport/sdk with @cardport/jose and @cardport/protocol, from their sources)
// bundled together; npm packages stay imports, resolved from node_modules. A demo is built ONLY on
// the SDK: the build fails when a demo reaches into the platform or any other workspace package.
// Beside the bundle, `main.js.inputs.json` lists the files it was built from: runtime.ts runs the
// bundle only while none of them is newer (a stale build never runs; the sources do, via tsx).
//   node scripts/build-demos.mjs           builds every demo
//   node scripts/build-demos.mjs --stale   builds only the demos whose build is missing or stale
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
/** What a demo may be built on, besides its own folder and npm packages. */
const allowedWorkspaces = ['packages/sdk/', 'packages/jose/', 'packages/protocol/'];

/** The demos under examples/: name, folder, source entry and build output (absolute paths). */
export function demoManifests() {
  const examples = join(root, 'examples');
  const out = [];
  for (const name of readdirSync(examples).sort()) {
    const pkgPath = join(examples, name, 'package.json');
    if (!existsSync(pkgPath)) continue;
    const { cardport } = JSON.parse(readFileSync(pkgPath, 'utf8'));
    if (!cardport?.demo || !cardport?.build) continue;
    const dir = join(examples, name);
    out.push({ name, dir, entry: join(dir, cardport.demo), output: join(dir, cardport.build) });
  }
  return out;
}

/** Whether a demo's build exists and no file it was built from changed since. */
export function demoBuildFresh(output) {
  const inputsPath = `${output}.inputs.json`;
  if (!existsSync(output) || !existsSync(inputsPath)) return false;
  const built = statSync(output).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsPath, 'utf8'));
  return inputs.every((path) => {
    try {
      return statSync(join(root, path)).mtimeMs <= built;
    } catch {
      return false;
    }
  });
}

/** Builds one demo; throws on a build error or a forbidden import. */
export async function buildDemo(demo) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [demo.entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The workspace packages from their TypeScript sources, as tsx runs them in the repository.
    conditions: ['cardport-source'],
    sourcemap: 'inline',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'npm-packages-external',
        setup(b) {
          // npm packages stay imports; workspace packages (@cardport/*) are bundled from source.
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@cardport/') || args.path.startsWith('node:')
              ? undefined
              : { external: true },
          );
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const own = `${relative(root, demo.dir)}/`;
  const foreign = inputs.filter((p) => !p.startsWith(own) && !allowedWorkspaces.some((w) => p.startsWith(w)));
  if (foreign.length > 0) {
    throw new Error(
      `demo ${demo.name} must be built only on @cardport/sdk; it imports ${foreign.join(', ')}`,
    );
  }
  const [file] = result.outputFiles;
  mkdirSync(dirname(demo.output), { recursive: true });
  // Written whole then renamed: a demo starting meanwhile never reads half a file.
  const tmp = `${demo.output}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  writeFileSync(
    `${demo.output}.inputs.json`,
    `${JSON.stringify([...inputs, relative(root, join(demo.dir, 'package.json'))], null, 1)}\n`,
  );
  renameSync(tmp, demo.output);
}

/** Builds the demos (only the stale ones with `staleOnly`); resolves to the names built. */
export async function buildDemos({ staleOnly = false } = {}) {
  const demos = demoManifests().filter((d) => !staleOnly || !demoBuildFresh(d.output));
  await Promise.all(demos.map((d) => buildDemo(d)));
  return demos.map((d) => d.name);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await buildDemos({ staleOnly: process.argv.includes('--stale') });
  console.log(built.length ? `demos built: ${built.join(', ')}` : 'demos up to date');
}
