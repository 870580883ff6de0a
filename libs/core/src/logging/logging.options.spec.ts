import { Writable } from 'node:stream';

import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { REDACTED_PATHS } from './logging.options.js';

describe('log redaction', () => {
  it('should never write credentials, tokens, cookies or the Authorization header', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const sut = pino({ redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } }, sink);
    sut.info({
      req: { headers: { authorization: 'Bearer eyJsecret', cookie: '_session=secret-cookie' } },
      res: { headers: { 'set-cookie': 'sid=secret-set-cookie' } },
      body: {
        password: 'hunter2hunter2',
        new_password: 'next-secret',
        refresh_token: 'rt-secret',
        client_secret: 'cs-secret',
      },
    });
    const output = lines.join('');
    for (const secret of [
      'eyJsecret',
      'secret-cookie',
      'secret-set-cookie',
      'hunter2hunter2',
      'next-secret',
      'rt-secret',
      'cs-secret',
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('[Redacted]');
  });
});
