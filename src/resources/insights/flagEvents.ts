// Flag events: the changes to a project's flags that release something, read from the audit log (each flag write
// keeps the flag before and after), one per environment whose targeting changed (turned on or off, rules, targets,
// rollout, prerequisites, off variation) and one "global" event for a change of every environment (created, deleted,
// archived, restored, variations). Impact compares the variations the SDKs' summary events report served in the ten
// minutes before and after. The FlagEventRep is built here only.
import type { Db } from '../../store/db.js';
import type { EnvironmentRow } from '../environments/environments.js';
import type { MemberDoc } from '../members/members.js';
import { derivedUuid } from './query.js';

/** LaunchDarkly's impact window: "in the ten minutes before/after the flag event". */
export const IMPACT_WINDOW_MS = 10 * 60 * 1000;
export const IMPACT_SIZES = ['none', 'small', 'medium', 'large'] as const;
export type ImpactSize = (typeof IMPACT_SIZES)[number];

interface FlagEnvRep {
  on?: boolean;
  targets?: unknown;
  contextTargets?: unknown;
  rules?: unknown;
  fallthrough?: { variation?: number; rollout?: unknown };
  offVariation?: unknown;
  prerequisites?: unknown;
}
interface FlagRep {
  key?: string;
  archived?: boolean;
  variations?: { value: unknown }[];
  environments?: Record<string, FlagEnvRep>;
}
interface StoredEntry {
  action: string;
  resource: string;
  before?: FlagRep;
  after?: FlagRep;
}

export interface FlagEvent {
  id: string;
  auditLogEntryId: string;
  flagKey: string;
  /** Undefined for a global event (every environment). */
  environmentKey?: string;
  eventType: string;
  eventTime: number;
  description: string;
  actions: string[];
  memberId: string | null;
  /** The variations' values after the change (the flag's), to name evaluations by. */
  variations: unknown[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The environment changes of one entry: the event type of the most telling change, and every change's action. */
function environmentChange(before: FlagEnvRep, after: FlagEnvRep): { eventType: string; description: string; actions: string[] } | undefined {
  const changes: [boolean, string, string, string][] = [
    [before.on !== after.on && after.on === true, 'enabled_targeting', 'Targeting enabled', 'updateOn'],
    [before.on !== after.on && after.on !== true, 'disabled_targeting', 'Targeting disabled', 'updateOn'],
    [!same(before.fallthrough, after.fallthrough) && after.fallthrough?.rollout !== undefined, 'rollout_changed', 'Percentage rollout changed', 'updateFallthrough'],
    [!same(before.fallthrough, after.fallthrough) && after.fallthrough?.rollout === undefined, 'default_rule_changed', 'Default rule changed', 'updateFallthrough'],
    [!same(before.rules, after.rules), 'rules_changed', 'Targeting rules changed', 'updateRules'],
    [!same(before.targets, after.targets) || !same(before.contextTargets, after.contextTargets), 'targets_changed', 'Individual targets changed', 'updateTargets'],
    [!same(before.prerequisites, after.prerequisites), 'prerequisites_changed', 'Prerequisites changed', 'updatePrerequisites'],
    [!same(before.offVariation, after.offVariation), 'off_variation_changed', 'Off variation changed', 'updateOffVariation'],
  ];
  const made = changes.filter(([changed]) => changed);
  if (made.length === 0) return undefined;
  return { eventType: made[0][1], description: made[0][2], actions: [...new Set(made.map(([, , , action]) => action))] };
}

/** The flag-wide change of one entry, if it released something everywhere. */
function globalChange(entry: StoredEntry): { eventType: string; description: string; actions: string[] } | undefined {
  const { before, after } = entry;
  if (entry.action === 'createFlag' || (!before && after)) return { eventType: 'flag_created', description: 'Flag created', actions: ['createFlag'] };
  if (entry.action === 'deleteFlag' || (before && !after)) return { eventType: 'flag_deleted', description: 'Flag deleted', actions: ['deleteFlag'] };
  if (!before || !after) return undefined;
  if (!before.archived && after.archived) return { eventType: 'flag_archived', description: 'Flag archived', actions: ['updateGlobalArchived'] };
  if (before.archived && !after.archived) return { eventType: 'flag_restored', description: 'Flag restored', actions: ['updateGlobalArchived'] };
  if (!same(before.variations, after.variations)) return { eventType: 'variations_changed', description: 'Variations changed', actions: ['updateFlagVariations'] };
  return undefined;
}

/** The project's flag events in the window, newest first: per environment of `environment`, and global ones. */
export async function flagEventsIn(db: Db, projectKey: string, environment: Pick<EnvironmentRow, 'key'>, window: { from: number; to: number }): Promise<FlagEvent[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'date', 'member_id', 'resource', 'doc'])
    .where('kind', '=', 'flag')
    .where('project_key', '=', projectKey)
    .where('date', '>=', window.from)
    .where('date', '<=', window.to)
    .execute();
  const events: FlagEvent[] = [];
  for (const row of rows) {
    const entry = JSON.parse(row.doc) as StoredEntry;
    const flagKey = /:flag\/([^:;]+)/.exec(row.resource)?.[1];
    if (!flagKey) continue;
    const variations = (entry.after ?? entry.before)?.variations?.map((v) => v.value) ?? [];
    const base = { auditLogEntryId: row.id, flagKey, eventTime: Number(row.date), memberId: row.member_id, variations };
    const global = globalChange(entry);
    if (global) {
      events.push({ ...base, ...global, id: derivedUuid('flag-event', row.id) });
      continue;
    }
    const before = entry.before?.environments?.[environment.key];
    const after = entry.after?.environments?.[environment.key];
    if (!before || !after) continue;
    const change = environmentChange(before, after);
    if (change) events.push({ ...base, ...change, environmentKey: environment.key, id: derivedUuid('flag-event', row.id, environment.key) });
  }
  // Newest first; of one time, the later entry first (audit ids grow with time).
  return events.sort((a, b) => b.eventTime - a.eventTime || (a.auditLogEntryId < b.auditLogEntryId ? 1 : a.auditLogEntryId > b.auditLogEntryId ? -1 : 0));
}

interface SummaryDoc {
  features?: Record<string, { counters?: { value?: unknown; variation?: number; count?: number; unknown?: boolean }[] }>;
}

/** Evaluations of each flag by value, from the environment's summary events, as [time, flagKey, value JSON, count]. */
export async function evaluationsAround(db: Db, environmentId: string, events: readonly FlagEvent[]): Promise<[number, string, string, number][]> {
  const timed = events.filter((e) => e.environmentKey !== undefined);
  if (timed.length === 0) return [];
  const from = Math.min(...timed.map((e) => e.eventTime)) - IMPACT_WINDOW_MS;
  const to = Math.max(...timed.map((e) => e.eventTime)) + IMPACT_WINDOW_MS;
  const flags = new Set(timed.map((e) => e.flagKey));
  const rows = await db.selectFrom('sdk_events').select(['creation_date', 'doc']).where('environment_id', '=', environmentId).where('kind', '=', 'summary').where('creation_date', '>=', from).where('creation_date', '<=', to).execute();
  const out: [number, string, string, number][] = [];
  for (const row of rows) {
    const doc = JSON.parse(row.doc) as SummaryDoc;
    for (const [flagKey, feature] of Object.entries(doc.features ?? {})) {
      if (!flags.has(flagKey) || !feature || !Array.isArray(feature.counters)) continue;
      for (const counter of feature.counters) if (!counter.unknown && typeof counter.count === 'number') out.push([Number(row.creation_date), flagKey, JSON.stringify(counter.value ?? null), counter.count]);
    }
  }
  return out;
}

export interface Impact {
  size?: ImpactSize;
  percentage?: number;
  reason: 'evaluations' | 'global' | 'waiting';
  evaluationsSummary?: { variations: { value: unknown; before: number; after: number }[] };
}

/** "none (0%), small (0-20%), medium (20-80%), large (>80%)". */
export function sizeOf(percentage: number): ImpactSize {
  if (percentage === 0) return 'none';
  if (percentage < 20) return 'small';
  if (percentage <= 80) return 'medium';
  return 'large';
}

/**
 * The change in the share of evaluations each variation received, ten minutes before against ten minutes after: half
 * the sum of the differences of shares (the share of evaluations that moved), in percent. A global event's impact is
 * not measured; an event less than ten minutes old is waiting.
 */
export function impactOf(event: FlagEvent, evaluations: readonly [number, string, string, number][], now: number): Impact {
  if (event.environmentKey === undefined) return { reason: 'global' };
  if (now < event.eventTime + IMPACT_WINDOW_MS) return { reason: 'waiting' };
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  for (const [at, flagKey, value, count] of evaluations) {
    if (flagKey !== event.flagKey) continue;
    if (at >= event.eventTime - IMPACT_WINDOW_MS && at < event.eventTime) before.set(value, (before.get(value) ?? 0) + count);
    else if (at >= event.eventTime && at <= event.eventTime + IMPACT_WINDOW_MS) after.set(value, (after.get(value) ?? 0) + count);
  }
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const [tb, ta] = [total(before), total(after)];
  const values = [...new Set([...event.variations.map((v) => JSON.stringify(v)), ...before.keys(), ...after.keys()])];
  const moved = tb === 0 || ta === 0 ? 0 : values.reduce((sum, v) => sum + Math.abs((after.get(v) ?? 0) / ta - (before.get(v) ?? 0) / tb), 0) / 2;
  const percentage = Math.round(moved * 1000) / 10;
  return {
    size: sizeOf(percentage),
    percentage,
    reason: 'evaluations',
    evaluationsSummary: { variations: values.map((v) => ({ value: JSON.parse(v), before: before.get(v) ?? 0, after: after.get(v) ?? 0 })) },
  };
}

export interface ExperimentIteration {
  experimentKey: string;
  experimentName: string;
  flagKeys: string[];
  id: string;
  status: string;
  startedAt: number;
  endedAt?: number;
}

/** The environment's started experiment iterations and the flags each tests. */
export async function iterationsIn(db: Db, environmentId: string): Promise<ExperimentIteration[]> {
  const rows = await db
    .selectFrom('iterations as i')
    .innerJoin('experiments as e', 'e.id', 'i.experiment_id')
    .select(['e.key as key', 'e.name as name', 'i.id as id', 'i.status as status', 'i.doc as doc', 'i.started_at as started_at'])
    .where('e.environment_id', '=', environmentId)
    .where('i.started_at', 'is not', null)
    .execute();
  return rows.map((row) => {
    const doc = JSON.parse(row.doc) as { flags?: Record<string, unknown>; endedAt?: number };
    return { experimentKey: row.key, experimentName: row.name, flagKeys: Object.keys(doc.flags ?? {}), id: row.id, status: row.status, startedAt: Number(row.started_at), ...(doc.endedAt !== undefined ? { endedAt: doc.endedAt } : {}) };
  });
}

/** The iterations running on the event's flag when it happened. */
export function experimentsOf(event: FlagEvent, iterations: readonly ExperimentIteration[]): ExperimentIteration[] {
  return iterations.filter((it) => it.flagKeys.includes(event.flagKey) && it.startedAt <= event.eventTime && (it.endedAt === undefined || it.endedAt >= event.eventTime));
}

/** FlagEventRep. */
export function representFlagEvent(
  event: FlagEvent,
  place: { projectId: string; projectKey: string; environmentId: string; environmentKey: string },
  extra: { impact: Impact; member?: { id: string; email: string; doc: string }; experiments?: ExperimentIteration[] },
): Record<string, unknown> {
  const memberDoc = extra.member ? (JSON.parse(extra.member.doc) as MemberDoc) : undefined;
  const rep: Record<string, unknown> = {
    id: event.id,
    projectId: place.projectId,
    projectKey: place.projectKey,
    ...(event.environmentKey !== undefined ? { environmentId: place.environmentId, environmentKey: place.environmentKey } : {}),
    flagKey: event.flagKey,
    eventType: event.eventType,
    eventTime: event.eventTime,
    description: event.description,
    auditLogEntryId: event.auditLogEntryId,
    ...(extra.member && memberDoc ? { member: { id: extra.member.id, email: extra.member.email, firstName: memberDoc.firstName, lastName: memberDoc.lastName } } : {}),
    actions: event.actions,
    impact: extra.impact,
  };
  if (extra.experiments) {
    const items = extra.experiments.map((it) => {
      const experiment = `/api/v2/projects/${place.projectKey}/environments/${place.environmentKey}/experiments/${it.experimentKey}`;
      return {
        key: it.experimentKey,
        name: it.experimentName,
        iteration: {
          id: it.id,
          status: it.status === 'running' ? 'running' : 'stopped',
          startedAt: it.startedAt,
          ...(it.endedAt !== undefined ? { endedAt: it.endedAt } : {}),
        },
        _links: { self: { href: experiment, type: 'application/json' } },
      };
    });
    rep.experiments = { totalCount: items.length, items };
  }
  return rep;
}

export interface EventFilter {
  applicationKeys?: string[];
  /** Part of the flag key, without case. */
  query?: string;
  impactSize?: ImpactSize;
  hasExperiments?: boolean;
  global?: 'include' | 'exclude';
}

export interface MeasuredEvent {
  event: FlagEvent;
  impact: Impact;
  experiments: ExperimentIteration[];
}

/** The flag events of the environment in the window that pass the filter, each with its impact and experiments. */
export async function measuredEvents(db: Db, projectKey: string, environment: Pick<EnvironmentRow, 'id' | 'key'>, window: { from: number; to: number }, filter: EventFilter, now: number): Promise<MeasuredEvent[]> {
  let events = await flagEventsIn(db, projectKey, environment, window);
  if (filter.global === 'exclude') events = events.filter((e) => e.environmentKey !== undefined);
  if (filter.query) events = events.filter((e) => e.flagKey.toLowerCase().includes(filter.query!.toLowerCase()));
  if (filter.applicationKeys) {
    const evaluated = await db.selectFrom('application_flags').select('flag_key').where('environment_id', '=', environment.id).where('application_key', 'in', filter.applicationKeys).execute();
    const flags = new Set(evaluated.map((row) => row.flag_key));
    events = events.filter((e) => flags.has(e.flagKey));
  }
  const evaluations = await evaluationsAround(db, environment.id, events);
  const iterations = await iterationsIn(db, environment.id);
  return events
    .map((event) => ({ event, impact: impactOf(event, evaluations, now), experiments: experimentsOf(event, iterations) }))
    .filter((m) => (filter.impactSize === undefined || m.impact.size === filter.impactSize) && (filter.hasExperiments === undefined || (m.experiments.length > 0) === filter.hasExperiments));
}
