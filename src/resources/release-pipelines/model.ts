// Release pipelines: a project's ordered phases, each a group of audiences (an environment, optionally some of its
// segments, and how the release reaches them), that a flag's release follows (releases/). The project's default
// pipeline is its doc's `defaultReleasePipelineKey`. What a body may hold, the checks that need the project's
// environments and segments, and the reads and locks the operations share.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { Key, Tags } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import { uuid } from '../../store/ids.js';
import type { ReleasePipelinesTable } from '../../store/schema.js';
import { listEnvironments, type EnvironmentRow } from '../environments/environments.js';
import type { ProjectDoc, ProjectRow } from '../projects/projects.js';

export type PipelineRow = ReleasePipelinesTable;

/** LaunchDarkly's limits: "up to 20 release pipelines per project", "up to ten phases in a release pipeline". */
export const MAX_PIPELINES = 20;
export const MAX_PHASES = 10;

const Text = Type.String({ maxLength: 1024 });
const Strings = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 });

const GuardianConfiguration = Type.Object(
  {
    monitoringWindowMilliseconds: Type.Integer({ minimum: 1 }),
    rolloutWeight: Type.Integer({ minimum: 0, maximum: 100 }),
    rollbackOnRegression: Type.Boolean(),
    randomizationUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type GuardianConfiguration = Static<typeof GuardianConfiguration>;

/** How the release reaches an audience: `monitoredRelease` is a guarded rollout; any other strategy releases at once. */
const AudienceConfiguration = Type.Object(
  {
    releaseStrategy: Type.String({ minLength: 1, maxLength: 256 }),
    requireApproval: Type.Boolean(),
    notifyMemberIds: Type.Optional(Strings),
    notifyTeamKeys: Type.Optional(Strings),
    releaseGuardianConfiguration: Type.Optional(GuardianConfiguration),
  },
  { additionalProperties: false },
);
export type AudienceConfiguration = Static<typeof AudienceConfiguration>;

const AudienceInput = Type.Object(
  {
    environmentKey: Type.String({ minLength: 1, maxLength: 256 }),
    name: Type.String({ minLength: 1, maxLength: 1024 }),
    segmentKeys: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 })),
    configuration: Type.Optional(AudienceConfiguration),
  },
  { additionalProperties: false },
);

const PhaseInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 1024 }),
    audiences: Type.Array(AudienceInput, { minItems: 1, maxItems: 100 }),
    configuration: Type.Optional(Type.Object({})),
  },
  { additionalProperties: false },
);
type PhaseInput = Static<typeof PhaseInput>;

const Phases = Type.Array(PhaseInput, { minItems: 1, maxItems: MAX_PHASES });

export const PipelinePut = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 1024 }), description: Type.Optional(Text), phases: Phases, tags: Type.Optional(Tags) },
  { additionalProperties: false },
);
export type PipelinePut = Static<typeof PipelinePut>;

export const PipelinePost = Type.Object(
  { ...PipelinePut.properties, key: Key, isProjectDefault: Type.Optional(Type.Boolean()), isLegacy: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type PipelinePost = Static<typeof PipelinePost>;

/** An audience as stored: its environment by key (the representation shows the environment while it exists). */
export interface AudienceDoc {
  id: string;
  name: string;
  environmentKey: string;
  segmentKeys?: string[];
  configuration?: AudienceConfiguration;
}

export interface PhaseDoc {
  id: string;
  name: string;
  audiences: AudienceDoc[];
}

export interface PipelineDoc {
  name: string;
  description?: string;
  tags: string[];
  phases: PhaseDoc[];
  isLegacy: boolean;
  version: number;
}

export const PIPELINES_PATH = '/api/v2/projects/:projectKey/release-pipelines';
export const PIPELINE_PATH = `${PIPELINES_PATH}/:pipelineKey`;

export interface PipelineParams {
  projectKey: string;
  pipelineKey: string;
}

export function pipelineDoc(row: Pick<PipelineRow, 'doc'>): PipelineDoc {
  return JSON.parse(row.doc) as PipelineDoc;
}

/** The project's environments by key: audiences name theirs so. */
export async function environmentsByKey(db: Db | Trx, projectId: string): Promise<Map<string, EnvironmentRow>> {
  return new Map((await listEnvironments(db, projectId)).map((env): [string, EnvironmentRow] => [env.key, env]));
}

/**
 * The phases a body sends, stored: each audience's environment must be the project's (once in a phase), and its
 * segments that environment's. Phases and audiences keep the ids of those at the same place in `previous` (an update
 * keeps them, so that releases under way still find their phases); new ones get new ids.
 */
export async function phasesOf(db: Db | Trx, projectId: string, phases: PhaseInput[], previous: PhaseDoc[] = []): Promise<PhaseDoc[]> {
  const environments = await environmentsByKey(db, projectId);
  const errors: FieldError[] = [];
  const wanted: { environmentId: string; key: string; field: string }[] = [];
  phases.forEach((phase, p) => {
    const seen = new Set<string>();
    phase.audiences.forEach((audience, a) => {
      const field = `phases[${p}].audiences[${a}]`;
      const env = environments.get(audience.environmentKey);
      if (!env) errors.push({ attribute: `${field}.environmentKey`, reason: `there is no environment "${audience.environmentKey}" in this project` });
      else if (seen.has(env.key)) errors.push({ attribute: `${field}.environmentKey`, reason: `the environment "${env.key}" already has an audience in this phase` });
      else {
        seen.add(env.key);
        for (const key of audience.segmentKeys ?? []) wanted.push({ environmentId: env.id, key, field: `${field}.segmentKeys` });
      }
    });
  });
  if (wanted.length > 0) {
    const found = await db
      .selectFrom('segments')
      .select(['environment_id', 'key'])
      .where('environment_id', 'in', [...new Set(wanted.map((w) => w.environmentId))])
      .where('key', 'in', [...new Set(wanted.map((w) => w.key))])
      .execute();
    const exists = new Set(found.map((row) => `${row.environment_id}/${row.key}`));
    for (const w of wanted) if (!exists.has(`${w.environmentId}/${w.key}`)) errors.push({ attribute: w.field, reason: `there is no segment "${w.key}" in that environment` });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return phases.map((phase, p) => ({
    id: previous[p]?.id ?? uuid(),
    name: phase.name,
    audiences: phase.audiences.map((audience, a) => ({
      id: previous[p]?.audiences[a]?.id ?? uuid(),
      name: audience.name,
      environmentKey: audience.environmentKey,
      ...(audience.segmentKeys !== undefined ? { segmentKeys: audience.segmentKeys } : {}),
      ...(audience.configuration !== undefined ? { configuration: audience.configuration } : {}),
    })),
  }));
}

/** A pipeline of the project by key (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findPipeline(db: Db | Trx, project: Pick<ProjectRow, 'id' | 'key'>, key: string, lock?: Pick<Store, 'kind'>): Promise<PipelineRow> {
  let query = db.selectFrom('release_pipelines').selectAll().where('project_id', '=', project.id).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Release pipeline "${key}" in project "${project.key}"`);
  return row;
}

/** A pipeline a body names (`attribute`): 400 naming the field when the project has none of that key. */
export async function findPipelineByBodyKey(db: Db | Trx, project: Pick<ProjectRow, 'id' | 'key'>, key: string, attribute: string): Promise<PipelineRow> {
  const row = await db.selectFrom('release_pipelines').selectAll().where('project_id', '=', project.id).where('key', '=', key).executeTakeFirst();
  if (!row) throw validationFailed([{ attribute, reason: `there is no release pipeline "${key}" in project "${project.key}"` }]);
  return row;
}

/** The project's pipelines, oldest first (ties by key). */
export async function listPipelines(db: Db | Trx, projectId: string): Promise<PipelineRow[]> {
  return db.selectFrom('release_pipelines').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('key').execute();
}

export function defaultPipelineKey(project: Pick<ProjectRow, 'doc'>): string | undefined {
  return (JSON.parse(project.doc) as ProjectDoc).defaultReleasePipelineKey;
}

/** Makes `key` (or, undefined, none) the project's default pipeline, in `trx`; true when that changed it. */
export async function setDefaultPipeline(trx: Trx, project: ProjectRow, key: string | undefined): Promise<boolean> {
  const doc = JSON.parse(project.doc) as ProjectDoc;
  if (doc.defaultReleasePipelineKey === key) return false;
  if (key === undefined) delete doc.defaultReleasePipelineKey;
  else doc.defaultReleasePipelineKey = key;
  await trx.updateTable('projects').set({ doc: JSON.stringify(doc) }).where('id', '=', project.id).execute();
  return true;
}

/** The members a PUT may change, each with LaunchDarkly's release pipeline action (the custom-role check names them). */
export const PIPELINE_FIELD_ACTIONS = {
  name: 'updateReleasePipelineName',
  description: 'updateReleasePipelineDescription',
  tags: 'updateReleasePipelineTags',
  phases: 'updateReleasePipelinePhase',
} as const;

