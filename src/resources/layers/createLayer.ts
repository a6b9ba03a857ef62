// POST /api/v2/projects/{projectKey}/layers — create a layer (no reservations yet): 201 LayerRep.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { Key, Name } from '../../http/schemas.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { defaultUnit, loadSettings } from '../experimentation-settings/settings.js';
import { findProject } from '../projects/projects.js';
import type { LayerDoc, LayerRow } from './model.js';
import { representLayer } from './represent.js';

export const Description = Type.String({ maxLength: 65536 });

export const LayerPost = Type.Object({
  key: Key,
  name: Name,
  description: Description,
});
type LayerPost = Static<typeof LayerPost>;

export function createLayer(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: LayerPost }>(
    '/api/v2/projects/:projectKey/layers',
    { schema: { body: LayerPost } },
    async (request, reply) => {
      const body = request.body;
      const { projectKey } = request.params;
      const now = deps.now();
      const row = await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            const project = await findProject(trx, projectKey);
            // LayerPost names no unit; the layer takes the project's default, as LaunchDarkly reports "user".
            const doc: LayerDoc = { description: body.description, randomizationUnit: defaultUnit((await loadSettings(trx, project.id)).doc) };
            const layer: LayerRow = { id: objectId(now), project_id: project.id, key: body.key, name: body.name, doc: JSON.stringify(doc), created_at: now };
            await trx.insertInto('layers').values(layer).execute();
            await recordAudit(trx, request.actor, now, {
              kind: 'layer',
              resource: `proj/${projectKey}:layer/${body.key}`,
              action: 'createLayer',
              name: body.name,
              description: `created the layer ${body.name}`,
              projectKey,
              after: representLayer(layer, [], new Map()),
            });
            return layer;
          }),
        `A layer with the key "${body.key}" already exists in project "${projectKey}"`,
      );
      deps.changed({ kind: 'layer', projectId: row.project_id, id: row.id });
      return reply.code(201).send(representLayer(row, [], new Map()));
    },
  );
}
