// A context's own setting of a flag (putContextFlagSetting), as an update of the flag: the context leaves every
// individual target of its kind and key in the environment and, when a setting is given, is added to the target of
// the variation whose value it is. It runs as the semantic patch's removeTargets and addTargets would, so it takes
// the same path as every flag write (versions, guards, audit, SDK streams).
import { validationFailed } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyInstructions, FLAG_INSTRUCTIONS } from '../flags/instructions.js';
import type { FlagUpdate } from '../flags/update.js';

export interface ContextSettingTarget {
  environmentKey: string;
  contextKind: string;
  contextKey: string;
}

interface TargetView {
  contextKind?: string;
  values: string[];
  variation: number;
}

/** The body, `{setting?, comment?}`: undefined or null as the setting clears it. */
export function readSettingBody(body: unknown): { setting: unknown; comment: string | undefined } {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationFailed([{ attribute: 'body', reason: 'must be an object {"setting": <a variation value or null>, "comment"?: "..."}' }]);
  }
  const { setting, comment } = body as Record<string, unknown>;
  if (comment !== undefined && typeof comment !== 'string') throw validationFailed([{ attribute: 'comment', reason: 'must be a string' }]);
  return { setting: setting ?? null, comment };
}

export function contextSettingUpdate(target: ContextSettingTarget, setting: unknown, comment: string | undefined): FlagUpdate {
  const { environmentKey, contextKind, contextKey } = target;
  return {
    comment,
    delta: { environmentKey, contextKind, contextKey, setting },
    async apply(rep, context) {
      const variations = rep.variations as { _id: string; value: unknown }[];
      const env = (rep.environments as Record<string, { targets: TargetView[]; contextTargets: TargetView[] }>)[environmentKey];
      const instructions: Record<string, unknown>[] = [];
      for (const t of [...env.targets, ...env.contextTargets]) {
        if ((t.contextKind ?? 'user') === contextKind && t.values.includes(contextKey)) {
          instructions.push({ kind: 'removeTargets', contextKind, values: [contextKey], variationId: variations[t.variation]._id });
        }
      }
      if (setting !== null) {
        const chosen = variations.find((v) => deepEqual(v.value, setting));
        if (!chosen) {
          const values = variations.map((v) => JSON.stringify(v.value)).join(', ');
          throw validationFailed([{ attribute: 'setting', reason: `${JSON.stringify(setting)} is not the value of any of the flag's variations (${values})` }]);
        }
        instructions.push({ kind: 'addTargets', contextKind, values: [contextKey], variationId: chosen._id });
      }
      // Nothing to let go of: the flag stays as it is (no new version).
      if (instructions.length === 0) return rep;
      return applyInstructions(rep, readSemanticPatch({ environmentKey, instructions }, FLAG_INSTRUCTIONS), context);
    },
  };
}
