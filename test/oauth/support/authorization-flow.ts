import { createHash, randomBytes } from 'node:crypto';

import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';

import type { TestApp } from '../../helpers/test-app.js';

/** A browser without a browser: a cookie-keeping agent that follows the flow by hand. */
export interface FlowBrowser {
  agent: TestAgent;
}

export function newBrowser(sut: Pick<TestApp, 'app'>): FlowBrowser {
  return { agent: request.agent(sut.app.getHttpServer()) };
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scope: string;
  pkce: Pkce;
  state?: string;
  nonce?: string;
  prompt?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(params: AuthorizeParams): string {
  const query = new URLSearchParams({
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    response_type: 'code',
    scope: params.scope,
    code_challenge: params.pkce.challenge,
    code_challenge_method: 'S256',
    state: params.state ?? randomBytes(8).toString('hex'),
    nonce: params.nonce ?? randomBytes(8).toString('hex'),
    ...(params.prompt ? { prompt: params.prompt } : {}),
    ...params.extra,
  });
  return `/api/v1/oauth/authorize?${query}`;
}

/** A path (with query) of an absolute or relative Location. */
export function pathOf(location: string): string {
  const url = new URL(location, 'http://localhost');
  return `${url.pathname}${url.search}`;
}

/** The value of the CSRF field of a page's form. */
export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  expect(match, 'the page has a CSRF field').not.toBeNull();
  return match![1];
}

/** The form action of a page. */
export function formActionOf(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  expect(match, 'the page has a form').not.toBeNull();
  return match![1];
}

/**
 * Follows redirects within the server until a page answers (200/4xx) or a redirect leaves
 * for the client's redirect URI; returns the last response.
 */
export async function follow(browser: FlowBrowser, path: string, redirectUri: string) {
  let response = await browser.agent.get(path);
  for (let hops = 0; hops < 10 && [302, 303].includes(response.status); hops++) {
    const location = response.headers.location as string;
    if (location.startsWith(redirectUri)) return response;
    response = await browser.agent.get(pathOf(location));
  }
  return response;
}

export async function submit(
  browser: FlowBrowser,
  html: string,
  fields: Record<string, string>,
  redirectUri: string,
) {
  const response = await browser.agent
    .post(formActionOf(html))
    .type('form')
    .send({ csrf: csrfOf(html), ...fields });
  if (![302, 303].includes(response.status)) return response;
  const location = response.headers.location as string;
  if (location.startsWith(redirectUri)) return response;
  return follow(browser, pathOf(location), redirectUri);
}

/** The parameters the provider sent back to the client's redirect URI. */
export function callbackParams(response: {
  status: number;
  headers: Record<string, string>;
}): URLSearchParams {
  expect([302, 303]).toContain(response.status);
  return new URL(response.headers.location).searchParams;
}

/** Signs in on the login page, allows on the consent page if asked, and returns the callback. */
export async function authorize(
  browser: FlowBrowser,
  params: AuthorizeParams,
  user: { username: string; password: string },
): Promise<URLSearchParams> {
  let response = await follow(browser, authorizeUrl(params), params.redirectUri);
  if (response.status === 200 && response.text.includes('Sign in')) {
    response = await submit(
      browser,
      response.text,
      { username: user.username, password: user.password },
      params.redirectUri,
    );
  }
  if (response.status === 200 && response.text.includes('name="decision"')) {
    response = await submit(browser, response.text, { decision: 'allow' }, params.redirectUri);
  }
  return callbackParams(response);
}
