// POST …/environments/{environmentKey}/holdouts (beta) — a holdout: its flag (purpose "holdout", shared by the
// project's environments), and its base experiment, whose draft iteration splits contexts between "In holdout"
// (holdoutamount percent, the baseline) and "Not in holdout". It starts with the first of its experiments to start.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { ApiError, conflict, conflictOnDuplicate, validationFailed, type FieldError } from '../../http/errors.js';
import { Key, Name } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import type { Trx } from '../../store/db.js';
import { objectId, uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { refuseExplicitDenial } from '../custom-roles/access.js';
import { flag } from '../custom-roles/routeActions.js';
import { findProjectEnvironment, listEnvironments } from '../environments/environments.js';
import { insertDraft } from '../experiments/draftWriter.js';
import { allocationThousandths, resolveIteration, storeLookups } from '../experiments/iterationInput.js';
import type { ExperimentDoc } from '../experiments/model.js';
import { initialConfig, insertFlag, loadFlag, type FlagConfigDoc, type FlagDoc } from '../flags/model.js';
import { findMember } from '../members/members.js';
import { representFlag } from '../flags/represent.js';
import { withConfigs } from '../flags/scope.js';
import type { Actor } from '../../http/context.js';
import type { ProjectDoc, ProjectRow } from '../projects/projects.js';
import { IN_HOLDOUT, NOT_IN_HOLDOUT, type HoldoutDoc } from './model.js';
import { loadViews, representHoldout } from './represent.js';

/** HoldoutPostRequest: every field is optional in the spec; name, key, holdoutamount and a metric are needed here. */
const HoldoutPost = Type.Object({
  name: Name,
  key: Key,
  description: Type.Optional(Type.String({ maxLength: 65536 })),
  randomizationunit: Type.Optional(Type.String({ minLength: 1 })),
  attributes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100 })),
  holdoutamount: Type.String({ minLength: 1 }),
  primarymetrickey: Type.Optional(Type.String({ minLength: 1 })),
  metrics: Type.Optional(
    Type.Array(Type.Object({ key: Type.String({ minLength: 1 }), isGroup: Type.Optional(Type.Boolean()), primary: Type.Optional(Type.Boolean()) }), { maxItems: 100 }),
  ),
  prerequisiteflagkey: Type.Optional(Key),
  maintainerId: Type.Optional(Type.String({ minLength: 1 })),
});

interface Body {
  name: string;
  key: string;
  description?: string;
  randomizationunit?: string;
  attributes?: string[];
  holdoutamount: string;
  primarymetrickey?: string;
  metrics?: { key: string; isGroup?: boolean; primary?: boolean }[];
  prerequisiteflagkey?: string;
  maintainerId?: string;
}

interface Params {
  projectKey: string;
  environmentKey: string;
}

/** The iteration's field names as HoldoutPostRequest spells them, for errors found by resolveIteration. */
const BODY_FIELD: [RegExp, string][] = [
  [/^randomizationUnit/, 'randomizationunit'],
  [/^primary(SingleMetric|Funnel)Key/, 'primarymetrickey'],
  [/^treatments/, 'holdoutamount'],
  [/^flags/, 'prerequisiteflagkey'],
];

function bodyField(attribute: string, addedPrimary: number | undefined): string {
  if (addedPrimary !== undefined && attribute.startsWith(`metrics[${addedPrimary}]`)) return 'primarymetrickey';
  for (const [pattern, field] of BODY_FIELD) if (pattern.test(attribute)) return field;
  return attribute;
}

/** "5" -> "95", "2.5" -> "97.5": the complement in thousandths, printed without trailing zeros. */
function complement(thousandths: number): string {
  const rest = 100_000 - thousandths;
  const whole = Math.floor(rest / 1000);
  const fraction = String(rest % 1000).padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/**
 * The holdout's flag: a new boolean flag (true "In holdout", false "Not in holdout"), off in every environment, or
 * a holdout flag of the project that no holdout of this environment uses yet (each environment's holdout of the
 * same key shares one flag, as flags are the project's and holdouts the environment's).
 */
/**
 * The holdout makes its flag (every environment), as an experiment rewrites its flag's targeting, asking for no flag
 * action; but a custom role that denies creating that flag (`createFlag` on `proj/{p}:env/*:flag/{key}`, the
 * project's tags counted) refuses the holdout with a 403. A flag that exists already is not created.
 */
async function refuseDeniedFlag(deps: Deps, actor: Actor | undefined, projectKey: string, flagKey: string): Promise<void> {
  const policy = actor?.policy;
  if (!policy) return;
  const project = await deps.catalog.project(projectKey).catch(() => undefined);
  if (!project || (await loadFlag(deps.store.db, project.id, flagKey))) return;
  await refuseExplicitDenial(deps.store.db, deps.catalog, policy, flag(projectKey, '*', flagKey, []), ['createFlag'], 'the flag this holdout would make');
}

async function holdoutFlag(
  trx: Trx,
  project: ProjectRow,
  environmentId: string,
  flagKey: string,
  body: Body,
  maintainerId: string,
  now: number,
  actor: Actor | undefined,
): Promise<{ flagId: string; created: boolean; inId: string; notInId: string; errors: FieldError[] }> {
  const attribute = body.prerequisiteflagkey !== undefined ? 'prerequisiteflagkey' : 'key';
  const existing = await loadFlag(trx, project.id, flagKey);
  if (existing) {
    const refuse = (reason: string) => ({ flagId: existing.row.id, created: false, inId: '', notInId: '', errors: [{ attribute, reason }] });
    if (existing.doc.purpose !== 'holdout') return refuse(`the project has a flag "${flagKey}" that is not a holdout flag; choose another prerequisiteflagkey`);
    if (existing.doc.variations.length < 2) return refuse(`holdout flag "${flagKey}" needs two variations ("${IN_HOLDOUT}", "${NOT_IN_HOLDOUT}")`);
    const user = await trx.selectFrom('holdouts').select('key').where('environment_id', '=', environmentId).where('flag_key', '=', flagKey).executeTakeFirst();
    if (user) return refuse(`holdout flag "${flagKey}" is already the flag of holdout "${user.key}" in this environment`);
    return { flagId: existing.row.id, created: false, inId: existing.doc.variations[0]._id, notInId: existing.doc.variations[1]._id, errors: [] };
  }
  const projectDoc = JSON.parse(project.doc) as ProjectDoc;
  const inId = uuid();
  const notInId = uuid();
  const doc: FlagDoc = {
    name: body.name,
    kind: 'boolean',
    description: `The flag of holdout "${body.key}": experiments in the holdout have it as a prerequisite`,
    variations: [
      { _id: inId, value: true, name: IN_HOLDOUT },
      { _id: notInId, value: false, name: NOT_IN_HOLDOUT },
    ],
    temporary: false,
    tags: [],
    customProperties: {},
    clientSideAvailability: { ...projectDoc.defaultClientSideAvailability },
    includeInSnippet: projectDoc.defaultClientSideAvailability.usingEnvironmentId,
    defaults: { onVariation: 1, offVariation: 1 },
    maintainerId,
    archived: false,
    deprecated: false,
    purpose: 'holdout',
    _version: 1,
    creationDate: now,
  };
  const configs = new Map<string, FlagConfigDoc>();
  const environments = await listEnvironments(trx, project.id);
  for (const env of environments) configs.set(env.id, initialConfig(doc, now, false));
  const flagId = objectId(now);
  await insertFlag(trx, { id: flagId, project_id: project.id, key: flagKey, name: body.name, doc: JSON.stringify(doc), archived: 0, created_at: now }, configs);
  // A flag like any other: its creation is in the audit log (the transaction fails as a whole if the holdout does).
  await recordAudit(trx, actor, now, {
    kind: 'flag',
    resource: `proj/${project.key}:env/*:flag/${flagKey}`,
    action: 'createFlag',
    name: body.name,
    description: `created the flag ${body.name}`,
    projectKey: project.key,
    after: representFlag(project.key, { key: flagKey, doc, environments: withConfigs(environments, configs), maintainer: await findMember(trx, maintainerId) }),
  });
  return { flagId, created: true, inId, notInId, errors: [] };
}

export function postHoldout(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/holdouts', { config: { beta: true } }, async (request, reply) => {
    const { projectKey, environmentKey } = request.params;
    const errors = check(HoldoutPost, request.body);
    const body = request.body as Body;
    // The checks beyond the schema's join its errors, so that every problem is reported at once.
    const shaped = (attribute: string) => isObject(body) && !errors.some((e) => e.attribute === attribute || e.attribute.startsWith(`${attribute}[`));
    const amount = shaped('holdoutamount') ? allocationThousandths(body.holdoutamount) : undefined;
    if (shaped('holdoutamount') && (amount === undefined || amount <= 0 || amount >= 100_000)) {
      errors.push({ attribute: 'holdoutamount', reason: `"${body.holdoutamount}" must be a percentage above 0 and below 100, with at most 3 decimals` });
    }
    const metrics = shaped('metrics') ? [...(body.metrics ?? [])] : [];
    // A primary metric missing from `metrics` joins them last, so that errors keep naming the body's own indexes.
    if (shaped('primarymetrickey') && body.primarymetrickey !== undefined && !metrics.some((m) => m.key === body.primarymetrickey)) metrics.push({ key: body.primarymetrickey });
    if (shaped('metrics') && shaped('primarymetrickey') && metrics.length === 0) errors.push({ attribute: 'metrics', reason: 'must name at least one metric (or give primarymetrickey)' });
    if (errors.length > 0 || amount === undefined) throw validationFailed(errors);
    const primary = body.primarymetrickey !== undefined ? metrics.find((m) => m.key === body.primarymetrickey)! : (metrics.find((m) => m.primary) ?? metrics[0]);
    const flagKey = body.prerequisiteflagkey ?? body.key;
    await refuseDeniedFlag(deps, request.actor, projectKey, flagKey);
    const now = deps.now();
    const duplicate = `A holdout or experiment with the key "${body.key}" already exists in environment "${environmentKey}" of project "${projectKey}"`;

    const result = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const { project, environment } = await findProjectEnvironment(trx, projectKey, environmentKey);
          // Flags and their environments are created under the project's row lock (see postFeatureFlag).
          if (deps.store.kind === 'postgres') await trx.selectFrom('projects').select('id').where('id', '=', project.id).forUpdate().execute();
          // The key first: a second holdout (or an experiment) of that key is a conflict, whatever else is wrong.
          const taken = await trx.selectFrom('experiments').select('id').where('environment_id', '=', environment.id).where('key', '=', body.key).executeTakeFirst();
          if (taken) throw conflict(duplicate);
          const problems: FieldError[] = [];
          if (body.maintainerId !== undefined && !(await findMember(trx, body.maintainerId))) {
            problems.push({ attribute: 'maintainerId', reason: `there is no member with _id "${body.maintainerId}"` });
          }
          const maintainerId = body.maintainerId ?? request.actor!.memberId;
          const flag = await holdoutFlag(trx, project, environment.id, flagKey, body, maintainerId, now, request.actor);
          problems.push(...flag.errors);
          if (problems.length > 0) throw validationFailed(problems);
          const config = await trx.selectFrom('flag_configs').select('version').where('flag_id', '=', flag.flagId).where('environment_id', '=', environment.id).executeTakeFirstOrThrow();

          const input: Record<string, unknown> = {
            hypothesis: body.description?.trim() || `Contexts in none of the experiments of holdout "${body.name}" against those in them`,
            canReshuffleTraffic: false,
            metrics: metrics.map((m) => ({ key: m.key, ...(m.isGroup !== undefined ? { isGroup: m.isGroup } : {}) })),
            [primary.isGroup ? 'primaryFunnelKey' : 'primarySingleMetricKey']: primary.key,
            treatments: [
              { name: IN_HOLDOUT, baseline: true, allocationPercent: body.holdoutamount.trim(), parameters: [{ flagKey, variationId: flag.inId }] },
              { name: NOT_IN_HOLDOUT, baseline: false, allocationPercent: complement(amount), parameters: [{ flagKey, variationId: flag.notInId }] },
            ],
            flags: { [flagKey]: { ruleId: 'fallthrough', flagConfigVersion: Number(config.version), notInExperimentVariationId: flag.notInId } },
            ...(body.randomizationunit !== undefined ? { randomizationUnit: body.randomizationunit } : {}),
            ...(body.attributes !== undefined ? { attributes: body.attributes } : {}),
          };
          let iteration;
          try {
            iteration = await resolveIteration({ project, environment, prefix: '', now, bandit: false, holdoutFlag: flagKey, lookups: storeLookups(trx, project.id, environment.id) }, input);
          } catch (err) {
            const addedPrimary = metrics.length > (body.metrics ?? []).length ? metrics.length - 1 : undefined;
            if (err instanceof ApiError && err.errors) throw validationFailed(err.errors.map((e) => ({ ...e, attribute: bodyField(e.attribute, addedPrimary) })));
            throw err;
          }

          const experimentDoc: ExperimentDoc = { name: body.name, maintainerId, tags: [], methodology: 'bayesian', dataSource: 'launchdarkly', type: 'holdout', creationDate: now };
          if (body.description !== undefined) experimentDoc.description = body.description;
          const experimentId = objectId(now);
          await trx
            .insertInto('experiments')
            .values({
              id: experimentId,
              project_id: project.id,
              environment_id: environment.id,
              key: body.key,
              name: body.name,
              doc: JSON.stringify(experimentDoc),
              status: 'not_started',
              archived_date: null,
              created_at: now,
              holdout_id: null,
            })
            .execute();
          await insertDraft(trx, experimentId, iteration, now, { first: true });
          const doc: HoldoutDoc = {
            holdoutAmount: body.holdoutamount.trim(),
            randomizationUnit: iteration.randomizationUnit,
            inHoldoutVariationId: flag.inId,
            notInHoldoutVariationId: flag.notInId,
            createdAt: now,
            updatedAt: now,
          };
          const row = { id: uuid(), environment_id: environment.id, experiment_id: experimentId, key: body.key, flag_key: flagKey, doc: JSON.stringify(doc), created_at: now };
          await trx.insertInto('holdouts').values(row).execute();
          const [view] = await loadViews(trx, [row]);
          const rep = representHoldout(projectKey, environmentKey, view);
          await recordAudit(trx, request.actor, now, {
            kind: 'holdout',
            resource: `proj/${projectKey}:env/${environmentKey}:holdout/${body.key}`,
            action: 'createHoldout',
            name: body.name,
            description: `created the holdout ${body.name}`,
            projectKey,
            after: rep,
          });
          return { projectId: project.id, experimentId, flag, rep };
        }),
      duplicate,
    );
    deps.changed({ kind: 'experiment', projectId: result.projectId, id: result.experimentId });
    if (result.flag.created) deps.changed({ kind: 'flag', projectId: result.projectId, id: result.flag.flagId });
    return reply.code(201).send(result.rep);
  });
}
