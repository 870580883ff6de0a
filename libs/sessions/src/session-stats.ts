/** Counts of the sessions table for the admin dashboard and monitoring. */
export interface SessionStats {
  active: number;
  idleExpired: number;
  expired: number;
  revoked: number;
  activeByClient: { clientId: string; active: number }[];
  /** Sessions started per UTC day, oldest first, for the last 30 days (days with none included). */
  createdPerDay: { day: string; created: number }[];
}

/** The dashboard's glance at the sessions table. */
export interface SessionSummary {
  active: number;
  created24h: number;
}
