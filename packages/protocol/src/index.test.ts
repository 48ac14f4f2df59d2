import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { z } from 'zod';
import * as protocol from './index.ts';

const srcDir = new URL('.', import.meta.url);
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('@cardport/protocol package', () => {
  it('imports nothing but zod and its own files, so it runs in browsers too', () => {
    for (const file of sources) {
      const text = readFileSync(new URL(file, srcDir), 'utf8');
      const specifiers = [...text.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'/g)].map((m) => m[1]);
      for (const spec of specifiers) {
        assert.ok(spec === 'zod' || spec?.startsWith('./'), `${file} imports ${spec}`);
      }
      assert.ok(!/\b(?:process|Buffer|require)\b\s*[.(]/.test(text), `${file} uses a Node global`);
    }
  });

  it('exports every source file from the index', () => {
    const index = readFileSync(new URL('index.ts', srcDir), 'utf8');
    for (const file of sources.filter((f) => f !== 'index.ts')) {
      assert.ok(index.includes(`'./${file}'`), `index.ts does not export ${file}`);
    }
  });

  it('turns every exported schema into JSON Schema for the OpenAPI document', () => {
    const schemas = Object.entries(protocol).filter(([, v]) => v instanceof z.ZodType) as [
      string,
      z.ZodType,
    ][];
    assert.ok(schemas.length > 40, `found ${schemas.length} schemas`);
    for (const [name, schema] of schemas) {
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
      assert.equal(typeof json, 'object', name);
    }
  });

  it('describes the registration body as the flat object clients send', () => {
    const json = z.toJSONSchema(protocol.createRegistrationRequestSchema, { io: 'input' }) as {
      properties: Record<string, unknown>;
      required: string[];
      additionalProperties: boolean;
    };
    assert.deepEqual(json.required, ['custom']);
    assert.equal(json.additionalProperties, false);
    assert.ok('enforceEmailMatching' in json.properties);
  });
});
