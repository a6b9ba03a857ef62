// The SDKs' credential: an environment's SDK key (its own, or one made with postSdkKey), sent as the whole
// Authorization header. Checked before the body is read, on every route declared `sdkKey` (the edge checks access
// tokens on the others).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { SdkEnvironment } from './environmentData.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The environment whose SDK key the request carries (routes declared `sdkKey`). */
    sdkEnvironment: SdkEnvironment | undefined;
  }
}

// The environment's own key, a reset one not yet expired, or one of its server-side SDK keys (sdk-keys/) not expired.
const environmentByKey = statement<{ id: string; project_id: string; expires_at: number | null }>(
  'select "id", "project_id", null as "expires_at" from "environments" where "sdk_key" = ? ' +
    'union all select "environments"."id", "environments"."project_id", "retired_sdk_keys"."expires_at" from "retired_sdk_keys" ' +
    'join "environments" on "environments"."id" = "retired_sdk_keys"."environment_id" where "retired_sdk_keys"."sdk_key" = ? and "retired_sdk_keys"."expires_at" > ? ' +
    'union all select "environments"."id", "environments"."project_id", "sdk_keys"."expires_at" from "sdk_keys" ' +
    'join "environments" on "environments"."id" = "sdk_keys"."environment_id" where "sdk_keys"."value" = ? and "sdk_keys"."kind" = \'sdk\' ' +
    'and ("sdk_keys"."expires_at" is null or "sdk_keys"."expires_at" > ?)',
);

/** The key in an Authorization header; `api_key ` before it is tolerated, as older SDKs sent it. */
export function sdkKeyOf(authorization: string | undefined): string | undefined {
  const value = authorization?.trim().replace(/^api_key\s+/i, '');
  return value || undefined;
}

export function invalidSdkKey(): ApiError {
  return new ApiError(401, 'unauthorized', "Invalid SDK key: send an environment's SDK key as the Authorization header");
}

/**
 * The environment whose SDK key (its current one, a reset one not yet expired, or one of its server-side SDK keys not
 * expired) authorization holds, or a 401.
 */
export async function authenticateSdk(db: Db, authorization: string | undefined, now: number): Promise<SdkEnvironment> {
  const key = sdkKeyOf(authorization);
  const [row] = key ? await environmentByKey.run(db, [key, key, now, key, now]) : [];
  if (!key || !row) throw invalidSdkKey();
  return { id: row.id, projectId: row.project_id, sdkKey: key, ...(row.expires_at !== null ? { expiresAt: Number(row.expires_at) } : {}) };
}

/** The onRequest hook of the SDK routes: sets request.sdkEnvironment, or answers 401. */
export function sdkAuthentication(db: Db, now: () => number): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request) => {
    request.sdkEnvironment = await authenticateSdk(db, request.headers.authorization, now());
  };
}

/** The environment the hook authenticated. */
export function sdkEnvironmentOf(request: FastifyRequest): SdkEnvironment {
  if (!request.sdkEnvironment) throw invalidSdkKey();
  return request.sdkEnvironment;
}
