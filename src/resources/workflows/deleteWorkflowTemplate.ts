// DELETE /api/v2/templates/{templateKey} — delete a workflow template; workflows made from it go on. 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findTemplate, templateAudit, templateDoc, TEMPLATES_URL } from './templates.js';

export function deleteWorkflowTemplate(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { templateKey: string } }>(`${TEMPLATES_URL}/:templateKey`, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findTemplate(trx, request.params.templateKey);
      // On PostgreSQL a concurrent delete may take the row between the read and here: this one then deleted nothing.
      const deleted = await trx.deleteFrom('workflow_templates').where('id', '=', row.id).executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) throw notFound(`Workflow template "${row.key}"`);
      await recordAudit(trx, request.actor, now, templateAudit(row, 'deleteWorkflowTemplate', 'deleted', { before: { _id: row.id, _key: row.key, ...templateDoc(row) } }));
    });
    return reply.code(204).send();
  });
}
