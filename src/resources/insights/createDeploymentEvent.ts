// POST /api/v2/engineering-insights/deployment-events (beta) — CI reports a deployment event: `started` opens a
// deployment of the application version to the environment, `finished` or `failed` closes the one open (or records
// one that started and ended then), `custom` is kept on the latest. The application and version are added to the
// Applications list as they are first named. 201 without a body. One audit entry in the same transaction.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { JsonObject, Key, Name } from '../../http/schemas.js';
import { uuid } from '../../store/ids.js';
import type { Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { APPLICATION_KINDS, recordSeenApplication, type ApplicationKind } from '../applications/model.js';
import { deploymentAudit, deploymentDoc, EVENT_TYPES, mergePullRequests, readPullRequests, type DeploymentDoc, type DeploymentKind, type DeploymentRow } from './deployments.js';

const VERSION_PATTERN = '^[A-Za-z0-9._-]+$';

const PostDeploymentEventInput = Type.Object(
  {
    projectKey: Key,
    environmentKey: Key,
    applicationKey: Key,
    applicationName: Type.Optional(Name),
    applicationKind: Type.Optional(Type.Union(APPLICATION_KINDS.map((kind) => Type.Literal(kind)))),
    version: Type.String({ minLength: 1, maxLength: 256, pattern: VERSION_PATTERN }),
    versionName: Type.Optional(Name),
    eventType: Type.Union(EVENT_TYPES.map((type) => Type.Literal(type))),
    eventTime: Type.Optional(Type.Integer({ minimum: 0, maximum: 8.64e15 })),
    eventMetadata: Type.Optional(JsonObject),
    deploymentMetadata: Type.Optional(JsonObject),
  },
  { additionalProperties: false },
);
type PostDeploymentEventInput = Static<typeof PostDeploymentEventInput>;

/** new, redeployment (the version the application last finished deploying here) or rollback (an earlier one). */
async function kindOf(trx: Trx, environmentId: string, applicationKey: string, version: string, startedAt: number): Promise<DeploymentKind> {
  const earlier = await trx
    .selectFrom('insight_deployments')
    .select(['version', 'status', 'started_at'])
    .where('environment_id', '=', environmentId)
    .where('application_key', '=', applicationKey)
    .where('started_at', '<=', startedAt)
    .execute();
  if (!earlier.some((row) => row.version === version)) return 'new';
  const finished = earlier.filter((row) => row.status === 'finished').sort((a, b) => Number(b.started_at) - Number(a.started_at));
  return finished[0]?.version === version ? 'redeployment' : 'rollback';
}

/** The application's latest finished deployment here is its active one. */
async function markActive(trx: Trx, environmentId: string, applicationKey: string): Promise<void> {
  const rows = await trx.selectFrom('insight_deployments').select(['id', 'status', 'started_at', 'doc']).where('environment_id', '=', environmentId).where('application_key', '=', applicationKey).execute();
  const latest = rows.filter((row) => row.status === 'finished').sort((a, b) => Number(b.started_at) - Number(a.started_at) || (a.id < b.id ? 1 : -1))[0];
  for (const row of rows) {
    const doc = deploymentDoc(row);
    const active = row.id === latest?.id;
    if (doc.active !== active) await trx.updateTable('insight_deployments').set({ doc: JSON.stringify({ ...doc, active }) }).where('id', '=', row.id).execute();
  }
}

export function createDeploymentEvent(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: PostDeploymentEventInput }>('/api/v2/engineering-insights/deployment-events', { config: { beta: true, validationErrors: true }, schema: { body: PostDeploymentEventInput } }, async (request, reply) => {
    const body = request.body;
    const { project, environment } = await deps.catalog.projectEnvironment(body.projectKey, body.environmentKey);
    const pullRequests = readPullRequests(body.deploymentMetadata, project.key);
    const now = deps.now();
    const eventTime = body.eventTime ?? now;
    const { pullRequests: _sent, ...metadata } = body.deploymentMetadata ?? {};
    const event = { eventType: body.eventType, eventTime, ...(body.eventMetadata ? { eventMetadata: body.eventMetadata } : {}) };
    const kind = (body.applicationKind ?? 'server') as ApplicationKind;
    await deps.store.tx(async (trx) => {
      await recordSeenApplication(trx, { key: body.applicationKey, name: body.applicationName ?? body.applicationKey, kind, version: { key: body.version, name: body.versionName ?? body.version } }, now);
      let query = trx
        .selectFrom('insight_deployments')
        .selectAll()
        .where('environment_id', '=', environment.id)
        .where('application_key', '=', body.applicationKey)
        .where('version', '=', body.version)
        .orderBy('started_at', 'desc');
      if (deps.store.kind === 'postgres') query = query.forUpdate();
      const latest = (await query.execute())[0];
      const open = latest?.status === 'started' ? latest : undefined;
      const closing = body.eventType === 'finished' || body.eventType === 'failed';
      // An event joins the open deployment; a custom one the latest; a start or an end after a closed one begins another.
      const target = open ?? (body.eventType === 'custom' ? latest : undefined);
      if (target) {
        const doc = deploymentDoc(target);
        if (closing && eventTime < Number(target.started_at)) throw validationFailed([{ attribute: 'eventTime', reason: `is before the deployment started (${target.started_at})` }]);
        const next: DeploymentDoc = {
          ...doc,
          ...(body.versionName ? { versionName: body.versionName } : {}),
          ...(closing ? { endedAt: eventTime } : {}),
          metadata: { ...doc.metadata, ...metadata },
          pullRequests: mergePullRequests(doc.pullRequests, pullRequests),
          events: [...doc.events, event],
        };
        const status = closing ? body.eventType : target.status;
        await trx.updateTable('insight_deployments').set({ status, doc: JSON.stringify(next) }).where('id', '=', target.id).execute();
        await recordAudit(trx, request.actor, now, { ...deploymentAudit(target, next, 'createDeploymentEvent', `recorded the ${body.eventType} event of the deployment of ${body.applicationKey} ${body.version}`), after: { ...next, status } });
      } else {
        const doc: DeploymentDoc = {
          projectKey: project.key,
          environmentKey: environment.key,
          applicationName: body.applicationName ?? body.applicationKey,
          applicationKind: kind,
          versionName: body.versionName ?? body.version,
          kind: await kindOf(trx, environment.id, body.applicationKey, body.version, eventTime),
          ...(closing ? { endedAt: eventTime } : {}),
          active: false,
          archived: false,
          metadata,
          pullRequests,
          events: [event],
        };
        const row: DeploymentRow = {
          id: uuid(),
          project_id: project.id,
          environment_id: environment.id,
          application_key: body.applicationKey,
          version: body.version,
          started_at: eventTime,
          status: closing ? body.eventType : 'started',
          doc: JSON.stringify(doc),
        };
        await trx.insertInto('insight_deployments').values(row).execute();
        await recordAudit(trx, request.actor, now, { ...deploymentAudit(row, doc, 'createDeploymentEvent', `recorded the ${body.eventType} event of the deployment of ${body.applicationKey} ${body.version}`), after: { ...doc, status: row.status } });
      }
      if (closing) await markActive(trx, environment.id, body.applicationKey);
    });
    return reply.code(201).send();
  });
}
