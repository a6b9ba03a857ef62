// A project's experimentation settings: the randomization units experiments may use, one of them the default.
import type { Db, Trx } from '../../store/db.js';
import { link } from '../../http/links.js';
import { displayName } from '../context-kinds/contextKinds.js';

export interface RandomizationUnit {
  randomizationUnit: string;
  default: boolean;
  _hidden: boolean;
  _displayName: string;
}

export interface SettingsDoc {
  randomizationUnits: RandomizationUnit[];
}

export function defaultSettings(): SettingsDoc {
  return { randomizationUnits: [{ randomizationUnit: 'user', default: true, _hidden: false, _displayName: 'User' }] };
}

export function unit(key: string, isDefault: boolean): RandomizationUnit {
  return { randomizationUnit: key, default: isDefault, _hidden: false, _displayName: displayName(key) };
}

/** `share`: on PostgreSQL, the row stays share-locked until commit, so that a PUT of the settings waits for the reader. */
export async function loadSettings(db: Db | Trx, projectId: string, share = false): Promise<{ doc: SettingsDoc; createdAt: number }> {
  let query = db.selectFrom('experimentation_settings').select(['doc', 'created_at']).where('project_id', '=', projectId);
  if (share) query = query.forShare();
  const row = await query.executeTakeFirst();
  return row ? { doc: JSON.parse(row.doc) as SettingsDoc, createdAt: row.created_at } : { doc: defaultSettings(), createdAt: 0 };
}

/** A project's settings with the registered units whose context kind is archived now, which experiments cannot use. */
export interface ExperimentSettings {
  doc: SettingsDoc;
  createdAt: number;
  archivedUnits: string[];
}

/**
 * The settings, and which of their units are archived context kinds (LaunchDarkly: an archived kind is "unavailable for
 * use in experiments"; a kind may be archived after it was registered). `share` as for loadSettings; the kinds' rows
 * are not locked: an archive that commits beside a reader is as if it came just after it, and locking them would make
 * the events payloads that write their lastSeen wait.
 */
export async function loadExperimentSettings(db: Db | Trx, projectId: string, share = false): Promise<ExperimentSettings> {
  const settings = await loadSettings(db, projectId, share);
  const units = settings.doc.randomizationUnits.map((u) => u.randomizationUnit);
  const kinds = units.length === 0 ? [] : await db.selectFrom('context_kinds').select(['key', 'doc']).where('project_id', '=', projectId).where('key', 'in', units).execute();
  const archivedUnits = kinds.filter((kind) => (JSON.parse(kind.doc) as { archived?: boolean }).archived === true).map((kind) => kind.key);
  return { ...settings, archivedUnits };
}

export function defaultUnit(settings: SettingsDoc): string {
  return settings.randomizationUnits.find((u) => u.default)?.randomizationUnit ?? settings.randomizationUnits[0]?.randomizationUnit ?? 'user';
}

/** The unit keys registered in a project and its default, as metric and experiment checks need them. */
export async function registeredUnits(db: Db | Trx, projectId: string): Promise<{ units: string[]; defaultUnit: string }> {
  const { doc } = await loadSettings(db, projectId);
  return { units: doc.randomizationUnits.map((u) => u.randomizationUnit), defaultUnit: defaultUnit(doc) };
}

/** The names of a project's context kinds, by key: a unit's `_displayName` is its kind's name. */
export async function contextKindNames(db: Db | Trx, projectId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('context_kinds').select(['key', 'doc']).where('project_id', '=', projectId).execute();
  return new Map(rows.map((row) => [row.key, (JSON.parse(row.doc) as { name: string }).name]));
}

/**
 * The default unit comes back first, as LaunchDarkly orders it. Each unit's `_displayName` is its context kind's name
 * as it is now (`names`), or the one it was stored with when the kind is gone.
 */
export function representSettings(projectId: string, projectKey: string, doc: SettingsDoc, createdAt: number, names: ReadonlyMap<string, string>): Record<string, unknown> {
  const units = [...doc.randomizationUnits]
    .sort((a, b) => Number(b.default) - Number(a.default))
    .map((u) => ({ ...u, _displayName: names.get(u.randomizationUnit) ?? u._displayName }));
  return {
    _projectId: projectId,
    _projectKey: projectKey,
    randomizationUnits: units,
    _creationDate: createdAt,
    _links: { self: link(`/api/v2/projects/${projectKey}/experimentation-settings`) },
  };
}
