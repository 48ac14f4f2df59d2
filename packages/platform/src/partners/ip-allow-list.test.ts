import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IpAllowList, normalizeAddress, parseCidr } from './ip-allow-list.ts';

test('an empty allow-list admits any address', () => {
  const list = new IpAllowList([]);
  assert.ok(list.allows('203.0.113.9'));
  assert.ok(list.allows('2001:db8::1'));
});

test('admits IPv4 addresses inside a CIDR and refuses those outside', () => {
  const list = new IpAllowList(['10.1.0.0/16', '192.0.2.7/32']);
  assert.ok(list.allows('10.1.200.3'));
  assert.ok(list.allows('192.0.2.7'));
  assert.equal(list.allows('10.2.0.1'), false);
  assert.equal(list.allows('192.0.2.8'), false);
  assert.equal(list.allows(undefined), false);
});

test('treats an IPv4-mapped IPv6 source as the IPv4 address', () => {
  const list = new IpAllowList(['127.0.0.1/32']);
  assert.ok(list.allows('::ffff:127.0.0.1'));
  assert.equal(list.allows('::ffff:127.0.0.2'), false);
  assert.equal(normalizeAddress('::FFFF:10.0.0.1'), '10.0.0.1');
});

test('admits IPv6 addresses inside an IPv6 CIDR', () => {
  const list = new IpAllowList(['2001:db8::/32']);
  assert.ok(list.allows('2001:db8:1::5'));
  assert.equal(list.allows('2001:db9::1'), false);
  assert.equal(list.allows('127.0.0.1'), false);
});

test('parses CIDRs into canonical text and explains what is wrong', () => {
  assert.deepEqual(parseCidr('192.0.2.1'), { cidr: '192.0.2.1/32' });
  assert.deepEqual(parseCidr('2001:DB8::/48'), { cidr: '2001:db8::/48' });
  assert.deepEqual(parseCidr('::1'), { cidr: '::1/128' });
  assert.deepEqual(parseCidr('::ffff:10.0.0.0/104'), { cidr: '10.0.0.0/8' });
  for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '10.0.0.0/x', '300.1.1.1', ''])
    assert.ok('error' in parseCidr(bad), bad);
});
