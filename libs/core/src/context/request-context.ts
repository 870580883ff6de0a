import type { IncomingHttpHeaders } from 'node:http';

import { ClsServiceManager, type ClsStore } from 'nestjs-cls';

/** What every log line and audit event knows about the request that caused it. */
export interface RequestContext extends ClsStore {
  ip?: string;
  userAgent?: string;
}

export function fillRequestContext(
  store: { set: (key: keyof RequestContext, value: unknown) => void },
  request: { ip?: string; headers: IncomingHttpHeaders },
): void {
  store.set('ip', request.ip);
  const userAgent = request.headers['user-agent'];
  store.set('userAgent', typeof userAgent === 'string' ? userAgent.slice(0, 512) : undefined);
}

/** The current request's id, ip and user agent; empty outside a request (jobs, CLI). */
export function currentRequestContext(): { requestId?: string; ip?: string; userAgent?: string } {
  const cls = ClsServiceManager.getClsService<RequestContext>();
  if (!cls.isActive()) return {};
  return { requestId: cls.getId(), ip: cls.get('ip'), userAgent: cls.get('userAgent') };
}
