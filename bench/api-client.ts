/** The few API calls the bench makes outside autocannon, to set scenarios up. */

export const LOGIN_PATH = '/api/v1/auth/login';
export const REFRESH_PATH = '/api/v1/auth/refresh';
export const ME_PATH = '/api/v1/auth/me';
export const LIVE_PATH = '/health/live';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

export interface RawResponse {
  body: string;
  contentType: string;
}

// A queued login may wait behind many bcrypt jobs left over from a run.
const REQUEST_TIMEOUT_MS = 120_000;

async function call(url: string, init: RequestInit): Promise<RawResponse> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${body}`);
  return { body, contentType: response.headers.get('content-type') ?? '' };
}

export async function login(apiUrl: string, username: string, password: string): Promise<TokenPair> {
  const { body } = await call(`${apiUrl}${LOGIN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return JSON.parse(body) as TokenPair;
}

export function getMe(apiUrl: string, accessToken: string): Promise<RawResponse> {
  return call(`${apiUrl}${ME_PATH}`, { headers: { authorization: `Bearer ${accessToken}` } });
}
