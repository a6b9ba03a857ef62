// POST /bulk — the server-side SDKs' analytics events, stored as received (one transaction a payload, a payload sent
// again counted once); POST /diagnostic — the SDKs' diagnostic events, acknowledged and not kept but for an SDK's
// start (diagnostic-init), counted. Both 202.
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import type { FastifyInstance, preParsingHookHandler, RequestPayload } from 'fastify';
import type { Deps } from '../http/context.js';
import { ApiError, validationFailed, type FieldError } from '../http/errors.js';
import type { Trx } from '../store/db.js';
import { objectId } from '../store/ids.js';
import { sdkEnvironmentOf } from './auth.js';
import { addEvaluatedKinds, recordEvaluatedKinds, type EvaluatedKind, type EvaluatedKindsMemory } from './evaluatedKinds.js';
import { addFlagRequests, recordFlagRequests, type FlagRequest } from './flagRequests.js';
import type { SdkRouteOptions } from './routes.js';
import { recordKindsSeen } from '../resources/context-kinds/contextKinds.js';
import { applicationIdOf, kindsSeen, seenInstances } from '../resources/contexts/instances.js';
import { recordInstances } from '../resources/contexts/records.js';
import type { ApplicationFlagsNote, ApplicationSightings } from '../resources/applications/sightings.js';
import { addCounts, addKeys, type KeyMemory } from '../resources/usage/record.js';
import { sdkOfRequest } from '../resources/usage/sdkRequest.js';
import { tallyDiagnostic, tallyEvents, type KeyRow, type SdkIdentity } from '../resources/usage/tally.js';

/** Rows an insert carries: 11 parameters each, well under both databases' limits. */
const ROWS_PER_INSERT = 500;

interface SdkEvent {
  kind: string;
  key?: unknown;
  creationDate?: unknown;
  endDate?: unknown;
  default?: unknown;
  prereqOf?: unknown;
  features?: unknown;
  context?: unknown;
  contextKeys?: unknown;
  /** Event schema 3 (SDKs from before contexts): the user inline, or its key alone. */
  user?: unknown;
  userKey?: unknown;
  variation?: unknown;
  reason?: unknown;
  metricValue?: unknown;
}

/**
 * The event's context keys by kind: from its context (single-kind, multi-kind, or without a kind: a user, the SDKs'
 * older form) or its contextKeys (older SDKs), or, from SDKs of event schema 3 (before contexts), its `user`'s key or
 * its `userKey`, a user's; undefined when it has none.
 */
export function contextKeys(event: SdkEvent): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const context = event.context as Record<string, unknown> | undefined;
  if (context && typeof context === 'object' && !Array.isArray(context)) {
    if (context.kind === 'multi') {
      for (const [kind, part] of Object.entries(context)) {
        const key = (part as Record<string, unknown> | null)?.key;
        if (kind !== 'kind' && typeof key === 'string') out[kind] = key;
      }
    } else if (typeof context.key === 'string') {
      out[typeof context.kind === 'string' ? context.kind : 'user'] = context.key;
    }
  }
  const keys = event.contextKeys as Record<string, unknown> | undefined;
  if (keys && typeof keys === 'object' && !Array.isArray(keys)) for (const [kind, key] of Object.entries(keys)) if (typeof key === 'string') out[kind] ??= key;
  const user = event.user as Record<string, unknown> | undefined;
  const userKey = user && typeof user === 'object' && !Array.isArray(user) ? user.key : event.userKey;
  if (typeof userKey === 'string') out.user ??= userKey;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The most UTF-8 bytes of each string of an event that an index holds: its kind and key (a flag's or a custom event's)
 * and a summary's flag keys. PostgreSQL's btree indexes take at most 2704 bytes a row, and an index row holds a kind
 * and a key together; SDKs send far shorter ones (flag keys are at most 256 characters). An event with a longer string
 * is not stored, and the rest of its payload is (docs/compatibility.md). Its contexts' kinds and keys are not
 * counted: the events are kept whatever their contexts, and the records that index contexts leave out those too
 * long to hold (contexts/records.ts; usage keeps a long key as its hash).
 */
export const EVENT_TEXT_MAX_BYTES = 1024;

function tooLong(text: string): boolean {
  // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4): most strings need no count.
  return text.length * 3 > EVENT_TEXT_MAX_BYTES && Buffer.byteLength(text) > EVENT_TEXT_MAX_BYTES;
}

/** Whether the event has a string too long to index (EVENT_TEXT_MAX_BYTES). */
export function unindexable(event: SdkEvent): boolean {
  const texts: unknown[] = [event.kind, event.key];
  if (event.kind === 'summary' && event.features !== null && typeof event.features === 'object') texts.push(...Object.keys(event.features));
  return texts.some((text) => typeof text === 'string' && tooLong(text));
}

/** The key of one kind among an event's context keys as stored (`sdk_events.context_keys`, written from contextKeys). */
export function contextKeyOf(contextKeys: string | null, kind: string): string | undefined {
  if (contextKeys === null) return undefined;
  const key = (JSON.parse(contextKeys) as Record<string, unknown>)[kind];
  return typeof key === 'string' ? key : undefined;
}

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** What is wrong with value as an event (an object with a non-empty `kind`) found at `at`; undefined when nothing. */
function eventProblem(value: unknown, at: string, what: string): FieldError | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { attribute: at, reason: `must be ${what} object` };
  const kind = (value as SdkEvent).kind;
  if (typeof kind !== 'string' || kind === '') return { attribute: `${at}.kind`, reason: 'must be a non-empty string' };
  return undefined;
}

/** The events, or a 400 naming each one that is not an object with a `kind`. */
export function readEvents(body: unknown): SdkEvent[] {
  if (!Array.isArray(body)) throw new ApiError(400, 'invalid_request', 'body: must be a JSON array of events', [{ attribute: 'body', reason: 'must be a JSON array of events' }]);
  const errors = body.flatMap((event, i) => eventProblem(event, `body[${i}]`, 'an event') ?? []);
  if (errors.length > 0) throw validationFailed(errors.slice(0, 20));
  return body as SdkEvent[];
}

/** A diagnostic event (`diagnostic-init` or `diagnostic`): an object with a `kind`, or a 400. */
export function readDiagnostic(body: unknown): void {
  const problem = eventProblem(body, 'body', 'a diagnostic event');
  if (problem) throw validationFailed([problem]);
}

/** When the event happened: its creationDate, a summary's endDate, or when it arrived. */
function whenOf(event: SdkEvent, receivedAt: number): number {
  // A date no column (bigint on PostgreSQL) or JavaScript Date can hold is no date: the arrival stands for it.
  for (const date of [event.creationDate, event.endDate]) if (typeof date === 'number' && Number.isSafeInteger(Math.trunc(date)) && Math.abs(date) <= 8.64e15) return Math.trunc(date);
  return receivedAt;
}

/**
 * Stores the payload's events in one transaction, with the contexts they carry and their kinds (the Contexts API, the
 * context kinds' `lastSeen`) and the flag evaluations they report (flag statuses: an SDK's
 * clock running ahead does not date one after its arrival; and the kinds of context each flag was evaluated for); false (nothing stored) when the environment already has
 * a payload with that id, which an SDK sends again when it did not hear the first answer.
 */
export async function storeEvents(
  trx: Trx,
  { id: environmentId, projectId }: { id: string; projectId: string },
  payloadId: string | undefined,
  events: SdkEvent[],
  receivedAt: number,
  applicationId = '',
  applicationFlags?: ApplicationFlagsNote,
  sdk?: SdkIdentity,
  usage?: { keys: KeyMemory; written: (rows: KeyRow[]) => void },
  kinds?: { memory: EvaluatedKindsMemory; written: (rows: EvaluatedKind[]) => void },
): Promise<boolean> {
  if (payloadId !== undefined) {
    const first = await trx
      .insertInto('sdk_event_payloads')
      .values({ environment_id: environmentId, payload_id: payloadId, received_at: receivedAt })
      .onConflict((oc) => oc.columns(['environment_id', 'payload_id']).doNothing())
      .executeTakeFirst();
    if (Number(first.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  }
  const requests = new Map<string, FlagRequest>();
  const evaluated = new Map<string, EvaluatedKind>();
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    const rows = events.slice(i, i + ROWS_PER_INSERT).map((event) => {
      const keys = contextKeys(event);
      const variation = finite(event.variation);
      const when = whenOf(event, receivedAt);
      // An SDK's clock running ahead does not date an evaluation after its arrival.
      const evaluatedAt = Math.max(0, Math.min(when, receivedAt));
      addFlagRequests(requests, event, evaluatedAt);
      addEvaluatedKinds(evaluated, event, evaluatedAt);
      return {
        id: objectId(receivedAt),
        environment_id: environmentId,
        kind: event.kind,
        key: typeof event.key === 'string' ? event.key : null,
        creation_date: when,
        received_at: receivedAt,
        context_keys: keys ? JSON.stringify(keys) : null,
        variation: variation !== null && Number.isInteger(variation) ? variation : null,
        in_experiment: (event.reason as { inExperiment?: unknown } | undefined)?.inExperiment === true ? 1 : 0,
        value: finite(event.metricValue),
        doc: JSON.stringify(event),
      };
    });
    await trx.insertInto('sdk_events').values(rows).execute();
  }
  // The contexts the events carry, for the Contexts API, and their kinds (a time ahead of the arrival is the arrival).
  const seenAt = (i: number) => Math.max(0, Math.min(whenOf(events[i], receivedAt), receivedAt));
  await recordInstances(trx, environmentId, seenInstances(events, applicationId, seenAt));
  await recordKindsSeen(trx, projectId, kindsSeen(events, seenAt), receivedAt);
  // Account usage: the context keys seen today, and the hour's counters (events, evaluations, experimentation).
  const tally = sdk ? tallyEvents(events, sdk) : undefined;
  // The keys this instance already wrote today cost nothing (most of an SDK's traffic is contexts seen before).
  const keys = tally ? (usage ? usage.keys.fresh(environmentId, receivedAt, tally.keys) : tally.keys) : [];
  if (keys.length > 0) await addKeys(trx, environmentId, receivedAt, keys);
  usage?.written(keys);
  // Last: on PostgreSQL their row locks, which payloads of one environment's SDKs share, are held only until the commit.
  if (requests.size > 0) await recordFlagRequests(trx, environmentId, requests);
  // The kinds each flag was evaluated for: a flag and kind this instance already wrote for that day cost nothing.
  const freshKinds = kinds ? kinds.memory.fresh(environmentId, receivedAt, evaluated.values()) : [...evaluated.values()];
  if (freshKinds.length > 0) await recordEvaluatedKinds(trx, environmentId, freshKinds);
  kinds?.written(freshKinds);
  // The flags the application (X-LaunchDarkly-Tags) evaluated, for the Applications API: rarely any not yet known.
  if (applicationFlags && requests.size > 0) await applicationFlags.record(trx, environmentId, requests.keys());
  if (tally) await addCounts(trx, tally.counts.map((row) => ({ ...row, environmentId, hour: receivedAt })));
  return true;
}

/** gzip bodies (the SDK's enableEventCompression) are inflated before parsing; the limit applies to the inflated. */
const inflate: preParsingHookHandler = (request, _reply, payload, done) => {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return done(null, payload);
  if (encoding !== 'gzip') return done(new ApiError(415, 'unsupported_media_type', `Content-Encoding: "${encoding}" is not supported; send gzip or no encoding`));
  const gunzip = zlib.createGunzip();
  const out = new PassThrough();
  const inflated = out as unknown as RequestPayload;
  let encoded = 0;
  // Fastify compares the bytes it read with Content-Length: those are the compressed ones.
  const counted = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      encoded += chunk.length;
      inflated.receivedEncodedLength = encoded;
      callback(null, chunk);
    },
  });
  gunzip.on('error', () => out.destroy(new ApiError(400, 'invalid_request', 'body: Content-Encoding is gzip but the body is not valid gzip')));
  payload.pipe(counted).pipe(gunzip).pipe(out);
  done(null, inflated);
};

/** Where an SDK sends its events: the server-side SDKs' paths by default; client-side and mobile SDKs have their own. */
export interface EventPaths {
  bulk: string[];
  diagnostic: string[];
}

export function postEvents(
  app: FastifyInstance,
  deps: Deps,
  route: SdkRouteOptions,
  sightings: ApplicationSightings,
  usageKeys: KeyMemory,
  evaluatedKinds: EvaluatedKindsMemory,
  paths: EventPaths = { bulk: ['/bulk'], diagnostic: ['/diagnostic'] },
): void {
  for (const path of paths.bulk) {
    // An SDK flushes up to 10,000 events at once, more than the REST API's body limit: a 413 would stop its events.
    app.post(path, { ...route, bodyLimit: deps.config.eventsBodyLimitBytes, preParsing: inflate }, async (request, reply) => {
      const environment = sdkEnvironmentOf(request);
      const received = readEvents(request.body);
      const events = received.filter((event) => !unindexable(event));
      if (events.length < received.length) request.log.warn({ dropped: received.length - events.length }, `events with a string over ${EVENT_TEXT_MAX_BYTES} bytes not stored`);
      const payloadId = request.headers['x-launchdarkly-payload-id'];
      // SDKs send a UUID; an id too long to index is taken as none (the payload is stored, not checked for a repeat).
      const id = typeof payloadId === 'string' && payloadId.trim() !== '' && !tooLong(payloadId.trim()) ? payloadId.trim() : undefined;
      const applicationId = applicationIdOf(request.headers);
      const applicationFlags = sightings.flagsNote(request);
      if (events.length > 0) {
        const sdk = sdkOfRequest(request);
        const receivedAt = deps.now();
        let written: KeyRow[] = [];
        let kindsWritten: EvaluatedKind[] = [];
        await deps.store.tx((trx) =>
          storeEvents(trx, environment, id, events, receivedAt, applicationId, applicationFlags, sdk, { keys: usageKeys, written: (rows) => (written = rows) }, { memory: evaluatedKinds, written: (rows) => (kindsWritten = rows) }),
        );
        // Remembered once committed: a payload rolled back wrote nothing.
        usageKeys.remember(environment.id, receivedAt, written);
        evaluatedKinds.remember(environment.id, receivedAt, kindsWritten);
        applicationFlags?.committed();
      }
      return reply.code(202).send();
    });
  }
  for (const path of paths.diagnostic) {
    app.post(path, { ...route, preParsing: inflate }, async (request, reply) => {
      readDiagnostic(request.body);
      // An SDK starting (diagnostic-init, once per SDK instance) is counted, for sdk-active; the rest is not kept.
      const init = tallyDiagnostic(request.body, sdkOfRequest(request));
      if (init) {
        const environmentId = sdkEnvironmentOf(request).id;
        // addCounts files it under the hour it falls in.
        await deps.store.tx((trx) => addCounts(trx, [{ ...init, environmentId, hour: deps.now() }]));
      }
      return reply.code(202).send();
    });
  }
}
