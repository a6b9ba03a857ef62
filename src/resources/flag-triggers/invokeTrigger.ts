// POST /webhook/triggers/{id}/{secret} — a trigger's URL, called by an alerting tool without a token: the trigger's
// action (turnFlagOn or turnFlagOff) runs on its flag in its environment through the flag update path (a new version,
// streamed to the SDKs, audited as done by the trigger). Whatever the body is, it is kept among the trigger's recent
// ones (as JSON when it is a JSON object). A flag already as the action leaves it is not changed again; a disabled
// trigger acknowledges the call and does nothing. An unknown id or a wrong secret is a 404, alike. The URL's secret
// stays out of the request log (app.ts).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError, notFound } from '../../http/errors.js';
import { SEMANTIC_PATCH_TYPE } from '../../http/patch/semanticPatch.js';
import { parseJsonText } from '../../http/validation.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { flagResource } from '../flags/inEnvironment.js';
import { type FlagUpdate, parseFlagUpdate } from '../flags/update.js';
import { type FlagTriggerDoc, type FlagTriggerRow, RECENT_BODIES, type RecentTriggerBody, secretMatches, TRIGGER_ROUTE, triggerDoc } from './model.js';

/** The most of a call's body a trigger keeps: it is stored with the trigger's ten latest and shown with it. */
const KEPT_BODY_BYTES = 8192;

/**
 * The call's body as `_recentTriggerBodies` keeps it: its JSON when it is a JSON object of at most KEPT_BODY_BYTES
 * (parsed as request bodies are: not too deep, no NUL, no prototype keys), else only when it came.
 */
function recentBody(text: unknown, now: number): RecentTriggerBody {
  if (typeof text !== 'string' || text.trim() === '' || Buffer.byteLength(text) > KEPT_BODY_BYTES) return { timestamp: now };
  try {
    const parsed: unknown = parseJsonText(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? { timestamp: now, jsonBody: parsed as Record<string, unknown> } : { timestamp: now };
  } catch {
    return { timestamp: now };
  }
}

/** The trigger with its URL's secret, and where it acts: its flag's project and key, its environment's key. */
async function findCalledTrigger(deps: Deps, id: string, secret: string) {
  // No trigger's id holds a NUL, which PostgreSQL text cannot take: not found, as any other id (the route is public,
  // so the edge's check of authenticated routes does not run).
  if (id.includes('\u0000')) throw notFound('Trigger');
  const found = await deps.store.db
    .selectFrom('flag_triggers as t')
    .innerJoin('flags as f', 'f.id', 't.flag_id')
    .innerJoin('projects as p', 'p.id', 'f.project_id')
    .innerJoin('environments as e', 'e.id', 't.environment_id')
    .select(['t.id', 't.secret_hash', 't.doc', 'f.key as flagKey', 'p.id as projectId', 'p.key as projectKey', 'e.key as environmentKey'])
    .where('t.id', '=', id)
    .executeTakeFirst();
  if (!found || !secretMatches(found, secret)) throw notFound('Trigger');
  return found;
}

export function invokeTrigger(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { id: string; secret: string } }>(TRIGGER_ROUTE, { config: { public: true, rawBody: true } }, async (request) => {
    const called = await findCalledTrigger(deps, request.params.id, request.params.secret);
    const calledDoc = triggerDoc(called);
    if (!calledDoc.enabled) return {};
    const now = deps.now();
    const body = recentBody(request.body, now);
    let action = calledDoc.instructions[0].kind;
    let integrationKey = calledDoc.integrationKey;
    // The action is read again once the flag is locked (below), before the update applies it.
    const actionUpdate = () => parseFlagUpdate({ environmentKey: called.environmentKey, instructions: [{ kind: action }] }, SEMANTIC_PATCH_TYPE);
    const update: FlagUpdate = {
      comment: undefined,
      get delta() {
        return actionUpdate().delta;
      },
      apply: (view, context) => actionUpdate().apply(view, context),
    };
    // Set once the enabled trigger is found as called, with the flag locked: a refusal after that is the action's.
    let acting = false;
    try {
      await commitFlagUpdate(deps, {
        project: { id: called.projectId, key: called.projectKey },
        flagKey: called.flagKey,
        update,
        actor: undefined,
        // With the flag locked: the trigger as it is now (not deleted, disabled or given a new URL since), its call counted.
        inside: async (trx, flag) => {
          let query = trx.selectFrom('flag_triggers').selectAll().where('id', '=', called.id).where('flag_id', '=', flag.row.id);
          if (deps.store.kind === 'postgres') query = query.forUpdate();
          const row: FlagTriggerRow | undefined = await query.executeTakeFirst();
          if (!row || !secretMatches(row, request.params.secret)) throw notFound('Trigger');
          const doc: FlagTriggerDoc = triggerDoc(row);
          if (!doc.enabled) return false;
          action = doc.instructions[0].kind;
          integrationKey = doc.integrationKey;
          doc.triggerCount += 1;
          doc.lastTriggeredAt = now;
          doc.recentTriggerBodies = [body, ...doc.recentTriggerBodies].slice(0, RECENT_BODIES);
          await trx.updateTable('flag_triggers').set({ doc: JSON.stringify(doc) }).where('id', '=', row.id).execute();
          acting = true;
          return true;
        },
        audit: (flag) => ({
          resource: flagResource(called),
          action: 'updateOn',
          description: `turned ${action === 'turnFlagOn' ? 'on' : 'off'} the flag ${flag.name} in ${called.environmentKey}, by its ${integrationKey} trigger`,
        }),
      });
    } catch (err) {
      if (acting && err instanceof ApiError) await recordFailure(deps, called.id, request.params.secret, now);
      throw err;
    }
    return {};
  });
}

/**
 * A refused call, kept as the trigger's `lastFailedAt` (its `_status` is then `failed`) in a transaction of its own,
 * since the refused one wrote nothing: the call is not counted, as it did not act. A trigger deleted, disabled or
 * given a new URL meanwhile is left as it is.
 */
async function recordFailure(deps: Deps, id: string, secret: string, now: number): Promise<void> {
  await deps.store.tx(async (trx) => {
    let query = trx.selectFrom('flag_triggers').selectAll().where('id', '=', id);
    if (deps.store.kind === 'postgres') query = query.forUpdate();
    const row: FlagTriggerRow | undefined = await query.executeTakeFirst();
    if (!row || !secretMatches(row, secret)) return;
    const doc = triggerDoc(row);
    if (!doc.enabled) return;
    doc.lastFailedAt = now;
    await trx.updateTable('flag_triggers').set({ doc: JSON.stringify(doc) }).where('id', '=', row.id).execute();
  });
}
