// POST /api/v2/projects/{projectKey}/environments/{environmentKey}/segments/evaluate — for a context (the body),
// whether it is in each segment of the environment, and why: targeted individually or by a rule.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { contextsByKind, membership, type Context } from './membership.js';
import { listSegments } from './model.js';
import { segmentPath } from './represent.js';

const KIND_PATTERN = /^[A-Za-z0-9._-]+$/;

/** A context the SDKs would evaluate: each kind's part an object with a non-empty string `key`. */
function contextProblems(body: unknown): FieldError[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [{ attribute: 'body', reason: 'must be a context object, e.g. {"kind": "user", "key": "user-key-123abc"}' }];
  const context = body as Context;
  if (context.kind !== undefined && (typeof context.kind !== 'string' || (context.kind !== 'multi' && (context.kind === 'kind' || !KIND_PATTERN.test(context.kind))))) {
    return [{ attribute: 'kind', reason: 'must be a context kind (letters, digits, ".", "_" and "-") or "multi"' }];
  }
  const parts = context.kind === 'multi' ? Object.entries(context).filter(([key]) => key !== 'kind') : [['', context] as const];
  if (parts.length === 0) return [{ attribute: 'body', reason: 'a multi-context must hold at least one context' }];
  const errors: FieldError[] = [];
  for (const [kind, part] of parts) {
    const at = kind === '' ? '' : `${kind}.`;
    if (kind !== '' && !KIND_PATTERN.test(kind)) errors.push({ attribute: kind, reason: 'is not a context kind (letters, digits, ".", "_" and "-")' });
    else if (part === null || typeof part !== 'object' || Array.isArray(part)) errors.push({ attribute: kind, reason: 'must be a context object' });
    else if (typeof (part as Context).key !== 'string' || (part as Context).key === '') errors.push({ attribute: `${at}key`, reason: 'must be a non-empty string' });
  }
  return errors;
}

export function getContextInstanceSegmentsMembershipByEnv(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; environmentKey: string } }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/segments/evaluate',
    // It reads: a reader may ask.
    { config: { role: 'reader' } },
    async (request) => {
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const errors = contextProblems(request.body);
      if (errors.length > 0) throw validationFailed(errors);
      const kinds = contextsByKind(request.body as Context);
      const segments = (await listSegments(deps.store.db, environment.id)).sort((a, b) => (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0));
      const byKey = new Map(segments.map(({ row, doc }) => [row.key, { key: row.key, doc }]));
      const lookup = { segment: (key: string) => byKey.get(key) };
      return {
        items: segments.map(({ row, doc }) => ({
          name: doc.name,
          key: row.key,
          description: doc.description ?? '',
          unbounded: false,
          // No segment of iterlab's is synced from another tool.
          external: '',
          ...membership(row.key, doc, kinds, lookup),
          _links: { self: link(segmentPath(project.key, environment.key, row.key)) },
        })),
        _links: { self: link(`/api/v2/projects/${project.key}/environments/${environment.key}/segments/evaluate`) },
      };
    },
  );
}
