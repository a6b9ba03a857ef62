// POST …/environments/{environmentKey}/experiments — create an experiment with its first (draft) iteration: 201.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { ApiError, conflictOnDuplicate, validationFailed, type FieldError } from '../../http/errors.js';
import { Key, Name, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findMember } from '../members/members.js';
import { statement } from '../../store/statements.js';
import { currentFlagTexts, flagsStillAsSeen, resolveCached, resolveIteration, storeLookups, type Resolved } from './iterationInput.js';
import { insertDraft } from './draftWriter.js';
import type { ExperimentDoc, IterationDoc } from './model.js';
import { analysisConfigProblems } from './analysisConfig.js';
import { AUDIT_EXPAND, representExperiment } from './represent.js';
import { joinProblems } from '../holdouts/model.js';

const AnalysisConfigInput = Type.Object({
  bayesianThreshold: Type.Optional(Type.String()),
  significanceThreshold: Type.Optional(Type.String()),
  testDirection: Type.Optional(Type.String()),
  multipleComparisonCorrectionMethod: Type.Optional(Type.Union([Type.Literal('bonferroni'), Type.Literal('benjamini-hochberg')])),
  multipleComparisonCorrectionScope: Type.Optional(Type.Union([Type.Literal('variations'), Type.Literal('variations-and-metrics'), Type.Literal('metrics')])),
  sequentialTestingEnabled: Type.Optional(Type.Boolean()),
});

/** ExperimentPost without the iteration, which resolveIteration checks in depth. */
export const ExperimentPost = Type.Object({
  name: Name,
  key: Key,
  description: Type.Optional(Type.String({ maxLength: 65536 })),
  maintainerId: Type.Optional(Type.String({ minLength: 1 })),
  iteration: Type.Object({}),
  holdoutId: Type.Optional(Type.String()),
  tags: Type.Optional(Tags),
  methodology: Type.Optional(Type.Union([Type.Literal('bayesian'), Type.Literal('frequentist'), Type.Literal('export_only')])),
  analysisConfig: Type.Optional(AnalysisConfigInput),
  dataSource: Type.Optional(Type.Union([Type.Literal('launchdarkly'), Type.Literal('snowflake'), Type.Literal('databricks'), Type.Literal('redshift')])),
  type: Type.Optional(Type.Union([Type.Literal('experiment'), Type.Literal('mab'), Type.Literal('holdout')])),
});

const insertExperiment = statement(
  'insert into "experiments" ("id", "project_id", "environment_id", "key", "name", "doc", "status", "archived_date", "created_at", "holdout_id") values (?, ?, ?, ?, ?, ?, ?, null, ?, ?)',
);

interface Params {
  projectKey: string;
  environmentKey: string;
}

export function createExperiment(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/experiments', async (request, reply) => {
    const { projectKey, environmentKey } = request.params;
    const body = request.body as Record<string, unknown> | undefined;
    const now = deps.now();
    const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    const errors: FieldError[] = check(ExperimentPost, body);
    if (errors.length > 0 && (body === null || typeof body !== 'object' || Array.isArray(body))) throw validationFailed(errors);
    const input = body as Record<string, unknown>;
    if (input.analysisConfig !== undefined) {
      // The schema checks the types; this adds the values it cannot (thresholds, test direction), once per field.
      for (const problem of analysisConfigProblems(input.analysisConfig)) if (!errors.some((e) => e.attribute === problem.attribute)) errors.push(problem);
    }
    // A name of spaces alone shows as none; updateName and updateExperimentFields refuse it too.
    if (typeof input.name === 'string' && input.name !== '' && input.name.trim() === '') errors.push({ attribute: 'name', reason: 'must not be blank' });
    const key = typeof input.key === 'string' ? input.key : '';

    // The iteration is validated before the transaction, from cached reads, as create iteration does; the
    // transaction only checks that the flags are still what the validation saw, and validates again if not.
    const resolve = async (run: () => Promise<Resolved>): Promise<{ resolved?: Resolved; errors: FieldError[] }> => {
      if (input.iteration === null || typeof input.iteration !== 'object' || Array.isArray(input.iteration)) return { errors: [] };
      try {
        return { resolved: await run(), errors: [] };
      } catch (err) {
        if (!(err instanceof ApiError) || !err.errors) throw err;
        return { errors: err.errors };
      }
    };
    const context = { project, environment, prefix: 'iteration.', now, bandit: input.type === 'mab' };
    const validated = await resolve(() => resolveCached(deps.catalog, deps.store.db, context, input.iteration));

    const result = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const seen = validated.resolved?.seenFlags;
          const unchanged = seen !== undefined && flagsStillAsSeen(seen, await currentFlagTexts(trx, project.id, environment.id, seen.keys()));
          const { resolved, errors: iterationErrors } = unchanged
            ? validated
            : await resolve(async () => ({ doc: await resolveIteration({ ...context, lookups: storeLookups(trx, project.id, environment.id) }, input.iteration), seenFlags: new Map() }));
          const iteration = resolved?.doc;
          const problems = [...errors, ...iterationErrors];
          const maintainerId = typeof input.maintainerId === 'string' ? input.maintainerId : request.actor!.memberId;
          if (typeof input.maintainerId === 'string' && !(await findMember(trx, input.maintainerId))) {
            problems.push({ attribute: 'maintainerId', reason: `member "${input.maintainerId}" not found` });
          }
          const holdoutId = typeof input.holdoutId === 'string' ? input.holdoutId : undefined;
          if (holdoutId !== undefined) problems.push(...(await joinProblems(trx, deps.store, environment, holdoutId, iteration)));
          if (input.type === 'holdout') {
            problems.push({ attribute: 'type', reason: 'an experiment of type "holdout" is made by creating a holdout (POST …/environments/{environmentKey}/holdouts)' });
          }
          if (problems.length > 0 || !iteration) throw validationFailed(problems);

          const doc: ExperimentDoc = {
            name: input.name as string,
            maintainerId,
            tags: (input.tags as string[] | undefined) ?? [],
            methodology: (input.methodology as string | undefined) ?? 'bayesian',
            dataSource: (input.dataSource as string | undefined) ?? 'launchdarkly',
            type: (input.type as string | undefined) ?? 'experiment',
            creationDate: now,
          };
          if (input.description !== undefined) doc.description = input.description as string;
          if (holdoutId !== undefined) doc.holdoutId = holdoutId;
          if (input.analysisConfig !== undefined) doc.analysisConfig = input.analysisConfig as ExperimentDoc['analysisConfig'];
          const row = {
            id: objectId(now),
            project_id: project.id,
            environment_id: environment.id,
            key,
            name: doc.name,
            doc: JSON.stringify(doc),
            status: 'not_started',
            archived_date: null,
            created_at: now,
            holdout_id: holdoutId ?? null,
          };
          await insertExperiment.run(trx, [row.id, row.project_id, row.environment_id, row.key, row.name, row.doc, row.status, row.created_at, row.holdout_id]);
          const iterationId = await insertDraft(trx, row.id, iteration, now, { first: true });
          const created = { id: iterationId, doc: iteration };
          await recordAudit(trx, request.actor, now, {
            kind: 'experiment',
            resource: `proj/${projectKey}:env/${environmentKey}:experiment/${key}`,
            action: 'createExperiment',
            name: doc.name,
            description: `created the experiment ${doc.name}`,
            projectKey,
            relatedFlagKey: Object.keys(iteration.flags)[0],
            after: representExperiment(projectKey, environmentKey, row, { current: created, draft: created, previous: [] }, AUDIT_EXPAND),
          });
          return { row, iteration: { id: iterationId, doc: iteration } };
        }),
      `An experiment with the key "${key}" already exists in environment "${environmentKey}" of project "${projectKey}"`,
    );
    deps.changed({ kind: 'experiment', projectId: project.id, id: result.row.id });
    return reply
      .code(201)
      .send(representExperiment(projectKey, environmentKey, result.row, { current: result.iteration, draft: result.iteration, previous: [] }, new Set()));
  });
}
