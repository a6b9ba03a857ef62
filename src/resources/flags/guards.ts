// Checks a flag write must pass before it commits, for rules other slices own (a running experiment owns its rule).
import type { Store, Trx } from '../../store/db.js';
import type { FlagConfigDoc, FlagDoc } from './model.js';

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
