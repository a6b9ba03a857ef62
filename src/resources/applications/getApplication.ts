// GET /api/v2/applications/{applicationKey} (beta) — one application; `expand=flags` adds the flags its SDKs
// reported evaluating.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readExpand } from '../../http/links.js';
import { evaluatedFlags, findApplication } from './model.js';
import { representApplication } from './represent.js';

export function getApplication(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { applicationKey: string }; Querystring: Record<string, unknown> }>('/api/v2/applications/:applicationKey', { config: { beta: true } }, async (request) => {
    const row = await findApplication(deps.store.db, request.params.applicationKey);
    const flags = readExpand(request.query).has('flags') ? (await evaluatedFlags(deps.store.db, [row.key])).get(row.key) : undefined;
    return representApplication(row, flags);
  });
}
