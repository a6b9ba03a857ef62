// POST /api/v2/code-refs/repositories — add a repository (200, as the spec says): type `custom` and default branch
// `main` unless given, enabled, version 1. 409 when the name is taken.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { RepositoryPost, type RepositoryDoc, type RepositoryRow } from './model.js';
import { repositoryAudit, representRepository } from './represent.js';

export function postRepository(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: RepositoryPost }>('/api/v2/code-refs/repositories', { schema: { body: RepositoryPost } }, async (request) => {
    const body = request.body;
    const now = deps.now();
    const doc: RepositoryDoc = {
      ...(body.sourceLink !== undefined ? { sourceLink: body.sourceLink } : {}),
      ...(body.commitUrlTemplate !== undefined ? { commitUrlTemplate: body.commitUrlTemplate } : {}),
      ...(body.hunkUrlTemplate !== undefined ? { hunkUrlTemplate: body.hunkUrlTemplate } : {}),
      type: body.type ?? 'custom',
      defaultBranch: body.defaultBranch || 'main',
      enabled: true,
    };
    const row: RepositoryRow = { name: body.name, doc: JSON.stringify(doc), version: 1, created_at: now };
    const rep = representRepository(row);
    await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          await trx.insertInto('code_ref_repositories').values(row).execute();
          await recordAudit(trx, request.actor, now, repositoryAudit(row.name, 'createCodeRefsRepository', 'added', { after: rep }));
        }),
      `A repository named "${body.name}" already exists`,
    );
    return rep;
  });
}
