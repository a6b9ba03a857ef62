// What beginning a phase does to the flag, as a JSON Patch of its representation (applied by the flags slice's own
// update path): in each audience's environment the flag is turned on and serves the release variation, to the
// audience's segments through a new rule, or to everyone through the default rule. Pure.
import type { PatchOperation } from '../../http/patch/jsonPatch.js';
import { uuid } from '../../store/ids.js';
import type { ReleasePhaseDoc } from './model.js';

export interface PhaseTargeting {
  ops: PatchOperation[];
  /** The environments the phase changes, by key. */
  environmentKeys: string[];
}

/**
 * The patch beginning `phase` makes, for the audiences whose environment the flag still has (`flagEnvironments`),
 * serving `variation` (the release variation's index). Each segment audience's new rule gets its `_id` here, kept in
 * the audience's `ruleIds` (the phase is changed in place).
 */
export function phaseTargeting(phase: ReleasePhaseDoc, variation: number, pipelineName: string, flagEnvironments: ReadonlySet<string>): PhaseTargeting {
  const ops: PatchOperation[] = [];
  const environmentKeys: string[] = [];
  for (const audience of phase.audiences) {
    const env = audience.environmentKey;
    if (!flagEnvironments.has(env)) continue;
    environmentKeys.push(env);
    if (audience.segmentKeys && audience.segmentKeys.length > 0) {
      const ruleId = uuid();
      audience.ruleIds = [...audience.ruleIds, ruleId];
      const clause = { attribute: 'segmentMatch', op: 'segmentMatch', values: audience.segmentKeys, negate: false };
      ops.push({ op: 'add', path: `/environments/${env}/rules/-`, value: { _id: ruleId, clauses: [clause], variation, trackEvents: false, description: `${pipelineName}: ${audience.name}` } });
    } else {
      ops.push({ op: 'replace', path: `/environments/${env}/fallthrough`, value: { variation } });
    }
    ops.push({ op: 'replace', path: `/environments/${env}/on`, value: true });
  }
  return { ops, environmentKeys };
}
