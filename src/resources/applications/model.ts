// Applications and their versions as stored: what an SDK's X-LaunchDarkly-Tags say about the application it runs in,
// the rows it adds, and the reads and locks the REST operations share.
import { notFound } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import { compareText } from '../../store/reads.js';
import type { ApplicationsTable, ApplicationVersionsTable } from '../../store/schema.js';
import { sdkTagsOf } from '../contexts/instances.js';

export type ApplicationRow = ApplicationsTable;
export type ApplicationVersionRow = ApplicationVersionsTable;

export const APPLICATION_KINDS = ['browser', 'mobile', 'server'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

/** What one SDK request says about its application: its key and name, and its version's, when it names one. */
export interface SeenApplication {
  key: string;
  name: string;
  kind: ApplicationKind;
  version?: { key: string; name: string };
}

/** The members patchApplication may change, each with its audit (and custom-role) action. */
export const APPLICATION_FIELD_ACTIONS = { description: 'updateApplicationDescription', kind: 'updateApplicationKind' } as const;
export const READ_ONLY_APPLICATION_FIELDS = ['key', 'name', 'autoAdded', 'creationDate', '_version', '_links', '_access', '_maintainer', 'flags'];
/** patchApplicationVersion's one member. */
export const VERSION_FIELD_ACTIONS = { supported: 'updateApplicationVersionSupport' } as const;
export const READ_ONLY_VERSION_FIELDS = ['key', 'name', 'autoAdded', 'creationDate', '_version', '_links', '_access'];

/**
 * A tag value as the SDKs send one: letters, digits, `_`, `.` and `-`, at most 64 characters (they drop any other
 * with a warning); anything else in the header did not come from an SDK and adds nothing.
 */
const TAG_VALUE = /^[\w.-]{1,64}$/;

/**
 * The application X-LaunchDarkly-Tags name (`application-id`, with `application-name`, `application-version` and
 * `application-version-name` when sent), as an SDK of `kind` runs it; undefined without a valid `application-id`.
 * A name not sent is the key, as LaunchDarkly shows an application or version it knows no name of.
 */
export function seenApplication(headers: Record<string, string | string[] | undefined>, kind: ApplicationKind): SeenApplication | undefined {
  const tags = sdkTagsOf(headers);
  const valid = (name: string) => {
    const value = tags.get(name);
    return value !== undefined && TAG_VALUE.test(value) ? value : undefined;
  };
  const key = valid('application-id');
  if (!key) return undefined;
  const versionKey = valid('application-version');
  return {
    key,
    name: valid('application-name') ?? key,
    kind,
    ...(versionKey ? { version: { key: versionKey, name: valid('application-version-name') ?? versionKey } } : {}),
  };
}

/**
 * Adds the application and its version unless they exist (as they were first seen: a later name or kind does not
 * overwrite one, and a kind set through the API stands).
 */
export async function recordSeenApplication(trx: Trx, seen: SeenApplication, now: number): Promise<void> {
  await trx
    .insertInto('applications')
    .values({ key: seen.key, kind: seen.kind, name: seen.name, description: null, auto_added: 1, version: 1, created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  if (!seen.version) return;
  await trx
    .insertInto('application_versions')
    .values({ application_key: seen.key, key: seen.version.key, name: seen.version.name, supported: 1, auto_added: 1, version: 1, created_at: now })
    .onConflict((oc) => oc.columns(['application_key', 'key']).doNothing())
    .execute();
}

/** Rows an insert carries: 3 parameters each, well under both databases' limits. */
const FLAG_ROWS_PER_INSERT = 500;

/** Records that the application's SDKs evaluated these flags in the environment (sorted: writers lock in one order). */
export async function recordApplicationFlags(trx: Trx, applicationKey: string, environmentId: string, flagKeys: readonly string[]): Promise<void> {
  const rows = [...flagKeys].sort().map((flagKey) => ({ application_key: applicationKey, environment_id: environmentId, flag_key: flagKey }));
  for (let i = 0; i < rows.length; i += FLAG_ROWS_PER_INSERT) {
    await trx
      .insertInto('application_flags')
      .values(rows.slice(i, i + FLAG_ROWS_PER_INSERT))
      .onConflict((oc) => oc.columns(['application_key', 'environment_id', 'flag_key']).doNothing())
      .execute();
  }
}

/** An application by key (404 naming it when there is none); locked until commit on PostgreSQL when `lock` names the store. */
export async function findApplication(db: Db | Trx, key: string, lock?: Pick<Store, 'kind'>): Promise<ApplicationRow> {
  let query = db.selectFrom('applications').selectAll().where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Application "${key}"`);
  return row;
}

/** A version of an application (404 naming what is missing); locked like findApplication. */
export async function findApplicationVersion(db: Db | Trx, applicationKey: string, key: string, lock?: Pick<Store, 'kind'>): Promise<ApplicationVersionRow> {
  await findApplication(db, applicationKey);
  let query = db.selectFrom('application_versions').selectAll().where('application_key', '=', applicationKey).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Version "${key}" of application "${applicationKey}"`);
  return row;
}

export async function listApplications(db: Db): Promise<ApplicationRow[]> {
  return db.selectFrom('applications').selectAll().execute();
}

export async function listApplicationVersions(db: Db, applicationKey: string): Promise<ApplicationVersionRow[]> {
  return db.selectFrom('application_versions').selectAll().where('application_key', '=', applicationKey).execute();
}

/** A flag an application evaluated: its project's key, and the flag's key and name. */
export interface EvaluatedFlag {
  projectKey: string;
  key: string;
  name: string;
}

/**
 * The flags each application's SDKs reported evaluating, in any environment, once per project and flag, ordered by
 * project and flag key; a flag deleted since is not listed.
 */
export async function evaluatedFlags(db: Db, applicationKeys: readonly string[]): Promise<Map<string, EvaluatedFlag[]>> {
  const out = new Map<string, EvaluatedFlag[]>(applicationKeys.map((key) => [key, []]));
  if (applicationKeys.length === 0) return out;
  const rows = await db
    .selectFrom('application_flags')
    .innerJoin('environments', 'environments.id', 'application_flags.environment_id')
    .innerJoin('projects', 'projects.id', 'environments.project_id')
    .innerJoin('flags', (join) => join.onRef('flags.project_id', '=', 'projects.id').onRef('flags.key', '=', 'application_flags.flag_key'))
    .select(['application_flags.application_key as applicationKey', 'projects.key as projectKey', 'flags.key as key', 'flags.name as name'])
    .where('application_flags.application_key', 'in', [...applicationKeys])
    .distinct()
    .execute();
  rows.sort((a, b) => compareText(a.projectKey, b.projectKey) || compareText(a.key, b.key));
  for (const row of rows) out.get(row.applicationKey)?.push({ projectKey: row.projectKey, key: row.key, name: row.name });
  return out;
}
