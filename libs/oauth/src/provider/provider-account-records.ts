import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The provider's records of one account, for deleting a user: its grants (keyed by their
 * own id) with every token and code issued under them, its provider sessions and whatever
 * else names the account or one of its sessions rows. Run before the user's sessions rows go.
 */
@Injectable()
export class ProviderAccountRecords {
  /** Deletes them in the caller's transaction; answers how many records went. */
  async deleteForAccount(userId: string, manager: EntityManager): Promise<number> {
    // Grants, tokens, codes and provider sessions all name their account; the two other
    // links catch any record tied to the user only through one of its sessions rows.
    const [, count] = (await manager.query(
      `DELETE FROM oidc_payloads
        WHERE payload ->> 'accountId' = $1
           OR session_id IN (SELECT id FROM sessions WHERE user_id = $2::uuid)
           OR grant_id IN (SELECT grant_id FROM sessions WHERE user_id = $2::uuid AND grant_id IS NOT NULL)`,
      [userId, userId],
    )) as [unknown, number];
    return count;
  }
}
