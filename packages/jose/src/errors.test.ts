import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJoseError, JoseError, type JoseErrorCode } from './errors.ts';

describe('JoseError', () => {
  it('carries a code, the header member at fault and a safe name', () => {
    const err = new JoseError('ERR_HEADER_INVALID', 'protected header member cty must be CARD', {
      member: 'cty',
    });
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'JoseError');
    assert.equal(err.code, 'ERR_HEADER_INVALID');
    assert.equal(err.member, 'cty');
    assert.equal(err.cause, undefined);
  });

  it('lets a switch on the code be exhaustive', () => {
    const describeCode = (code: JoseErrorCode): string => {
      switch (code) {
        case 'ERR_JWS_INVALID':
        case 'ERR_JWS_ALG_NOT_ALLOWED':
        case 'ERR_JWS_SIGNATURE_INVALID':
        case 'ERR_JWE_INVALID':
        case 'ERR_JWE_ALG_NOT_ALLOWED':
        case 'ERR_JWE_DECRYPTION_FAILED':
        case 'ERR_HEADER_INVALID':
        case 'ERR_HEADER_MISMATCH':
        case 'ERR_KEY_NOT_FOUND':
        case 'ERR_AUTH_BINDING_MISMATCH':
        case 'ERR_PAYLOAD_INVALID':
          return 'rejected';
        case 'ERR_TOKEN_EXPIRED':
        case 'ERR_TOKEN_FROM_FUTURE':
          return 'out of time';
        default: {
          const unreachable: never = code;
          return unreachable;
        }
      }
    };
    assert.equal(describeCode('ERR_TOKEN_EXPIRED'), 'out of time');
  });

  it('is recognised by isJoseError, optionally by code', () => {
    const err = new JoseError('ERR_TOKEN_EXPIRED', 'token is too old');
    assert.ok(isJoseError(err));
    assert.ok(isJoseError(err, 'ERR_TOKEN_EXPIRED'));
    assert.ok(!isJoseError(err, 'ERR_KEY_NOT_FOUND'));
    assert.ok(!isJoseError(new Error('x')));
  });
});
