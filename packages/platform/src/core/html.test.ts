import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html, jsonForScript, page } from './html.ts';

test('interpolated values are escaped unless they are markup', () => {
  const name = '<script>alert("x")</script>';
  assert.equal(html`<p>${name}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
  assert.equal(html`<div>${html`<b>${'a&b'}</b>`}</div>`.value, '<div><b>a&amp;b</b></div>');
  assert.equal(
    html`<ul>${['x', 'y'].map((i) => html`<li>${i}</li>`)}</ul>`.value,
    '<ul><li>x</li><li>y</li></ul>',
  );
  assert.equal(html`${null}${undefined}${false}`.value, '');
});

test('JSON embedded in a script cannot close the script element', () => {
  assert.ok(!jsonForScript({ a: '</script><script>' }).value.includes('</script>'));
});

test('a page is a complete HTML document with the shared stylesheet', () => {
  const out = page({ title: 'T & T', body: html`<main>hi</main>` });
  assert.match(out, /^<!doctype html><html lang="en">/);
  assert.match(out, /<title>T &amp; T<\/title>/);
  assert.match(out, /\/assets\/cardport\.css/);
});
