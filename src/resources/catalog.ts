// Cached reads of what most requests look up and seldom changes: projects, environments, experimentation
// settings, metrics and metric groups, and what create iteration validates against (experiments, flags with their
// targeting). The change bus (this instance's writes and every other's) empties them.
//
// Reads that must see the latest committed state inside a write (a flag's targeting version, an experiment's
// iterations) never come from here. A write validated against these caches may run beside a write that changes
// them; it is then as if it had read just before that write, as any read-then-write does without row locks. Create
// iteration checks the flags and the experiment it was validated against again inside its write, so a stale entry
// costs it a second validation, never a wrong answer.
import type { Db, Store } from '../store/db.js';
import { ChangeCache, type ChangeBus } from '../store/changes.js';
import { notFound } from '../http/errors.js';
import type { ChangeNotice } from '../http/context.js';
import type { EnvironmentRow } from './environments/environments.js';
import { loadExperimentSettings, type ExperimentSettings } from './experimentation-settings/settings.js';
import type { MetricDoc, MetricGroupDoc, MetricGroupRow, MetricRow } from './metrics/model.js';
import type { ProjectRow } from './projects/projects.js';
import { findExperiment, flagsRunOn, type ExperimentRow } from './experiments/model.js';
import { loadFlagsForIteration, type IterationFlagRow } from './experiments/iterationInput.js';

const affects =
  (...kinds: ChangeNotice['kind'][]) =>
  (notice: ChangeNotice) =>
    notice.kind === 'project' || kinds.includes(notice.kind);

export class Catalog {
  private readonly projects: ChangeCache<ProjectRow | null>;
  private readonly environments: ChangeCache<EnvironmentRow | null>;
  private readonly settingsCache: ChangeCache<ExperimentSettings>;
  private readonly metricsCache: ChangeCache<{ row: MetricRow; doc: MetricDoc } | null>;
  private readonly groupsCache: ChangeCache<{ row: MetricGroupRow; doc: MetricGroupDoc } | null>;
  private readonly experiments: ChangeCache<ExperimentRow>;
  private readonly ranOn: ChangeCache<string[] | null>;
  private readonly flags: ChangeCache<IterationFlagRow | null>;
  private readonly experimentCounts: ChangeCache<number>;

  constructor(
    private readonly store: Store,
    bus: ChangeBus,
  ) {
    this.projects = new ChangeCache(bus, { affectedBy: affects() });
    this.environments = new ChangeCache(bus, { affectedBy: affects('environment') });
    // Archiving or unarchiving a context kind tells 'settings' too: the entries hold which units are archived kinds.
    this.settingsCache = new ChangeCache(bus, { affectedBy: affects('settings') });
    this.metricsCache = new ChangeCache(bus, { affectedBy: affects('metric') });
    this.groupsCache = new ChangeCache(bus, { affectedBy: affects('metric-group') });
    // A new draft (create iteration's notice says part 'draft') leaves the experiment's row as it was.
    const experimentAffectedBy = (notice: ChangeNotice) => affects('environment')(notice) || (notice.kind === 'experiment' && notice.part !== 'draft');
    this.experiments = new ChangeCache(bus, { affectedBy: experimentAffectedBy });
    // Which flags an experiment ran on changes only when an iteration starts: a change of the experiment, not a draft.
    this.ranOn = new ChangeCache(bus, { affectedBy: experimentAffectedBy });
    this.flags = new ChangeCache(bus, { affectedBy: affects('environment', 'flag') });
    // Which experiments a list holds (by environment, lifecycle and status) changes with every write but a new draft.
    this.experimentCounts = new ChangeCache(bus, { affectedBy: (notice) => !(notice.kind === 'experiment' && notice.part === 'draft') });
  }

  /**
   * How many experiments a list without a flag or metric filter matches (its total_count), counted once and kept
   * until any change but a new draft: counting reads every matching row, the page only its own, and every write to
   * the project empties the lists' cached answers. A new draft changes no experiment's environment or lifecycle, nor
   * whether it has a running or stopped iteration. Lists filtered by flag or metric read the drafts' references,
   * which every new draft rewrites, and `status:not_started` matches experiments with a draft: they count each
   * time, without asking here.
   */
  experimentCount(scope: string, count: () => Promise<number>): Promise<number> {
    return this.experimentCounts.get(scope, count);
  }

  private get db(): Db {
    return this.store.db;
  }

  /** The experiment with this key in the environment; 404 names it (a missing one is not kept). */
  experiment(environmentId: string, key: string, context: { projectKey: string; environmentKey: string }): Promise<ExperimentRow> {
    return this.experiments.get(`${environmentId}\u0000${key}`, () => findExperiment(this.db, this.store, environmentId, key, context));
  }

  /** The flag keys of the experiment's latest started iteration; undefined when none has started. */
  async flagsRunOn(experimentId: string): Promise<string[] | undefined> {
    return (await this.ranOn.get(experimentId, async () => (await flagsRunOn(this.db, experimentId)) ?? null)) ?? undefined;
  }

  /** The named flags of the project with their targeting in the environment (absent keys are missing from the map). */
  async iterationFlags(projectId: string, environmentId: string, keys: string[]): Promise<Map<string, IterationFlagRow>> {
    const out = new Map<string, IterationFlagRow>();
    for (const key of new Set(keys)) {
      const found = await this.flags.get(`${projectId}\u0000${environmentId}\u0000${key}`, async () => (await loadFlagsForIteration(this.db, projectId, environmentId, [key])).get(key) ?? null);
      if (found) out.set(key, found);
    }
    return out;
  }

  async project(key: string): Promise<ProjectRow> {
    const row = await this.projects.get(key, async () => (await this.db.selectFrom('projects').selectAll().where('key', '=', key).executeTakeFirst()) ?? null);
    if (!row) throw notFound(`Project "${key}"`);
    return row;
  }

  /** The project and environment a nested route addresses; 404 names whichever is missing. */
  async projectEnvironment(projectKey: string, environmentKey: string): Promise<{ project: ProjectRow; environment: EnvironmentRow }> {
    const project = await this.project(projectKey);
    const environment = await this.environments.get(
      `${project.id}\u0000${environmentKey}`,
      async () =>
        (await this.db.selectFrom('environments').selectAll().where('project_id', '=', project.id).where('key', '=', environmentKey).executeTakeFirst()) ?? null,
    );
    if (!environment) throw notFound(`Environment "${environmentKey}" in project "${projectKey}"`);
    return { project, environment };
  }

  /** The project's experimentation settings, with which of their units are archived context kinds. */
  settings(projectId: string): Promise<ExperimentSettings> {
    return this.settingsCache.get(projectId, () => loadExperimentSettings(this.db, projectId));
  }

  /** The metrics of the project with these keys (absent keys are missing from the map). */
  metrics(projectId: string, keys: string[]): Promise<Map<string, { row: MetricRow; doc: MetricDoc }>> {
    return this.byKey(this.metricsCache, 'metrics', projectId, keys);
  }

  /** The metric groups of the project with these keys (absent keys are missing from the map). */
  metricGroups(projectId: string, keys: string[]): Promise<Map<string, { row: MetricGroupRow; doc: MetricGroupDoc }>> {
    return this.byKey(this.groupsCache, 'metric_groups', projectId, keys);
  }

  private async byKey<Row extends { doc: string }, Doc>(
    cache: ChangeCache<{ row: Row; doc: Doc } | null>,
    table: 'metrics' | 'metric_groups',
    projectId: string,
    keys: string[],
  ): Promise<Map<string, { row: Row; doc: Doc }>> {
    const out = new Map<string, { row: Row; doc: Doc }>();
    for (const key of new Set(keys)) {
      const found = await cache.get(`${projectId}\u0000${key}`, async () => {
        const row = (await this.db.selectFrom(table).selectAll().where('project_id', '=', projectId).where('key', '=', key).executeTakeFirst()) as Row | undefined;
        return row ? { row, doc: JSON.parse(row.doc) as Doc } : null;
      });
      if (found) out.set(key, found);
    }
    return out;
  }
}
