import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_ADMIN_TOKEN } from '../../testing/index.ts';
import * as wallet from '../../wallet/service.ts';
import { type AtwFixture, startAtwFixture, ticketCard } from '../../wallet-cards/test-support.ts';
import { main } from '../main.ts';

describe('cardport wallet add-card and cards', () => {
  let f: AtwFixture;
  let env: Record<string, string | undefined>;

  before(async () => {
    f = await startAtwFixture();
    const { url } = await f.p.listen();
    env = { CARDPORT_URL: url, CARDPORT_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
    await wallet.signUp(f.p.db, f.p.clock, { email: 'cli-atw@example.com', country: 'FR' });
  });
  after(async () => {
    await f.close();
  });

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s), env });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  it('adds a link to the account and lists the card with cardId, refId, state and attributes (--json)', async () => {
    const link = `https://a.swallet.link/atw/v1/${f.cardId}#Clip?cdata=${f.cdata(ticketCard(1, {}, f.p.clock.now()))}`;
    const added = await run('wallet', 'add-card', '--account', 'cli-atw@example.com', link, '--json');
    assert.equal(added.code, 0, added.stderr);
    const cards = (JSON.parse(added.stdout) as { cards: { refId: string; state: string; cc2: string }[] })
      .cards;
    assert.deepEqual(
      cards.map((c) => [c.refId, c.state, c.cc2]),
      [['ref-1-x7Kq', 'ADDED', 'FR']],
    );

    const listed = await run('wallet', 'cards', '--account', 'cli-atw@example.com', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const [card] = (
      JSON.parse(listed.stdout) as {
        cards: { cardId: string; refId: string; state: string; attributes: Record<string, unknown> }[];
      }
    ).cards;
    assert.equal(card?.cardId, f.cardId);
    assert.equal(card?.refId, 'ref-1-x7Kq');
    assert.equal(card?.state, 'ADDED');
    assert.equal(card?.attributes['seatNumber'], 'F12');
    const text = await run('wallet', 'cards', '--account', 'cli-atw@example.com');
    assert.match(text.stdout, /ref-1-x7Kq\s+ADDED/);
  });

  it('exits non-zero with the reason when the platform refuses the link', async () => {
    const stale = f.cdata(ticketCard(), { now: f.p.clock.now() - 60_000 });
    const r = await run(
      'wallet',
      'add-card',
      '--account',
      'cli-atw@example.com',
      `/atw/v1/${f.cardId}#Clip?cdata=${stale}`,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /expired/);
    const unknown = await run(
      'wallet',
      'add-card',
      '--account',
      'cli-atw@example.com',
      '/atw/v1/nope#Clip?cdata=x.y.z',
    );
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no card is registered/);
  });
});
