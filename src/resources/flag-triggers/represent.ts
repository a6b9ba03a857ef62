// The TriggerWorkflowRep and TriggerWorkflowCollectionRep representations: the only code that builds flag trigger JSON.
import type { FastifyRequest } from 'fastify';
import { link } from '../../http/links.js';
import type { Db, Trx } from '../../store/db.js';
import type { FlagPlace } from '../flags/inEnvironment.js';
import { findMembers, type MemberRow, memberSummary } from '../members/members.js';
import { type FlagTriggerRow, triggerDoc, triggerPath, triggerStatus } from './model.js';

export function triggersPath(place: FlagPlace): string {
  return `/api/v2/flags/${place.projectKey}/${place.flagKey}/triggers/${place.environmentKey}`;
}

/** The server's address as the caller reached it: the base of trigger URLs (a self-hosted server has no other name). */
export function serverBase(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** What the representation needs beside the row: the server's base, the maintainers, and the secret when it is shown. */
export interface TriggerContext {
  base: string;
  maintainers: Map<string, MemberRow>;
  /** The URL's secret: only in the answers that make it (create, cycleTriggerUrl); else the URL is obscured. */
  secret?: string;
}

export async function triggerContext(db: Db | Trx, base: string, rows: FlagTriggerRow[], secret?: string): Promise<TriggerContext> {
  return { base, maintainers: await findMembers(db, rows.map((row) => triggerDoc(row).maintainerId)), ...(secret !== undefined ? { secret } : {}) };
}

export function representTrigger(row: FlagTriggerRow, place: FlagPlace, context: TriggerContext): Record<string, unknown> {
  const doc = triggerDoc(row);
  const maintainer = context.maintainers.get(doc.maintainerId);
  return {
    _id: row.id,
    _version: doc.version,
    _creationDate: Number(row.created_at),
    _maintainerId: doc.maintainerId,
    ...(maintainer ? { _maintainer: memberSummary(maintainer) } : {}),
    enabled: doc.enabled,
    _integrationKey: doc.integrationKey,
    instructions: doc.instructions,
    ...(doc.lastTriggeredAt !== undefined ? { _lastTriggeredAt: doc.lastTriggeredAt } : {}),
    ...(doc.lastFailedAt !== undefined ? { _lastFailedAt: doc.lastFailedAt } : {}),
    _status: triggerStatus(doc),
    _recentTriggerBodies: doc.recentTriggerBodies,
    _triggerCount: doc.triggerCount,
    triggerURL: `${context.base}${triggerPath(row.id, context.secret ?? '********')}`,
    _links: { parent: link(triggersPath(place)), self: link(`${triggersPath(place)}/${row.id}`) },
  };
}
