import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guideHref, renderGuide } from './markdown.ts';

describe('guides rendered as HTML', () => {
  const page = renderGuide(
    [
      '# Title shown by the page',
      '',
      '## Keys and certificates',
      '',
      'See [the PKI guide](pki.md#mutual-tls), [the wire](../shared/spec/PROTOCOLS.md) and [npm](https://www.npmjs.com/).',
      '',
      '| variable | default |',
      '| --- | --- |',
      '| `CARDPORT_PORT` | `8080` |',
      '',
      '```sh',
      'npx cardport up',
      '```',
      '',
      'Inline <script>alert(1)</script> stays text.',
    ].join('\n'),
  );

  it('renders headings with anchors, tables in a scroll box and code blocks, without the title', () => {
    assert.doesNotMatch(page, /Title shown by the page/);
    assert.match(page, /<h2 id="keys-and-certificates">Keys and certificates<\/h2>/);
    assert.match(page, /<div class="table-scroll"><table><thead><tr><th>variable<\/th>/);
    assert.match(page, /<td><code>CARDPORT_PORT<\/code><\/td>/);
    assert.match(page, /<pre><code class="language-sh">npx cardport up\n<\/code><\/pre>/);
  });

  it('turns links between guides into docs pages and leaves out links outside the guides, keeping their text', () => {
    assert.match(page, /<a href="\/docs\/topics\/pki#mutual-tls">the PKI guide<\/a>/);
    assert.match(page, /the wire/);
    assert.doesNotMatch(page, /PROTOCOLS\.md/);
    assert.match(page, /<a href="https:\/\/www\.npmjs\.com\/" rel="noopener">npm<\/a>/);
    assert.equal(guideHref('../packages/platform/src/app.ts'), null);
    assert.equal(guideHref('docs/ci.md'), '/docs/topics/ci');
  });

  it('escapes raw HTML', () => {
    assert.doesNotMatch(page, /<script>/);
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});
