// The FeatureFlag and FeatureFlagConfig representations: the only code that builds flag JSON.
import { createHash } from 'node:crypto';
import { link, siteLink } from '../../http/links.js';
import { memberSummary, type MemberRow } from '../members/members.js';
import { compact, type FlagConfigDoc, type FlagDoc, type Rollout, type Variation, type VariationOrRollout } from './model.js';
import { isMigrationFlag } from './migration.js';
import { canonicalJson } from './validate.js';

/** One environment's targeting, with the environment's key and name. */
export interface FlagEnvironment {
  key: string;
  name: string;
  config: FlagConfigDoc;
  /** The context kinds evaluated in the past 30 days (`expand=evaluation`); `evaluation` is left out when undefined. */
  evaluatedKinds?: string[];
}

export interface FlagView {
  key: string;
  doc: FlagDoc;
  /** Omitted from the representation when undefined (lists without an environment filter). */
  environments?: FlagEnvironment[];
  maintainer?: MemberRow;
  /** The team named by maintainerTeamKey (`_maintainerTeam`), when it exists. */
  maintainerTeam?: MaintainerTeam;
  /** Lists by default leave out targets, rules and prerequisites, keeping only their `_summary`. */
  summaryOnly?: boolean;
  /** The code references' statistics for the flag, a StatisticRep per repository (`expand=codeReferences`). */
  codeReferences?: Record<string, unknown>[];
  /** `expand=migrationSettings`: a migration flag's settings, on the flag and in each environment. */
  migrationSettings?: boolean;
}

function rolloutWeight(rollout: Rollout | undefined, variation: number): number {
  return rollout?.variations.filter((w) => w.variation === variation).reduce((sum, w) => sum + w.weight, 0) ?? 0;
}

function serves(target: VariationOrRollout, variation: number): boolean {
  return target.variation === variation || rolloutWeight(target.rollout, variation) > 0;
}

/** LaunchDarkly's per-variation counts: how many rules, targets and defaults serve each variation. */
export function flagSummary(flag: FlagDoc, config: FlagConfigDoc): Record<string, unknown> {
  const variations: Record<string, unknown> = {};
  flag.variations.forEach((_, index) => {
    const rules = config.rules.filter((rule) => serves(rule, index));
    const fallthroughWeight = rolloutWeight(config.fallthrough.rollout, index);
    variations[String(index)] = compact({
      rules: rules.length,
      nullRules: rules.filter((rule) => rule.clauses.length === 0).length,
      targets: config.targets.filter((t) => t.variation === index).reduce((sum, t) => sum + t.values.length, 0),
      contextTargets: config.contextTargets.filter((t) => t.variation === index).reduce((sum, t) => sum + t.values.length, 0),
      isFallthrough: config.fallthrough.variation === index ? true : undefined,
      isOff: config.offVariation === index ? true : undefined,
      rollout: fallthroughWeight > 0 ? fallthroughWeight : undefined,
      bucketBy: fallthroughWeight > 0 ? (config.fallthrough.rollout?.bucketBy ?? 'key') : undefined,
    });
  });
  return { variations, prerequisites: config.prerequisites.length };
}

/**
 * A variation's `valueHash` (2026-07): the SHA-256 of its canonical JSON value (object keys sorted, no spaces), in hex.
 * Computed here, once per variation per representation; never stored, and ignored when a client sends it back.
 */
export function valueHash(value: unknown): string {
  const text = canonicalJson(value);
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = createHash('sha256').update(text).digest('hex');
    if (text.length <= MEMO_TEXT_MAX) {
      if (hashes.size >= MEMO_ENTRIES) hashes.clear();
      hashes.set(text, hash);
    }
  }
  return hash;
}

// Hashes of the values represented lately: a flag's variations are represented on every read and twice a write (its
// before and after), and a hash costs ~1 µs where a look-up costs a tenth of that. Bounded: 10,000 texts of ≤ 1 KiB.
const MEMO_ENTRIES = 10_000;
const MEMO_TEXT_MAX = 1024;
const hashes = new Map<string, string>();

function representVariation(v: Variation): Record<string, unknown> {
  return compact({ _id: v._id, value: v.value, valueHash: valueHash(v.value), name: v.name, description: v.description });
}

/**
 * A migration flag's settings in one environment, as `expand=migrationSettings` shows them: the check ratio set, or
 * 1 (every migration op checks consistency), which is what SDKs use when the flag data carries none.
 */
function configMigrationSettings(config: FlagConfigDoc): Record<string, unknown> {
  return { checkRatio: config.migrationSettings?.checkRatio ?? 1 };
}

export function representFlagConfig(projectKey: string, flagKey: string, flag: FlagDoc, env: FlagEnvironment, summaryOnly = false, migrationSettings = false): Record<string, unknown> {
  const c = env.config;
  const targeting = summaryOnly
    ? {}
    : { targets: c.targets, contextTargets: c.contextTargets, rules: c.rules, prerequisites: c.prerequisites };
  return compact({
    on: c.on,
    archived: c.archived,
    salt: c.salt,
    sel: c.sel,
    lastModified: c.lastModified,
    version: c.version,
    ...targeting,
    fallthrough: c.fallthrough,
    offVariation: c.offVariation,
    _site: siteLink(`/${projectKey}/${env.key}/features/${flagKey}`),
    _environmentName: env.name,
    trackEvents: c.trackEvents,
    trackEventsFallthrough: c.trackEventsFallthrough,
    _debugEventsUntilDate: c._debugEventsUntilDate,
    _summary: flagSummary(flag, c),
    evaluation: env.evaluatedKinds ? { contextKinds: env.evaluatedKinds } : undefined,
    migrationSettings: migrationSettings && isMigrationFlag(flag) ? configMigrationSettings(c) : undefined,
  });
}

/** A flag's maintaining team as the flag shows it (LaunchDarkly's MaintainerTeam). */
export interface MaintainerTeam {
  key: string;
  name: string;
}

function representMaintainerTeam(team: MaintainerTeam): Record<string, unknown> {
  return {
    key: team.key,
    name: team.name,
    _links: { parent: link('/api/v2/teams'), roles: link(`/api/v2/teams/${team.key}/roles`), self: link(`/api/v2/teams/${team.key}`) },
  };
}

export function representFlag(projectKey: string, view: FlagView): Record<string, unknown> {
  const d = view.doc;
  const rep: Record<string, unknown> = compact({
    name: d.name,
    kind: d.kind,
    description: d.description,
    key: view.key,
    _version: d._version,
    creationDate: d.creationDate,
    includeInSnippet: d.includeInSnippet,
    clientSideAvailability: d.clientSideAvailability,
    variations: d.variations.map(representVariation),
    temporary: d.temporary,
    tags: d.tags,
    _links: { parent: link(`/api/v2/flags/${projectKey}`), self: link(`/api/v2/flags/${projectKey}/${view.key}`) },
    maintainerId: d.maintainerId,
    _maintainer: view.maintainer ? memberSummary(view.maintainer) : undefined,
    maintainerTeamKey: d.maintainerTeamKey,
    _maintainerTeam: view.maintainerTeam ? representMaintainerTeam(view.maintainerTeam) : undefined,
    goalIds: [],
    experiments: { baselineIdx: 0, items: [] },
    customProperties: d.customProperties,
    archived: d.archived,
    archivedDate: d.archivedDate,
    deprecated: d.deprecated,
    deprecatedDate: d.deprecatedDate,
    defaults: d.defaults,
    _purpose: d.purpose,
    // Only with expand=migrationSettings, and only for migration flags (getFeatureFlag's "Expanding response").
    migrationSettings: view.migrationSettings && isMigrationFlag(d) ? d.migrationSettings : undefined,
    codeReferences: view.codeReferences
      ? { _links: { self: link(`/api/v2/code-refs/statistics/${projectKey}`) }, items: view.codeReferences }
      : undefined,
  });
  if (view.environments) {
    rep.environments = Object.fromEntries(
      view.environments.map((env) => [env.key, representFlagConfig(projectKey, view.key, d, env, view.summaryOnly, view.migrationSettings)]),
    );
  }
  return rep;
}
