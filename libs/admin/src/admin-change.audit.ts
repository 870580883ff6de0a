import type { AuditService } from '@portcullis/audit';
import { callerActor, type ScopedCaller } from '@portcullis/auth';
import type { EntityManager } from 'typeorm';

/** Records an admin's change as a successful audit event, in the change's own transaction. */
export function recordAdminChange(
  audit: AuditService,
  manager: EntityManager,
  change: {
    auth: ScopedCaller;
    action: string;
    target: { type: string; id: string };
    details: Record<string, unknown>;
  },
): Promise<void> {
  return audit.record(
    {
      action: change.action,
      outcome: 'success',
      actor: callerActor(change.auth),
      target: change.target,
      details: change.details,
    },
    manager,
  );
}
