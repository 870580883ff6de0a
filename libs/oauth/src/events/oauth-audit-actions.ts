/** Audited OAuth actions (dotted, stable: dashboards and alerts key on them). */
export const OAuthAuditAction = {
  AUTHORIZATION_GRANTED: 'oauth.authorization.granted',
  AUTHORIZATION_DENIED: 'oauth.authorization.denied',
  CONSENT_GIVEN: 'oauth.consent.given',
  CONSENT_REVOKED: 'oauth.consent.revoked',
  TOKEN_ISSUED: 'oauth.token.issued',
  TOKEN_REFRESHED: 'oauth.token.refreshed',
  TOKEN_REUSED: 'oauth.token.reused',
  TOKEN_REVOKED: 'oauth.token.revoked',
  CLIENT_AUTH_FAILED: 'oauth.client.authentication_failed',
} as const;
