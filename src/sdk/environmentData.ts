// What the SDKs of one environment are served: its flags and segments in the SDK model, as one JSON text each.
import type { FlagConfigDoc, FlagDoc } from '../resources/flags/model.js';
import type { SegmentDoc } from '../resources/segments/model.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { sdkFlag, sdkVersion } from './sdkFlag.js';
import { sdkSegment } from './sdkSegment.js';
import type { EvaluationData, SdkFlagModel } from './evaluation.js';
import { listSegments } from '../resources/segments/model.js';
import { bigSegmentMembership, bigSegmentRefs } from '../resources/segments/bigSegments.js';

/** An environment as an SDK key names it: the key, and when it stops working if it was reset with an expiry. */
export interface SdkEnvironment {
  id: string;
  projectId: string;
  sdkKey: string;
  expiresAt?: number;
}

/** One flag or segment as served: its version, and its JSON unless it is archived (SDKs then hold a tombstone). */
export interface ServedItem {
  version: number;
  text: string | undefined;
}

/** Everything an environment's SDKs hold, by kind and key. */
export interface Served {
  flags: Map<string, ServedItem>;
  segments: Map<string, ServedItem>;
}

const keysOfEnvironment = statement<{ sdk_key: string; expires_at: number | null }>(
  'select "sdk_key", null as "expires_at" from "environments" where "id" = ? ' +
    'union all select "sdk_key", "expires_at" from "retired_sdk_keys" where "environment_id" = ? and "expires_at" > ? ' +
    'union all select "value" as "sdk_key", "expires_at" from "sdk_keys" where "environment_id" = ? and "kind" = \'sdk\' and ("expires_at" is null or "expires_at" > ?)',
);
const flagsOfEnvironment = statement<{ key: string; doc: string; archived: number; config: string }>(
  'select "flags"."key", "flags"."doc", "flags"."archived", "flag_configs"."doc" as "config" from "flag_configs" ' +
    'join "flags" on "flags"."id" = "flag_configs"."flag_id" where "flag_configs"."environment_id" = ? order by "flags"."key"',
);
const segmentsOfEnvironment = statement<{ key: string; doc: string }>('select "key", "doc" from "segments" where "environment_id" = ? order by "key"');

/**
 * The SDK keys that open the environment now (its own, a reset one until it expires, its server-side SDK keys), each
 * with when it expires (undefined: never); undefined once the environment is deleted.
 */
export async function workingSdkKeys(db: Db, environmentId: string, now: number): Promise<Map<string, number | undefined> | undefined> {
  const rows = await keysOfEnvironment.run(db, [environmentId, environmentId, now, environmentId, now]);
  if (rows.length === 0) return undefined;
  return new Map(rows.map((row) => [row.sdk_key, row.expires_at === null ? undefined : Number(row.expires_at)]));
}

/** Every flag of the environment, by key, read in one statement (one snapshot). */
export async function loadServedFlags(db: Db, environmentId: string): Promise<Map<string, ServedItem>> {
  const served = new Map<string, ServedItem>();
  for (const row of await flagsOfEnvironment.run(db, [environmentId])) {
    const doc = JSON.parse(row.doc) as FlagDoc;
    const config = JSON.parse(row.config) as FlagConfigDoc;
    const archived = row.archived !== 0 || config.archived;
    served.set(row.key, { version: sdkVersion(config), text: archived ? undefined : JSON.stringify(sdkFlag(row.key, doc, config)) });
  }
  return served;
}

/** Every segment of the environment, by key. */
export async function loadServedSegments(db: Db, environmentId: string): Promise<Map<string, ServedItem>> {
  const served = new Map<string, ServedItem>();
  for (const row of await segmentsOfEnvironment.run(db, [environmentId])) {
    const doc = JSON.parse(row.doc) as SegmentDoc;
    served.set(row.key, { version: doc.version, text: JSON.stringify(sdkSegment(row.key, doc)) });
  }
  return served;
}

/**
 * What evaluating the environment's flags needs (the live flags in the SDK model, its segments, its big segments if
 * any), and the flags as served.
 */
export async function loadEvaluation(db: Db, environmentId: string): Promise<{ served: Map<string, ServedItem>; data: EvaluationData }> {
  const [served, segments] = await Promise.all([loadServedFlags(db, environmentId), listSegments(db, environmentId)]);
  const flags = new Map<string, SdkFlagModel>();
  for (const [key, item] of served) if (item.text !== undefined) flags.set(key, JSON.parse(item.text) as SdkFlagModel);
  const data: EvaluationData = { flags, segments: new Map(segments.map(({ row, doc }) => [row.key, doc])) };
  const big = bigSegmentRefs(segments);
  if (big.length > 0) data.bigSegments = big;
  return { served, data };
}

/** The data with the context's big segment targets read (one statement), to evaluate for that context; as is without big segments. */
export async function withBigSegmentMembership(db: Db, data: EvaluationData, kinds: Map<string, Record<string, unknown>>): Promise<EvaluationData> {
  if (!data.bigSegments) return data;
  return { ...data, membership: await bigSegmentMembership(db, data.bigSegments, kinds) };
}

/** The environment's flags and segments. */
export async function loadServed(db: Db, environmentId: string): Promise<Served> {
  const [flags, segments] = await Promise.all([loadServedFlags(db, environmentId), loadServedSegments(db, environmentId)]);
  return { flags, segments };
}

/** The live items (no tombstones) as one JSON object, by key. */
export function itemsData(items: ReadonlyMap<string, ServedItem>): string {
  const members: string[] = [];
  for (const [key, { text }] of items) if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  return `{${members.join(',')}}`;
}

/** The `put` / poll payload's JSON: the live flags and segments. */
export function allData(served: Served): string {
  return `{"flags":${itemsData(served.flags)},"segments":${itemsData(served.segments)}}`;
}
