// The context kinds a flag's targeting names: its individual targets', its rules' clauses' and its rollouts'. A write
// that names a kind the project lacks adds it to the project (addNewlyTargetedKinds).
import type { Trx } from '../../store/db.js';
import { addNewlyTargetedKinds } from '../context-kinds/contextKinds.js';
import type { FlagConfigDoc, VariationOrRollout } from './model.js';

const rolloutKind = (serve: VariationOrRollout): string[] => (serve.rollout?.contextKind ? [serve.rollout.contextKind] : []);

/** Every kind the targeting names (a segmentMatch clause's kind names nothing: its segments decide). */
export function targetedKinds(config: FlagConfigDoc): Set<string> {
  return new Set([
    ...config.contextTargets.map((target) => target.contextKind ?? 'user'),
    ...config.rules.flatMap((rule) => [...rule.clauses.filter((clause) => clause.op !== 'segmentMatch').map((clause) => clause.contextKind ?? 'user'), ...rolloutKind(rule)]),
    ...rolloutKind(config.fallthrough),
  ]);
}

/** Adds to the project the kinds the new targeting names that the old did not, unless the project has them. */
export async function addTargetedKinds(trx: Trx, projectId: string, before: Iterable<FlagConfigDoc>, after: Iterable<FlagConfigDoc>, now: number): Promise<void> {
  const kindsOf = (configs: Iterable<FlagConfigDoc>) => new Set([...configs].flatMap((config) => [...targetedKinds(config)]));
  await addNewlyTargetedKinds(trx, projectId, kindsOf(before), kindsOf(after), now);
}
