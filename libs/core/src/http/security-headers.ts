import type { SecurityHeadersOptions } from '@nestjs/common';

/**
 * The security headers on every response. Almost every answer is JSON read by a program, so
 * this is OWASP's set for REST APIs rather than helmet's for documents: the content may load
 * nothing and be framed by no one, is never sniffed as another type, is not readable by other
 * origins without CORS, and leaks no referrer. Headers that only affect documents (the opener
 * policy, origin-keyed agent clusters) or obsolete browsers (X-XSS-Protection,
 * X-Download-Options, X-DNS-Prefetch-Control, X-Permitted-Cross-Domain-Policies) are left
 * out: each costs every response its bytes and its validation. The HTML pages set the
 * document headers they need themselves (see DOCUMENT_HEADERS in libs/oauth and the API docs).
 */
export const API_SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-origin' },
  originAgentCluster: false,
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true },
  xContentTypeOptions: true,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: { action: 'deny' },
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** The opener policy of an HTML page: no cross-origin window keeps a handle on it. */
export const DOCUMENT_OPENER_POLICY = { 'cross-origin-opener-policy': 'same-origin' } as const;
