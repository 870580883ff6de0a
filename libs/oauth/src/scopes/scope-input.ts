import type { ScopeEntity } from './scope.entity.js';

export const SCOPE_SORTS = ['name', 'created_at'] as const;
export type ScopeSort = (typeof SCOPE_SORTS)[number];

/** What the scope list can be filtered and sorted by. */
export interface ScopeListQuery {
  limit: number;
  offset: number;
  cursor?: string;
  sort: ScopeSort;
  order: 'asc' | 'desc';
  isBuiltin?: boolean;
  search?: string;
}

/** A deleted scope and the clients it was taken away from. */
export interface DeletedScope {
  scope: ScopeEntity;
  removedFromClients: string[];
}
