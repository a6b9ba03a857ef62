// POST /api/v2/segments/{projectKey}/{environmentKey} — create a segment, standard or big (`unbounded`), with no targets
// and no rules; 409 when the key exists. `viewKeys` links it to those views in the same transaction (a view audit entry
// each; a key naming no view is a 400 naming `viewKeys[i]`); a project that requires new segments to be linked to a
// view refuses a segment without one.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, notFound, validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { addNewlyTargetedKinds } from '../context-kinds/contextKinds.js';
import type { ProjectDoc } from '../projects/projects.js';
import { linkCreated, requiredViewProblem } from '../views/createInto.js';
import { namedViews } from '../views/model.js';
import { segmentKinds } from './model.js';
import { newSegment } from './rules.js';
import { representSegment } from './represent.js';
import { SegmentBody } from './schemas.js';

export function postSegment(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; environmentKey: string }; Body: SegmentBody }>(
    '/api/v2/segments/:projectKey/:environmentKey',
    { schema: { body: SegmentBody } },
    async (request, reply) => {
      const body = request.body;
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const now = deps.now();
      const doc = newSegment(body, now);
      const row = { id: objectId(now), environment_id: environment.id, key: body.key, name: doc.name, doc: JSON.stringify(doc), created_at: now };
      await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            // The environment was read before the transaction (from the catalog): a delete since leaves nothing to add
            // to. Key-share locked on PostgreSQL, it is not deleted until this commits (other writes to it go on).
            let held = trx.selectFrom('environments').select('id').where('id', '=', environment.id);
            if (deps.store.kind === 'postgres') held = held.forKeyShare();
            if (!(await held.executeTakeFirst())) throw notFound(`Environment "${environment.key}" in project "${project.key}"`);
            const named = await namedViews(trx, project.id, body.viewKeys ?? [], 'viewKeys');
            const unviewed = requiredViewProblem(JSON.parse(project.doc) as ProjectDoc, 'segments', body.viewKeys);
            if (unviewed) named.problems.push(unviewed);
            if (named.problems.length > 0) throw validationFailed(named.problems);
            await trx.insertInto('segments').values(row).execute();
            await addNewlyTargetedKinds(trx, project.id, new Set(), segmentKinds(doc), now);
            await recordAudit(trx, request.actor, now, {
              kind: 'segment',
              resource: `proj/${project.key}:env/${environment.key}:segment/${body.key}`,
              action: 'createSegment',
              name: doc.name,
              description: `created the segment ${doc.name} in ${environment.key}`,
              projectKey: project.key,
              // As the API shows it (no salt).
              after: representSegment(project.key, environment.key, { row, doc }),
            });
            const resource = { id: row.id, key: body.key, environmentId: environment.id, environmentKey: environment.key };
            await linkCreated(trx, request.actor, now, project.key, named.views, { type: 'segments', resource, name: doc.name, viewKeys: body.viewKeys });
          }),
        `A segment with the key "${body.key}" already exists in environment "${environment.key}" of project "${project.key}"`,
      );
      deps.changed({ kind: 'segment', projectId: project.id, id: row.id });
      return reply.code(201).send(representSegment(project.key, environment.key, { row, doc }));
    },
  );
}
