import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';

/** Every migration, oldest first. Listed explicitly so the app, the CLI and the tests agree. */
export const MIGRATIONS = [InitialSchema1763800000000];
