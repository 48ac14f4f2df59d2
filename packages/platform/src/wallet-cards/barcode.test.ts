import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sessionCookieName } from '../wallet/extensions.ts';
import { type BarcodeImage, drawnSymbologies, renderBarcode } from './barcode.ts';
import { renderPass } from './pages/pass.ts';
import { type AtwFixture, startAtwFixture, ticketCard } from './test-support.ts';

/** A valid value per drawn symbology (ZXing name → value). */
const samples: Record<string, string> = {
  QR_CODE: 'https://example.com/boarding/CP42',
  CODE_128: 'M1DOE/JOHN CP42 ICNNRT',
  CODE_39: 'CP-0042 ICN',
  CODE_93: 'CP0042',
  EAN_13: '5901234123457',
  EAN_8: '96385074',
  UPC_A: '036000291452',
  UPC_E: '01234565',
  PDF_417: 'M1DOE/JOHN            EABC123 ICNNRTCP 0042 325Y012A0001 100',
  AZTEC: 'M1DOE/JOHN EABC123 ICNNRTCP 0042',
  APIAZTEC: 'M1DOE/JOHN EABC123 ICNNRTCP 0042',
  DATA_MATRIX: 'CARDPORT-0042',
  ITF: '12345678',
  CODABAR: 'A40156B',
};

const attrs = (ptSubFormat: string, value: string) => ({
  'barcode.value': value,
  'barcode.serialType': ptSubFormat === 'QR_CODE' ? 'QRCODE' : 'BARCODE',
  'barcode.ptFormat': ptSubFormat === 'QR_CODE' ? 'QRCODESERIAL' : 'BARCODESERIAL',
  'barcode.ptSubFormat': ptSubFormat,
});

function svgOf(b: BarcodeImage | null): string {
  const prefix = 'data:image/svg+xml;base64,';
  const image = b?.image ?? '';
  assert.ok(image.startsWith(prefix), `an SVG data: URL: ${JSON.stringify(b)}`);
  return Buffer.from(image.slice(prefix.length), 'base64').toString('utf8');
}

describe('barcodes drawn by the platform', () => {
  test('every drawn symbology has a sample here', () => {
    assert.deepEqual(Object.keys(samples).sort(), [...drawnSymbologies].sort());
  });

  for (const [format, value] of Object.entries(samples)) {
    test(`${format} renders an SVG with bars`, async () => {
      const b = await renderBarcode(attrs(format, value));
      assert.equal(b?.format, format);
      assert.equal(b?.value, value);
      assert.equal(b?.error, undefined);
      const svg = svgOf(b);
      assert.match(svg, /^<(\?xml[^>]*>\s*<)?svg[\s>]/);
      assert.match(svg, /<(path|rect)\b/, 'has bars or modules');
      assert.doesNotMatch(svg, /<script|<foreignObject|\son\w+=/i);
      assert.ok((b?.width ?? 0) > 0 && (b?.height ?? 0) > 0);
    });
  }

  test('Codabar without start/stop characters gets A…A, as ZXing writes it', async () => {
    const b = await renderBarcode(attrs('CODABAR', '40156'));
    assert.equal(b?.error, undefined);
    assert.match(svgOf(b), /<path/);
  });

  test('without ptSubFormat a BARCODE is drawn as CODE_128, a QRCODE as a QR code', async () => {
    const linear = await renderBarcode({ 'barcode.value': 'CP42', 'barcode.serialType': 'BARCODE' });
    assert.equal(linear?.format, 'CODE_128');
    assert.equal(linear?.shape, 'wide');
    assert.match(svgOf(linear), /<path/);
    const qr = await renderBarcode({ 'barcode.value': 'CP42', 'barcode.ptFormat': 'QRCODE' });
    assert.equal(qr?.format, 'QR_CODE');
    assert.equal(qr?.shape, 'square');
  });

  test('a serial number is shown as text, without image or note', async () => {
    const b = await renderBarcode({ 'barcode.value': '2723255352', 'barcode.serialType': 'SERIALNUMBER' });
    assert.deepEqual(b, { format: 'SERIALNUMBER', value: '2723255352' });
  });

  test('no value, no barcode', async () => {
    assert.equal(await renderBarcode({}), null);
    assert.equal(await renderBarcode({ 'barcode.value': '' }), null);
  });

  const unencodable: [string, string, RegExp][] = [
    ['EAN_13', 'ABC123', /EAN-13 must be 12 or 13 digits/],
    ['EAN_13', '5901234123458', /check digit/i],
    ['UPC_A', '12', /UPC-A must be 11 or 12 digits/],
    ['CODE_39', 'lower case', /Code 39 must contain only/],
    ['ITF', '12AB', /digits/i],
    ['QR_CODE', 'x'.repeat(4000), /.+/],
    ['MAXICODE', '123', /MAXICODE is not a symbology the sandbox draws/],
    ['CODE_128', 'x'.repeat(5000), /longer than 4096 characters/],
  ];
  for (const [format, value, reason] of unencodable) {
    test(`${format} "${value.slice(0, 16)}" gives a note, not an error`, async () => {
      const b = await renderBarcode(attrs(format, value));
      assert.equal(b?.format, format);
      assert.equal(b?.value, value);
      assert.equal(b?.image, undefined);
      assert.match(b?.error ?? '', reason);
      assert.doesNotMatch(b?.error ?? '', /^bwip/, 'no library prefix');
    });
  }

  test('the pass shows the image, or the note, and always the value', async () => {
    const view = (barcode: BarcodeImage | null) =>
      renderPass({
        type: 'boardingpass',
        subType: 'airlines',
        attributes: { title: 'CP 42' },
        barcode,
      }).toString();
    const drawn = view(await renderBarcode(attrs('CODE_128', 'CP42-DOE')));
    assert.match(drawn, /<img class="pass-barcode-img pass-barcode-wide" src="data:image\/svg\+xml;base64,/);
    assert.match(drawn, /<code>CP42-DOE<\/code>/);
    assert.doesNotMatch(drawn, /cannot draw/);
    const refused = view(await renderBarcode(attrs('EAN_13', '<b>ABC</b>')));
    assert.doesNotMatch(refused, /<img class="pass-barcode-img/);
    assert.match(
      refused,
      /data-testid="pass-barcode-note">cannot draw this barcode: EAN-13 must be 12 or 13 digits/,
    );
    assert.match(refused, /<code>&lt;b&gt;ABC&lt;\/b&gt;<\/code>/, 'the value is escaped');
  });
});

describe('barcodes on the landing preview and the pass page', () => {
  let f: AtwFixture;
  before(async () => {
    f = await startAtwFixture();
  });
  after(async () => {
    await f.close();
  });

  const check = async (refId: string, extra: Record<string, unknown>) => {
    const card = ticketCard(1, extra);
    for (const d of card.card.data) d.refId = refId;
    const res = await f.p.app.main.inject({
      method: 'POST',
      url: '/atw/api/links/check',
      payload: { link: `/atw/v3/${f.cardId}#Clip?cdata=${f.cdata(card)}` },
    });
    return { status: res.statusCode, body: res.json() as { offerId: string; previewHtml: string } };
  };
  /** Adds the offer to the fixture's wallet and returns the pass page's HTML. */
  const passPage = async (offerId: string) => {
    const added = await f.p.app.main.inject({
      method: 'POST',
      url: '/wallet/api/passes',
      headers: { authorization: `Bearer ${f.session.token}` },
      payload: { offerId },
    });
    assert.equal(added.statusCode, 201, added.body);
    const walletCardId = (added.json() as { cards: { walletCardId: string }[] }).cards[0]?.walletCardId;
    const page = await f.p.app.main.inject({
      method: 'GET',
      url: `/wallet/app/passes/${walletCardId}`,
      headers: { cookie: `${sessionCookieName}=${f.session.token}` },
    });
    assert.equal(page.statusCode, 200);
    return page.body;
  };

  test('a CODE_128 ticket is drawn on the preview and on the pass page', async () => {
    const checked = await check('ref-code128', attrs('CODE_128', 'TICKET-CP-42'));
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    assert.match(checked.body.previewHtml, /data-format="CODE_128"/);
    assert.match(checked.body.previewHtml, /pass-barcode-wide" src="data:image\/svg\+xml;base64,/);
    assert.match(checked.body.previewHtml, /<code>TICKET-CP-42<\/code>/);

    const page = await passPage(checked.body.offerId);
    assert.match(page, /pass-barcode-wide" src="data:image\/svg\+xml;base64,/);
    assert.match(page, /<code>TICKET-CP-42<\/code>/);
  });

  test('letters in an EAN_13 give the note on the preview and the pass page, not a 500', async () => {
    const checked = await check('ref-ean13', attrs('EAN_13', 'TICKET-1'));
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    assert.match(checked.body.previewHtml, /cannot draw this barcode: EAN-13 must be 12 or 13 digits/);
    assert.match(checked.body.previewHtml, /<code>TICKET-1<\/code>/);
    const page = await passPage(checked.body.offerId);
    assert.match(page, /cannot draw this barcode: EAN-13 must be 12 or 13 digits/);
  });
});
