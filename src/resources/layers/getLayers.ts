// GET /api/v2/projects/{projectKey}/layers — every layer of a project; `filter=experimentKey:<key>` keeps those
// holding a reservation for that experiment in any environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseFilter } from '../../http/filter.js';
import { link } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { representLayers } from './represent.js';

/** The spec's own example, `reservations.experimentKey contains <key>`, is read as `experimentKey:<key>`. */
const SPEC_FORM = /^\s*reservations\.experimentKey\s+contains\s+(\S+)\s*$/;

export function readExperimentKeyFilter(raw: unknown): string | undefined {
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  const specForm = typeof text === 'string' ? SPEC_FORM.exec(text) : null;
  if (specForm) return specForm[1];
  return parseFilter(text, ['experimentKey']).get('experimentKey');
}

export function getLayers(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey/layers', async (request) => {
    const { projectKey } = request.params;
    const query = request.query as Record<string, unknown>;
    const experimentKey = readExperimentKeyFilter(query.filter);
    const db = deps.store.db;
    const project = await findProject(db, projectKey);
    let layers = db.selectFrom('layers as l').selectAll('l').where('l.project_id', '=', project.id);
    if (experimentKey !== undefined) {
      layers = layers.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('layer_reservations as r')
            .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
            .select('r.experiment_id')
            .whereRef('r.layer_id', '=', 'l.id')
            .where('e.key', '=', experimentKey),
        ),
      );
    }
    const rows = await layers.orderBy('l.created_at').orderBy('l.id').execute();
    const self = experimentKey === undefined ? `/api/v2/projects/${projectKey}/layers` : `/api/v2/projects/${projectKey}/layers?${new URLSearchParams({ filter: String(query.filter) })}`;
    return { items: await representLayers(db, rows), totalCount: rows.length, _links: { self: link(self) } };
  });
}
