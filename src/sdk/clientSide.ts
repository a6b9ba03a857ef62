// What the client-side SDKs (browser JavaScript, by the environment's client-side ID) and the mobile SDKs (by its
// mobile key) are served: not the flags' rules, which stay on the server, but each flag's value for one context,
// evaluated here as the server-side SDKs evaluate it (evaluation.ts), for the flags made available to them.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, notFound, validationFailed } from '../http/errors.js';
import { contextProblems, contextsByKind, type Context } from '../resources/contexts/context.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { loadEvaluation, withBigSegmentMembership, type SdkEnvironment } from './environmentData.js';
import { evaluate, type EvaluationData, type SdkFlagModel } from './evaluation.js';

/** Which credential opened the request: the client-side ID (JavaScript SDKs) or the mobile key. */
export type ClientKind = 'client' | 'mobile';

/** The client-side SDKs' environment: the SDK model's environment, and whether it is in secure mode. */
export interface ClientEnvironment extends SdkEnvironment {
  secureMode: boolean;
  kind: ClientKind;
  /** The mobile key the request carried (mobile routes): a stream opened with it ends once it is reset. */
  mobileKey?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The environment a client-side or mobile route's credential names. */
    clientEnvironment: ClientEnvironment | undefined;
  }
}

const byId = statement<{ id: string; project_id: string; sdk_key: string; doc: string }>('select "id", "project_id", "sdk_key", "doc" from "environments" where "id" = ?');
// The environment's own mobile key, or one of its mobile SDK keys (sdk-keys/) not expired, with when that one expires.
const byMobileKey = statement<{ id: string; project_id: string; sdk_key: string; doc: string; expires_at: number | null }>(
  'select "id", "project_id", "sdk_key", "doc", null as "expires_at" from "environments" where "mobile_key" = ? ' +
    'union all select "environments"."id", "environments"."project_id", "environments"."sdk_key", "environments"."doc", "sdk_keys"."expires_at" ' +
    'from "sdk_keys" join "environments" on "environments"."id" = "sdk_keys"."environment_id" ' +
    'where "sdk_keys"."value" = ? and "sdk_keys"."kind" = \'mobile\' and ("sdk_keys"."expires_at" is null or "sdk_keys"."expires_at" > ?)',
);
// The mobile SDK keys of an environment that work now: a mobile stream opened with one ends once it does not.
const mobileKeysOf = statement<{ value: string; expires_at: number | null }>(
  'select "value", "expires_at" from "sdk_keys" where "environment_id" = ? and "kind" = \'mobile\' and ("expires_at" is null or "expires_at" > ?)',
);

function clientEnvironment(row: { id: string; project_id: string; sdk_key: string; doc: string }, kind: ClientKind): ClientEnvironment {
  const doc = JSON.parse(row.doc) as { secureMode?: boolean };
  return { id: row.id, projectId: row.project_id, sdkKey: row.sdk_key, secureMode: doc.secureMode === true, kind };
}

/** The environment's mobile SDK keys (sdk-keys/) that work at `now`, beside its own mobile key, with when each expires (undefined: never). */
export async function workingMobileKeys(db: Db, environmentId: string, now: number): Promise<Map<string, number | undefined>> {
  return new Map((await mobileKeysOf.run(db, [environmentId, now])).map((row) => [row.value, row.expires_at === null ? undefined : Number(row.expires_at)]));
}

/** onRequest of the client-side routes: the environment whose client-side ID is the `envId` path segment, or a 404. */
export function clientIdAuthentication(db: Db): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const envId = (request.params as { envId?: string }).envId ?? '';
    // PostgreSQL text cannot hold NUL, and no environment id has one.
    if (envId.includes('\u0000')) throw validationFailed([{ attribute: 'envId', reason: 'must not contain the NUL character (%00)' }]);
    const [row] = await byId.run(db, [envId]);
    if (!row) throw notFound(`Environment with client-side ID "${envId}"`);
    request.clientEnvironment = clientEnvironment(row, 'client');
    request.sdkEnvironment = request.clientEnvironment;
  };
}

/** onRequest of the mobile routes: the environment whose mobile key (its own, or a mobile SDK key) is the Authorization header, or a 401. */
export function mobileKeyAuthentication(db: Db, now: () => number): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const key = request.headers.authorization?.trim().replace(/^api_key\s+/i, '');
    const [row] = key ? await byMobileKey.run(db, [key, key, now()]) : [];
    if (!row) throw new ApiError(401, 'unauthorized', "Invalid mobile key: send an environment's mobile key as the Authorization header");
    const expiresAt = row.expires_at === null ? {} : { expiresAt: Number(row.expires_at) };
    request.clientEnvironment = { ...clientEnvironment(row, 'mobile'), mobileKey: key, ...expiresAt };
    request.sdkEnvironment = request.clientEnvironment;
  };
}

export function clientEnvironmentOf(request: FastifyRequest): ClientEnvironment {
  if (!request.clientEnvironment) throw new ApiError(401, 'unauthorized', 'No client-side ID or mobile key');
  return request.clientEnvironment;
}

/** The context of a GET path: base64url of its JSON (the SDKs' encoding; standard base64 is read too). */
export function decodeContext(encoded: string): Context {
  let context: unknown;
  try {
    context = JSON.parse(Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_request', 'context: the path segment must be the base64url encoding of a context\'s JSON');
  }
  return checkedContext(context);
}

/**
 * The context as sent (a REPORT body, or decoded), or a 400 naming what is wrong with it. A legacy user (no `kind`)
 * may have an empty or a numeric key, as the SDKs evaluate it (docs/compatibility.md).
 */
export function checkedContext(context: unknown): Context {
  const problems = contextProblems(context, true);
  if (problems.length > 0) {
    throw new ApiError(400, 'invalid_request', problems.map((p) => `context${p.attribute === 'body' ? '' : `.${p.attribute}`}: ${p.reason}`).join('; '));
  }
  return context as Context;
}

/**
 * The key secure mode signs: a single context's key (a user's alone, others `kind:key`), or a multi-context's
 * `kind:key` parts sorted by kind and joined by `:`, with `%` and `:` in keys escaped as the SDKs escape them.
 */
export function canonicalKey(context: Context): string {
  const escape = (key: string) => key.replace(/%/g, '%25').replace(/:/g, '%3A');
  const kinds = contextsByKind(context);
  if (context.kind !== 'multi') {
    const [[kind, part]] = [...kinds];
    return kind === 'user' ? String(part.key) : `${kind}:${escape(String(part.key))}`;
  }
  return [...kinds.keys()]
    .sort()
    .map((kind) => `${kind}:${escape(String(kinds.get(kind)!.key))}`)
    .join(':');
}

/** In secure mode, `h` must be the HMAC-SHA256 of the context's canonical key under the environment's SDK key. */
export function checkSecureMode(environment: ClientEnvironment, context: Context, hash: unknown): void {
  if (!environment.secureMode || environment.kind === 'mobile') return;
  const expected = crypto.createHmac('sha256', environment.sdkKey).update(canonicalKey(context)).digest('hex');
  if (typeof hash !== 'string' || hash.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(hash), Buffer.from(expected))) {
    throw new ApiError(400, 'invalid_request', 'h: secure mode is on for this environment; send the context\'s HMAC-SHA256 under the SDK key as `h`');
  }
}

/** A flag as the client-side SDKs hold it (LaunchDarkly's evalx format). */
export interface ClientFlag {
  value: unknown;
  variation?: number;
  version: number;
  flagVersion: number;
  trackEvents: boolean;
  trackReason?: true;
  reason?: unknown;
  /** The prerequisites evaluated for it, for the SDK's prerequisite events (as the server-side SDKs' allFlagsState). */
  prerequisites?: string[];
}

/** The flags of an environment the client-side SDKs may see, in the SDK model, with what evaluating them needs. */
type ClientModel = SdkFlagModel & {
  clientSideAvailability?: { usingEnvironmentId: boolean; usingMobileKey: boolean };
  trackEvents?: boolean;
  trackEventsFallthrough?: boolean;
};

export interface ClientData {
  flags: { model: ClientModel; version: number }[];
  evaluation: EvaluationData;
}

export async function loadClientData(db: Db, environment: ClientEnvironment): Promise<ClientData> {
  const { served, data } = await loadEvaluation(db, environment.id);
  const flags: ClientData['flags'] = [];
  for (const [key, flag] of data.flags) {
    const model = flag as ClientModel;
    const availability = model.clientSideAvailability;
    if (environment.kind === 'client' ? availability?.usingEnvironmentId : availability?.usingMobileKey) flags.push({ model, version: served.get(key)!.version });
  }
  return { flags, evaluation: data };
}

/** The data to evaluate for one context: with its big segment targets where the environment has big segments. */
export async function clientDataFor(db: Db, data: ClientData, context: Context): Promise<ClientData> {
  if (!data.evaluation.bigSegments) return data;
  return { ...data, evaluation: await withBigSegmentMembership(db, data.evaluation, contextsByKind(context)) };
}

/**
 * Every available flag's value for the context. `trackEvents` asks the SDK for a full event (the flag's own setting,
 * the matched rule's or the fallthrough's, or an experiment), `trackReason` for the reason in it (experiments);
 * the reason is sent when the SDK asked for reasons or will need it for the event.
 */
export function evaluateForClient(data: ClientData, context: Context, withReasons: boolean): Record<string, ClientFlag> {
  const kinds = contextsByKind(context);
  const out: Record<string, ClientFlag> = {};
  for (const { model, version } of data.flags) {
    const result = evaluate(model, kinds, data.evaluation);
    const reason = result.reason;
    const inExperiment = 'inExperiment' in reason && reason.inExperiment === true;
    const ruleTracked = reason.kind === 'RULE_MATCH' && (model.rules[reason.ruleIndex] as { trackEvents?: boolean } | undefined)?.trackEvents === true;
    const fallthroughTracked = reason.kind === 'FALLTHROUGH' && model.trackEventsFallthrough === true;
    const flag: ClientFlag = {
      value: result.value,
      ...(result.variation !== undefined ? { variation: result.variation } : {}),
      version,
      flagVersion: version,
      trackEvents: model.trackEvents === true || ruleTracked || fallthroughTracked || inExperiment,
    };
    if (inExperiment || ruleTracked || fallthroughTracked) flag.trackReason = true;
    if (withReasons || flag.trackReason) flag.reason = reason;
    if (result.prerequisites) flag.prerequisites = result.prerequisites;
    out[model.key] = flag;
  }
  return out;
}

/** `withReasons=true` in the query. */
export function wantsReasons(request: FastifyRequest): boolean {
  return String((request.query as Record<string, unknown>).withReasons ?? '').toLowerCase() === 'true';
}

/** Browsers call the client-side routes from any origin; the SDKs' own headers must be allowed through. */
export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, REPORT, POST, OPTIONS',
  'access-control-allow-headers':
    'Accept, Content-Type, Content-Length, Authorization, X-LaunchDarkly-User-Agent, X-LaunchDarkly-Payload-ID, X-LaunchDarkly-Event-Schema, X-LaunchDarkly-Wrapper, X-LaunchDarkly-Tags',
  'access-control-expose-headers': 'Date, ETag',
  'access-control-max-age': '300',
};

export function withCors(reply: FastifyReply): FastifyReply {
  return reply.headers(CORS_HEADERS);
}
