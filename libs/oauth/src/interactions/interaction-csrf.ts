import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the interaction forms: an HMAC of the interaction's uid under a server
 * secret. The provider also binds each interaction to its own signed cookie, so a form from
 * another browser's interaction fails there too.
 */
export class InteractionCsrf {
  constructor(private readonly secret: Buffer) {}

  tokenFor(uid: string): string {
    return createHmac('sha256', this.secret).update(`interaction:${uid}`).digest('base64url');
  }

  isValid(uid: string, presented: unknown): boolean {
    if (typeof presented !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(uid));
    const actual = Buffer.from(presented);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}
