// An AI Config's targeting is its flag's, in each environment: read from the flag, and changed by the semantic patch
// instructions LaunchDarkly's AI Config targeting takes (the flags' own, less those that turn targeting on or off,
// prerequisites and the flag-wide ones), applied through the flags' update path.
import type { Db, Trx } from '../../store/db.js';
import { listEnvironments } from '../environments/environments.js';
import { FLAG_INSTRUCTIONS } from '../flags/instructions.js';
import { findFlag } from '../flags/model.js';
import type { ProjectRow } from '../projects/projects.js';
import type { LoadedAIConfig } from './model.js';
import { representTargeting } from './represent.js';

const KINDS = [
  'addClauses',
  'addRule',
  'addTargets',
  'addValuesToClause',
  'clearTargets',
  'removeClauses',
  'removeRule',
  'removeTargets',
  'removeValuesFromClause',
  'reorderRules',
  'replaceRules',
  'replaceTargets',
  'updateClause',
  'updateDefaultVariation',
  'updateFallthroughVariationOrRollout',
  'updateOffVariation',
  'updateRuleDescription',
  'updateRuleTrackEvents',
  'updateRuleVariationOrRollout',
  'updateTrackEvents',
  'updateTrackEventsFallthrough',
] as const;

/** The instructions patchAIConfigTargeting documents, with the flags' schemas. */
export const TARGETING_INSTRUCTIONS = Object.fromEntries(KINDS.map((kind) => [kind, FLAG_INSTRUCTIONS[kind]])) as Pick<typeof FLAG_INSTRUCTIONS, (typeof KINDS)[number]>;

/** The config's targeting as AIConfigTargeting shows it: its flag's variations, and its targeting in every environment. */
export async function loadTargeting(db: Db | Trx, project: ProjectRow, config: LoadedAIConfig): Promise<Record<string, unknown>> {
  const flag = await findFlag(db, project, config.row.key);
  const environments = (await listEnvironments(db, project.id)).flatMap((env) => {
    const targeting = flag.configs.get(env.id);
    return targeting ? [{ env, config: targeting }] : [];
  });
  return representTargeting(config.row, config.doc, flag.doc, environments);
}
