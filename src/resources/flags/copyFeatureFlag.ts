// POST /api/v2/flags/{projectKey}/{featureFlagKey}/copy — copy a flag's targeting from one environment to another.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { optimisticLock, validationFailed, type FieldError } from '../../http/errors.js';
import { clone } from '../../http/patch/jsonPatch.js';
import { StringEnum } from '../../http/schemas.js';
import { commitFlagUpdate, type FlagUpdateCommit } from './commitUpdate.js';
import type { Rollout, Rule } from './model.js';
import { withoutExperiment } from './plainRollout.js';
import type { EditableConfig } from './schemas.js';
import { flagResource } from './inEnvironment.js';
import type { FlagUpdate } from './update.js';
import { sameValue } from './validate.js';

export type ConfigField = keyof EditableConfig;

/** LaunchDarkly's parts of an environment's targeting that a copy may take, and the fields each is made of. */
const COPY_ACTIONS = {
  updateOn: ['on'],
  updateRules: ['rules'],
  updateFallthrough: ['fallthrough'],
  updateOffVariation: ['offVariation'],
  updatePrerequisites: ['prerequisites'],
  updateTargets: ['targets', 'contextTargets'],
  // A migration flag's check ratio (other flags have none to copy).
  updateFlagConfigMigrationSettings: ['migrationSettings'],
} as const satisfies Record<string, readonly ConfigField[]>;
export type CopyAction = keyof typeof COPY_ACTIONS;
export const ACTIONS = Object.keys(COPY_ACTIONS) as CopyAction[];

/** Targeting that no action names: part of "the entire flag configuration", so never taken by `includedActions`. */
const UNNAMED_FIELDS: readonly ConfigField[] = ['trackEvents', 'trackEventsFallthrough'];

const Action = StringEnum(ACTIONS);
const CopyEnvironment = Type.Object({ key: Type.String({ minLength: 1 }), currentVersion: Type.Optional(Type.Integer()) });
export const FlagCopyConfigPost = Type.Object({
  source: CopyEnvironment,
  target: CopyEnvironment,
  comment: Type.Optional(Type.String()),
  // An empty list would copy nothing, which is more likely a mistake than a wish.
  includedActions: Type.Optional(Type.Array(Action, { minItems: 1 })),
  excludedActions: Type.Optional(Type.Array(Action)),
});
export type FlagCopyConfigPost = Static<typeof FlagCopyConfigPost>;

/** The parts a copy asks for, by LaunchDarkly's action names: `includedActions`, or every action but `excludedActions`. */
export type CopyActions = Pick<FlagCopyConfigPost, 'includedActions' | 'excludedActions'>;

/** Why a copy may not name both lists (the reason of a 400 on `excludedActions`). */
export const BOTH_ACTION_LISTS = 'cannot be given together with includedActions; give one of them, or neither to copy everything';

/** The actions a copy takes: the ones included, or every one not excluded. */
export function copiedActions(actions: CopyActions): CopyAction[] {
  return actions.includedActions ?? ACTIONS.filter((action) => !actions.excludedActions?.includes(action));
}

/** The targeting fields the actions copy (with `includedActions`, only what they name). */
export function copiedFields(actions: CopyActions): ConfigField[] {
  return [...new Set([...copiedActions(actions).flatMap((action) => COPY_ACTIONS[action]), ...(actions.includedActions ? [] : UNNAMED_FIELDS)])];
}

/** The targeting fields the body asks to copy; a 400 for what no environment could satisfy. */
function bodyFields(body: FlagCopyConfigPost): ConfigField[] {
  const errors: FieldError[] = [];
  if (body.includedActions && body.excludedActions) errors.push({ attribute: 'excludedActions', reason: BOTH_ACTION_LISTS });
  if (body.source.key === body.target.key) errors.push({ attribute: 'target.key', reason: `must name another environment than source.key ("${body.source.key}")` });
  if (errors.length > 0) throw validationFailed(errors);
  return copiedFields(body);
}

/** A rule without its `_id` and its clauses' ids: what it does, to tell whether two rules do the same. */
function ruleContent(rule: Rule): unknown {
  return { ...rule, _id: undefined, clauses: rule.clauses.map((clause) => ({ ...clause, _id: undefined })) };
}

/**
 * The source's rules as new rules of the target (ids are per environment, and a running experiment in the target
 * names its rule by id): without ids, so they get new ones. A rule the target already has, the same in all but ids,
 * stays that rule, ids and all: copying twice changes nothing, and an experiment's rule that the copy leaves as it is
 * stays the experiment's.
 */
function copiedRules(source: Rule[], target: Rule[]): unknown[] {
  const unclaimed = [...target];
  return source.map((rule) => {
    const same = unclaimed.findIndex((candidate) => sameValue(ruleContent(candidate), ruleContent(rule)));
    if (same >= 0) return unclaimed.splice(same, 1)[0];
    const { _id: _dropped, ...copy } = clone(rule);
    return { ...copy, clauses: copy.clauses.map(({ _id: _clauseId, ...clause }) => clause) };
  });
}

/** The target environment's representation with `fields` taken from the source's. */
function copiedTargeting(source: Record<string, unknown>, target: Record<string, unknown>, fields: ConfigField[]): Record<string, unknown> {
  const out = { ...target };
  const servings = {
    rules: (source.rules as Rule[]).map(withoutExperiment),
    fallthrough: withoutExperiment(source.fallthrough as { rollout?: Rollout }),
  };
  for (const field of fields) {
    const value =
      field === 'rules' ? copiedRules(servings.rules, target.rules as Rule[]) : field === 'fallthrough' ? clone(servings.fallthrough) : clone(source[field]);
    if (value === undefined) delete out[field];
    else out[field] = value;
  }
  return out;
}

/** How the body that asked for a copy names each side's version (copyFeatureFlag's `currentVersion`), for the 409 of a stale one. */
export type VersionAttributes = Record<'source' | 'target', string>;

const CURRENT_VERSIONS: VersionAttributes = { source: 'source.currentVersion', target: 'target.currentVersion' };

/** The copy as a flag update: it edits the target environment of the flag's representation, as a PATCH would. */
function copyUpdate(projectKey: string, body: FlagCopyConfigPost, fields: ConfigField[], versions: VersionAttributes): FlagUpdate {
  const { comment, ...delta } = body;
  return {
    comment,
    delta,
    async apply(rep, { environmentKeys }) {
      const sides = ['source', 'target'] as const;
      const unknown = sides.filter((side) => !environmentKeys.has(body[side].key));
      if (unknown.length > 0) {
        throw validationFailed(unknown.map((side) => ({ attribute: `${side}.key`, reason: `there is no environment "${body[side].key}" in project "${projectKey}"` })));
      }
      const environments = rep.environments as Record<string, Record<string, unknown>>;
      for (const side of sides) {
        const { key, currentVersion } = body[side];
        const version = environments[key].version;
        if (currentVersion !== undefined && currentVersion !== version) {
          throw optimisticLock(`Conflict. Optimistic lock error: the flag's version in environment "${key}" is ${version}, not ${currentVersion} (${versions[side]})`);
        }
      }
      const target = copiedTargeting(environments[body.source.key], environments[body.target.key], fields);
      return { ...rep, environments: { ...environments, [body.target.key]: target } };
    },
  };
}

/**
 * A copy as commitFlagUpdate takes it: the update of the target environment, and its `copyFlagConfigTo` audit entry
 * (naming the approval request, when one is applied). Whoever commits it decides about approvals and dry runs.
 */
export function flagCopyChange(
  place: { projectKey: string; flagKey: string },
  body: FlagCopyConfigPost,
  fields: ConfigField[],
  asked: { versions?: VersionAttributes; approvalRequestId?: string } = {},
): Pick<FlagUpdateCommit, 'update' | 'audit'> {
  const { projectKey, flagKey } = place;
  return {
    update: copyUpdate(projectKey, body, fields, asked.versions ?? CURRENT_VERSIONS),
    audit: (doc) => ({
      resource: flagResource({ projectKey, environmentKey: body.target.key, flagKey }),
      action: 'copyFlagConfigTo',
      description: `copied the flag settings of ${doc.name} from ${body.source.key} to ${body.target.key}${asked.approvalRequestId !== undefined ? ` (approval request ${asked.approvalRequestId})` : ''}`,
    }),
  };
}

export function copyFeatureFlag(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; featureFlagKey: string }; Body: FlagCopyConfigPost }>(
    '/api/v2/flags/:projectKey/:featureFlagKey/copy',
    { schema: { body: FlagCopyConfigPost } },
    async (request, reply) => {
      const body = request.body;
      const fields = bodyFields(body);
      const project = await deps.catalog.project(request.params.projectKey);
      const flagKey = request.params.featureFlagKey;
      const rep = await commitFlagUpdate(deps, {
        project,
        flagKey,
        ...flagCopyChange({ projectKey: project.key, flagKey }, body, fields),
        actor: request.actor,
        requireApproval: true,
      });
      return reply.code(201).send(rep);
    },
  );
}
