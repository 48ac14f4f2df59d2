import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../main.ts';

test('up refuses a taken CARDPORT_PORT by name, before it creates the home or runs migrations', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as AddressInfo).port;
  const parent = mkdtempSync(join(tmpdir(), 'cardport-up-port-'));
  const home = join(parent, 'home');
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(['up'], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {
        CARDPORT_HOME: home,
        CARDPORT_HOST: '127.0.0.1',
        CARDPORT_PORT: String(port),
        CARDPORT_MTLS_PORT: '0',
      },
    });
    assert.equal(code, 1);
    assert.match(err.join('\n'), new RegExp(`port ${port} .*already in use \\(CARDPORT_PORT=${port}\\)`));
    assert.deepEqual(out, []);
    assert.equal(existsSync(home), false, 'nothing was created');
  } finally {
    taken.close();
    rmSync(parent, { recursive: true, force: true });
  }
});
