// Release policies: a project's preferred release method (guarded or progressive) and its configuration, scoped to
// some environments and flag tags (none: every environment, the project's default policy), ranked (1 first, the
// order PostReleasePoliciesOrder sets). iterlab keeps them and answers them; it runs no guarded or progressive
// rollouts, so nothing applies them to a release.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { Key, StringEnum } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { ReleasePoliciesTable } from '../../store/schema.js';
import type { ProjectRow } from '../projects/projects.js';
import { environmentsByKey } from '../release-pipelines/model.js';

export type PolicyRow = ReleasePoliciesTable;

export const RELEASE_METHODS = ['guarded-release', 'progressive-release'] as const;
export type ReleaseMethod = (typeof RELEASE_METHODS)[number];

const Keys = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 });
/** `allocation` in thousandths of a percent (LaunchDarkly's rollout weights: 25000 is 25%). */
const Stage = Type.Object({ allocation: Type.Integer({ minimum: 1, maximum: 100_000 }), durationMillis: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const Stages = Type.Array(Stage, { minItems: 1, maxItems: 20 });
const ContextKind = Type.String({ minLength: 1, maxLength: 256 });

const Scope = Type.Object({ environmentKeys: Type.Optional(Keys), flagTagKeys: Type.Optional(Keys), viewKeys: Type.Optional(Keys) }, { additionalProperties: false });
const GuardedConfig = Type.Object(
  {
    rolloutContextKindKey: Type.Optional(ContextKind),
    minSampleSize: Type.Optional(Type.Integer({ minimum: 1 })),
    rollbackOnRegression: Type.Optional(Type.Boolean()),
    metricKeys: Type.Optional(Keys),
    metricGroupKeys: Type.Optional(Keys),
    stages: Type.Optional(Stages),
  },
  { additionalProperties: false },
);
const ProgressiveConfig = Type.Object({ rolloutContextKindKey: Type.Optional(ContextKind), stages: Type.Optional(Stages) }, { additionalProperties: false });

export const PolicyPut = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    releaseMethod: StringEnum(RELEASE_METHODS),
    scope: Type.Optional(Scope),
    guardedReleaseConfig: Type.Optional(GuardedConfig),
    progressiveReleaseConfig: Type.Optional(ProgressiveConfig),
  },
  { additionalProperties: false },
);
export type PolicyPut = Static<typeof PolicyPut>;

export const PolicyPost = Type.Object({ ...PolicyPut.properties, key: Key }, { additionalProperties: false });
export type PolicyPost = Static<typeof PolicyPost>;

export const PolicyOrder = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 });

/** What a policy keeps beside its key and rank: the body as sent, checked. */
export type PolicyDoc = PolicyPut;

export const POLICIES_PATH = '/api/v2/projects/:projectKey/release-policies';
export const POLICY_PATH = `${POLICIES_PATH}/:policyKey`;

export interface PolicyParams {
  projectKey: string;
  policyKey: string;
}

export function policyDoc(row: Pick<PolicyRow, 'doc'>): PolicyDoc {
  return JSON.parse(row.doc) as PolicyDoc;
}

/** Whether a policy is the project's default: it names no environment. */
export function isDefaultPolicy(doc: PolicyDoc): boolean {
  return (doc.scope?.environmentKeys ?? []).length === 0;
}

/**
 * The policy as stored, once what it names is the project's: its scope's environments, its metrics and metric groups.
 * The configuration of the other release method is refused (a guarded policy is configured by guardedReleaseConfig).
 */
export async function checkedPolicy(db: Db | Trx, projectId: string, body: PolicyPut): Promise<PolicyDoc> {
  const errors: FieldError[] = [];
  const other = body.releaseMethod === 'guarded-release' ? 'progressiveReleaseConfig' : 'guardedReleaseConfig';
  if (body[other] !== undefined) errors.push({ attribute: other, reason: `is not taken by a ${body.releaseMethod} policy` });
  const environments = await environmentsByKey(db, projectId);
  (body.scope?.environmentKeys ?? []).forEach((key, i) => {
    if (!environments.has(key)) errors.push({ attribute: `scope.environmentKeys[${i}]`, reason: `there is no environment "${key}" in this project` });
  });
  const config = body.guardedReleaseConfig;
  for (const [field, table] of [['metricKeys', 'metrics'], ['metricGroupKeys', 'metric_groups']] as const) {
    const keys = config?.[field] ?? [];
    if (keys.length === 0) continue;
    const found = new Set((await db.selectFrom(table).select('key').where('project_id', '=', projectId).where('key', 'in', keys).execute()).map((r) => r.key));
    keys.forEach((key, i) => {
      if (!found.has(key)) errors.push({ attribute: `guardedReleaseConfig.${field}[${i}]`, reason: `there is no ${field === 'metricKeys' ? 'metric' : 'metric group'} "${key}" in this project` });
    });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return body;
}

/** A policy of the project by key (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findPolicy(db: Db | Trx, project: Pick<ProjectRow, 'id' | 'key'>, key: string, lock?: Pick<Store, 'kind'>): Promise<PolicyRow> {
  let query = db.selectFrom('release_policies').selectAll().where('project_id', '=', project.id).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Release policy "${key}" in project "${project.key}"`);
  return row;
}

/** The project's policies by rank. */
export async function listPolicies(db: Db | Trx, projectId: string): Promise<PolicyRow[]> {
  return db.selectFrom('release_policies').selectAll().where('project_id', '=', projectId).orderBy('rank').execute();
}

/** Ranks the policies 1, 2, ... in the order given (after one is deleted or the order is set), in `trx`. */
export async function rerank(trx: Trx, rows: PolicyRow[]): Promise<PolicyRow[]> {
  const out: PolicyRow[] = [];
  for (const [i, row] of rows.entries()) {
    if (row.rank !== i + 1) await trx.updateTable('release_policies').set({ rank: i + 1 }).where('id', '=', row.id).execute();
    out.push({ ...row, rank: i + 1 });
  }
  return out;
}
