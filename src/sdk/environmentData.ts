// What the SDKs of one environment are served: its flags in the SDK model, as one JSON text each.
import type { FlagConfigDoc, FlagDoc } from '../resources/flags/model.js';
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import { sdkFlag, sdkVersion } from './sdkFlag.js';

export interface SdkEnvironment {
  id: string;
  projectId: string;
  sdkKey: string;
}

/** One flag as served: its version, and its JSON unless it is archived (SDKs then hold a tombstone). */
export interface ServedFlag {
  version: number;
  text: string | undefined;
}

const environmentById = statement<{ id: string; project_id: string; sdk_key: string }>('select "id", "project_id", "sdk_key" from "environments" where "id" = ?');
const flagsOfEnvironment = statement<{ key: string; doc: string; archived: number; config: string }>(
  'select "flags"."key", "flags"."doc", "flags"."archived", "flag_configs"."doc" as "config" from "flag_configs" ' +
    'join "flags" on "flags"."id" = "flag_configs"."flag_id" where "flag_configs"."environment_id" = ? order by "flags"."key"',
);

/** The environment as it is now (its SDK key may have been reset), or undefined once it is deleted. */
export async function currentEnvironment(db: Db, id: string): Promise<SdkEnvironment | undefined> {
  const [row] = await environmentById.run(db, [id]);
  return row && { id: row.id, projectId: row.project_id, sdkKey: row.sdk_key };
}

/** Every flag of the environment, by key, read in one statement (one snapshot). */
export async function loadServedFlags(db: Db, environmentId: string): Promise<Map<string, ServedFlag>> {
  const served = new Map<string, ServedFlag>();
  for (const row of await flagsOfEnvironment.run(db, [environmentId])) {
    const doc = JSON.parse(row.doc) as FlagDoc;
    const config = JSON.parse(row.config) as FlagConfigDoc;
    const archived = row.archived !== 0 || config.archived;
    served.set(row.key, { version: sdkVersion(doc, config), text: archived ? undefined : JSON.stringify(sdkFlag(row.key, doc, config)) });
  }
  return served;
}

/** The `put` / poll payload's JSON: the live flags (no tombstones) and, as iterlab has no segments yet, none. */
export function allData(flags: ReadonlyMap<string, ServedFlag>): string {
  const members: string[] = [];
  for (const [key, { text }] of flags) if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  return `{"flags":{${members.join(',')}},"segments":{}}`;
}
