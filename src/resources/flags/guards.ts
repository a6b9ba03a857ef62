// Checks a flag write must pass before it commits, for rules other slices own (a running experiment owns its rule).
import type { Store, Trx } from '../../store/db.js';
import type { FlagConfigDoc, FlagDoc, LoadedFlag } from './model.js';

export interface FlagChange {
  trx: Trx;
  store: Store;
  projectId: string;
  projectKey: string;
  flagId: string;
  flagKey: string;
  before: { doc: FlagDoc; configs: Map<string, FlagConfigDoc> };
  /** undefined when the flag is being deleted. */
  after: { doc: FlagDoc; configs: Map<string, FlagConfigDoc> } | undefined;
  /** The slice making the change when it owns the flag (`ai-config`: an AI Config's own writes to its flag). */
  origin?: 'ai-config';
}

export type FlagGuard = (change: FlagChange) => Promise<void>;

const guards: FlagGuard[] = [];

/** Slices that own parts of a flag register here once, at module load. */
export function registerFlagGuard(guard: FlagGuard): void {
  if (!guards.includes(guard)) guards.push(guard);
}

/** Throws the ApiError of the first guard that refuses the change. Call inside the write's transaction. */
export async function guardFlagChange(change: FlagChange): Promise<void> {
  for (const guard of guards) await guard(change);
}

/** guardFlagChange for the deletion of a flag (locked), in its project. */
export async function guardFlagDeletion(trx: Trx, store: Store, project: { id: string; key: string }, flag: LoadedFlag, origin?: FlagChange['origin']): Promise<void> {
  await guardFlagChange({
    trx,
    store,
    projectId: project.id,
    projectKey: project.key,
    flagId: flag.row.id,
    flagKey: flag.row.key,
    before: { doc: flag.doc, configs: flag.configs },
    after: undefined,
    origin,
  });
}
