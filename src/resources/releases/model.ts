// A flag's release: the phases of its pipeline as they were when the flag was added, each with its status, moved on
// in order (the pure lifecycle below), and the reads and locks the operations share. A flag has one release; it
// stays once complete, until it is deleted or replaced by a new one.
import { Type, type Static } from '@sinclair/typebox';
import { ApiError, notFound, validationFailed } from '../../http/errors.js';
import { StringEnum } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { FlagReleasesTable } from '../../store/schema.js';
import type { AudienceDoc, GuardianConfiguration, PipelineDoc } from '../release-pipelines/model.js';

export type ReleaseRow = FlagReleasesTable;

export const PHASE_STATUSES = ['NotStarted', 'ReadyToStart', 'Started', 'Paused', 'Complete'] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];

export interface ReleaseAudienceDoc extends AudienceDoc {
  /** The flag rules this audience added when its phase started (segment audiences). */
  ruleIds: string[];
}

export interface ReleasePhaseDoc {
  id: string;
  name: string;
  status: PhaseStatus;
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  /** CompletedBy as shown: the member or the service token that completed the phase. */
  completedBy?: Record<string, unknown>;
  audiences: ReleaseAudienceDoc[];
}

export interface ReleaseDoc {
  pipelineKey: string;
  name: string;
  description?: string;
  isLegacy: boolean;
  releaseVariationId: string;
  version: number;
  phases: ReleasePhaseDoc[];
  completedAt?: number;
}

export const CreateReleaseInput = Type.Object(
  { releasePipelineKey: Type.String({ minLength: 1, maxLength: 256 }), releaseVariationId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) },
  { additionalProperties: false },
);
export type CreateReleaseInput = Static<typeof CreateReleaseInput>;

export const UpdatePhaseStatusInput = Type.Object(
  {
    status: StringEnum(PHASE_STATUSES),
    audiences: Type.Optional(
      Type.Array(
        Type.Object(
          {
            audienceId: Type.String({ minLength: 1, maxLength: 256 }),
            releaseGuardianConfiguration: Type.Optional(
              Type.Object(
                {
                  monitoringWindowMilliseconds: Type.Optional(Type.Integer({ minimum: 1 })),
                  rolloutWeight: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
                  rollbackOnRegression: Type.Optional(Type.Boolean()),
                  randomizationUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
                },
                { additionalProperties: false },
              ),
            ),
            notifyMemberIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 })),
            notifyTeamKeys: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type UpdatePhaseStatusInput = Static<typeof UpdatePhaseStatusInput>;

export const FLAG_RELEASE_PATH = '/api/v2/flags/:projectKey/:flagKey/release';
export const PROJECT_FLAG_RELEASE_PATH = '/api/v2/projects/:projectKey/flags/:flagKey/release';

export interface ReleaseParams {
  projectKey: string;
  flagKey: string;
}

export function releaseDoc(row: Pick<ReleaseRow, 'doc'>): ReleaseDoc {
  return JSON.parse(row.doc) as ReleaseDoc;
}

/** A new release along the pipeline: its first phase ready to start, the others not started. */
export function newRelease(pipelineKey: string, pipeline: PipelineDoc, releaseVariationId: string, now: number): ReleaseDoc {
  return {
    pipelineKey,
    name: pipeline.name,
    ...(pipeline.description !== undefined ? { description: pipeline.description } : {}),
    isLegacy: pipeline.isLegacy,
    releaseVariationId,
    version: 1,
    phases: pipeline.phases.map((phase, i) => ({
      id: phase.id,
      name: phase.name,
      status: i === 0 ? 'ReadyToStart' : 'NotStarted',
      createdAt: now,
      audiences: phase.audiences.map((audience) => ({ ...audience, ruleIds: [] })),
    })),
  };
}

/** The phase a release is at: its first that is not complete (none once the release is complete). */
export function activePhase(doc: ReleaseDoc): ReleasePhaseDoc | undefined {
  return doc.phases.find((phase) => phase.status !== 'Complete');
}

/** Marks phase `index` complete and readies the next one; the release is complete after its last. */
function complete(doc: ReleaseDoc, index: number, now: number, by: Record<string, unknown> | undefined): void {
  const phase = doc.phases[index];
  phase.status = 'Complete';
  phase.completedAt = now;
  if (by) phase.completedBy = by;
  const next = doc.phases[index + 1];
  if (next) next.status = 'ReadyToStart';
  else doc.completedAt = now;
}

function refuse(attribute: string, reason: string): ApiError {
  return validationFailed([{ attribute, reason }]);
}

/** What a status change did: the release as it is after it, and whether the phase has just begun (its audiences are released). */
export interface PhaseChange {
  doc: ReleaseDoc;
  changed: boolean;
  begun: boolean;
}

/**
 * A phase's status set as updatePhaseStatus asks: `Started` begins the phase that is ready (every earlier one is
 * complete) or resumes a paused one; `Paused` pauses a started one; `Complete` completes a started or paused one and
 * readies the next. A phase already at the status is left as it is. Pure: the release is copied.
 */
export function changePhaseStatus(current: ReleaseDoc, phaseId: string, status: PhaseStatus, now: number, by: Record<string, unknown> | undefined): PhaseChange {
  const doc = structuredClone(current);
  const index = doc.phases.findIndex((phase) => phase.id === phaseId);
  if (index < 0) throw notFound(`Phase "${phaseId}" of this release`);
  const phase = doc.phases[index];
  if (phase.status === status) return { doc, changed: false, begun: false };
  const blocking = doc.phases.slice(0, index).find((p) => p.status !== 'Complete');
  switch (status) {
    case 'Started':
      if (phase.status === 'Complete') throw refuse('status', `phase "${phase.name}" is complete and cannot start again`);
      if (blocking) throw refuse('status', `phase "${phase.name}" cannot start before phase "${blocking.name}" is complete`);
      phase.status = 'Started';
      if (phase.startedAt !== undefined) return { doc, changed: true, begun: false };
      phase.startedAt = now;
      return { doc, changed: true, begun: true };
    case 'Paused':
      if (phase.status !== 'Started') throw refuse('status', `only a started phase can be paused; phase "${phase.name}" is ${phase.status}`);
      phase.status = 'Paused';
      return { doc, changed: true, begun: false };
    case 'Complete':
      if (phase.status !== 'Started' && phase.status !== 'Paused') throw refuse('status', `phase "${phase.name}" is ${phase.status}: only a started or paused phase can be completed`);
      complete(doc, index, now, by);
      return { doc, changed: true, begun: false };
    default:
      throw refuse('status', `a phase cannot be set to ${status}: send Started, Paused or Complete`);
  }
}

/**
 * A legacy release's phase marked complete or not (patchReleaseByFlagKey), in order: a phase is completed only after
 * every earlier one, and made incomplete only while every later one is. Pure: the release is copied.
 */
export function markPhaseComplete(current: ReleaseDoc, index: number, value: boolean, now: number, by: Record<string, unknown> | undefined, field: string): { doc: ReleaseDoc; changed: boolean } {
  const doc = structuredClone(current);
  const phase = doc.phases[index];
  if (!phase) throw refuse(field, `the release has no phase ${index} (it has ${doc.phases.length})`);
  if ((phase.status === 'Complete') === value) return { doc, changed: false };
  if (value) {
    const blocking = doc.phases.slice(0, index).find((p) => p.status !== 'Complete');
    if (blocking) throw refuse(field, `phase "${phase.name}" cannot be completed before phase "${blocking.name}"`);
    complete(doc, index, now, by);
  } else {
    const later = doc.phases.slice(index + 1).find((p) => p.status === 'Complete');
    if (later) throw refuse(field, `phase "${phase.name}" cannot be made incomplete while phase "${later.name}" is complete`);
    phase.status = 'ReadyToStart';
    delete phase.completedAt;
    delete phase.completedBy;
    for (const p of doc.phases.slice(index + 1)) p.status = 'NotStarted';
    delete doc.completedAt;
  }
  return { doc, changed: true };
}

/**
 * The audiences' configuration completed by updatePhaseStatus's `audiences` (taken when the phase begins): the
 * guardian configuration merged over the pipeline's, the members and teams to notify replaced. 400 naming the entry
 * for an audience the phase does not have, or a guardian configuration that lacks what one needs.
 */
export function configureAudiences(phase: ReleasePhaseDoc, inputs: NonNullable<UpdatePhaseStatusInput['audiences']>): void {
  inputs.forEach((input, i) => {
    const audience = phase.audiences.find((a) => a.id === input.audienceId);
    if (!audience) throw refuse(`audiences[${i}].audienceId`, `phase "${phase.name}" has no audience "${input.audienceId}"`);
    const configuration = audience.configuration ?? { releaseStrategy: 'immediateRelease', requireApproval: false };
    if (input.releaseGuardianConfiguration) {
      const merged = { ...configuration.releaseGuardianConfiguration, ...input.releaseGuardianConfiguration };
      for (const field of ['monitoringWindowMilliseconds', 'rolloutWeight', 'rollbackOnRegression'] as const) {
        if (merged[field] === undefined) throw refuse(`audiences[${i}].releaseGuardianConfiguration.${field}`, 'must be present (the pipeline does not set it for this audience)');
      }
      configuration.releaseGuardianConfiguration = merged as GuardianConfiguration;
    }
    if (input.notifyMemberIds !== undefined) configuration.notifyMemberIds = input.notifyMemberIds;
    if (input.notifyTeamKeys !== undefined) configuration.notifyTeamKeys = input.notifyTeamKeys;
    audience.configuration = configuration;
  });
}

/** The flag's release (404 naming the flag when it has none); locked until commit on PostgreSQL when `lock` names the store. */
export async function findRelease(db: Db | Trx, flag: { id: string; key: string }, lock?: Pick<Store, 'kind'>): Promise<ReleaseRow> {
  let query = db.selectFrom('flag_releases').selectAll().where('flag_id', '=', flag.id);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Release of flag "${flag.key}"`);
  return row;
}

/** Writes the release's new doc, one version more, and whether it is still active. */
export async function saveRelease(trx: Trx, row: ReleaseRow, doc: ReleaseDoc): Promise<ReleaseRow> {
  doc.version += 1;
  const next: ReleaseRow = { ...row, doc: JSON.stringify(doc), active: doc.completedAt === undefined ? 1 : 0 };
  await trx.updateTable('flag_releases').set({ doc: next.doc, active: next.active }).where('id', '=', row.id).execute();
  return next;
}

/** The ids of the project's flags released along the pipeline of that key, under way or complete (the flags list's `releasePipeline` filter). */
export async function flagsReleasedAlong(db: Db | Trx, projectId: string, pipelineKey: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('flag_releases')
    .innerJoin('release_pipelines', 'release_pipelines.id', 'flag_releases.pipeline_id')
    .select('flag_releases.flag_id')
    .where('release_pipelines.project_id', '=', projectId)
    .where('release_pipelines.key', '=', pipelineKey)
    .execute();
  return new Set(rows.map((row) => row.flag_id));
}
