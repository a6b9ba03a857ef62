// What makes a metric valid: the field types, each kind's required and forbidden fields, and the defaults.
import { Type, type Static } from '@sinclair/typebox';
import { ApiError, validationFailed, type FieldError } from '../../http/errors.js';
import { Key, Name, StringEnum, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { eventFilterProblems } from './eventFilter.js';
import type { MetricDoc, MetricKind } from './model.js';

const UrlPost = Type.Object({
  kind: Type.Optional(StringEnum(['exact', 'canonical', 'substring', 'regex'])),
  url: Type.Optional(Type.String({ maxLength: 2048 })),
  substring: Type.Optional(Type.String({ maxLength: 2048 })),
  pattern: Type.Optional(Type.String({ maxLength: 2048 })),
});

const EventFilter = Type.Object({
  type: StringEnum(['contextAttribute', 'eventProperty', 'group']),
  attribute: Type.Optional(Type.String()),
  op: Type.String({ minLength: 1 }),
  values: Type.Array(Type.Unknown()),
  contextKind: Type.Optional(Type.String()),
  negate: Type.Boolean(),
});

const UnitKeys = Type.Array(Key, { maxItems: 100 });

/** The members of a metric a client sets, on create (MetricPost) and through a patch. */
const metricFields = {
  kind: StringEnum(['pageview', 'click', 'custom']),
  name: Type.Optional(Name),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  tags: Type.Optional(Tags),
  selector: Type.Optional(Type.String({ maxLength: 4096 })),
  urls: Type.Optional(Type.Array(UrlPost, { maxItems: 100 })),
  isNumeric: Type.Optional(Type.Boolean()),
  unit: Type.Optional(Type.String({ maxLength: 256 })),
  eventKey: Type.Optional(Type.String({ maxLength: 1024 })),
  successCriteria: Type.Optional(StringEnum(['HigherThanBaseline', 'LowerThanBaseline'])),
  randomizationUnits: Type.Optional(UnitKeys),
  analysisUnits: Type.Optional(UnitKeys),
  maintainerId: Type.Optional(Type.String({ maxLength: 256 })),
  unitAggregationType: Type.Optional(StringEnum(['average', 'sum'])),
  analysisType: Type.Optional(StringEnum(['mean', 'percentile'])),
  percentileValue: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  eventDefault: Type.Optional(Type.Object({ disabled: Type.Optional(Type.Boolean()), value: Type.Optional(Type.Number()) })),
  dataSource: Type.Optional(
    Type.Object({
      key: Type.String({ minLength: 1, maxLength: 256 }),
      environmentKey: Type.Optional(Type.String({ maxLength: 256 })),
      _name: Type.Optional(Type.String()),
      _integrationKey: Type.Optional(Type.String()),
    }),
  ),
  filters: Type.Optional(EventFilter),
  // API v23: winsorization clamps each unit's value at percentiles of the units' values before they are analysed.
  winsorLowerPercentile: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100 })),
  winsorUpperPercentile: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100 })),
  winsorIncludeImputed: Type.Optional(Type.Boolean()),
  /** "Deprecated and ignored" (LaunchDarkly): accepted, not stored. */
  winsorExcludeImputed: Type.Optional(Type.Boolean()),
  /** API v23, "Not yet implemented" by LaunchDarkly: stored and returned, not applied (as there). */
  windowStartOffset: Type.Optional(Type.Integer()),
  windowEndOffset: Type.Optional(Type.Integer()),
};

export const MetricPost = Type.Object({ key: Key, ...metricFields });
export type MetricPost = Static<typeof MetricPost>;

/** The writable fields alone: what a patched metric is checked against. */
export const MetricFields = Type.Object(metricFields);
export type MetricFields = Static<typeof MetricFields>;

/** Members a patch may change. */
export const WRITABLE_METRIC_FIELDS = Object.keys(metricFields).filter((name) => name !== 'kind' && name !== 'analysisUnits');

/**
 * Fields of LaunchDarkly's newer API (client v23) that change what a metric measures. iterlab cannot compute
 * them, so they are refused by name rather than silently ignored.
 */
const UNSUPPORTED_FIELDS = ['denominator', 'unitAggregationField', 'traceQuery', 'traceValueLocation'];

export function unsupportedFields(body: Record<string, unknown>): FieldError[] {
  return UNSUPPORTED_FIELDS.filter((name) => body[name] !== undefined && body[name] !== null).map((attribute) => ({
    attribute,
    reason: 'is not supported by iterlab (a LaunchDarkly API v23 field it cannot compute)',
  }));
}

/** Empty values that clients send for "not set" (Terraform sends "" and [] for fields a kind does not use). */
function withoutEmpties(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    if (value === '' && ['description', 'selector', 'unit', 'eventKey', 'maintainerId'].includes(name)) continue;
    if (Array.isArray(value) && value.length === 0 && ['urls', 'randomizationUnits', 'analysisUnits'].includes(name)) continue;
    out[name] = value;
  }
  if (out.kind !== 'custom' && out.isNumeric === false) delete out.isNumeric;
  return out;
}

/** Fields that a kind does not accept, with the kinds that do. */
const ONLY_FOR: Record<string, { kinds: MetricKind[]; what: string }> = {
  selector: { kinds: ['click'], what: 'click metrics' },
  urls: { kinds: ['click', 'pageview'], what: 'click and pageview metrics' },
  eventKey: { kinds: ['custom'], what: 'custom metrics' },
  successCriteria: { kinds: ['custom'], what: 'custom metrics' },
  filters: { kinds: ['custom'], what: 'custom metrics' },
  isNumeric: { kinds: ['custom'], what: 'custom metrics' },
  unit: { kinds: ['custom'], what: 'numeric custom metrics' },
};

function checkUrls(urls: NonNullable<MetricFields['urls']>, errors: FieldError[]): void {
  urls.forEach((u, i) => {
    const at = `urls[${i}]`;
    const needs = u.kind === 'substring' ? 'substring' : u.kind === 'regex' ? 'pattern' : 'url';
    if (u.kind === undefined) errors.push({ attribute: `${at}.kind`, reason: 'must be present (exact, canonical, substring or regex)' });
    else if (!u[needs]) errors.push({ attribute: `${at}.${needs}`, reason: `must be present for a ${u.kind} URL` });
    for (const other of ['url', 'substring', 'pattern'] as const) {
      if (u.kind !== undefined && other !== needs && u[other]) errors.push({ attribute: `${at}.${other}`, reason: `does not apply to a ${u.kind} URL (use ${needs})` });
    }
    if (u.kind === 'regex' && u.pattern) {
      try {
        new RegExp(u.pattern);
      } catch (err) {
        errors.push({ attribute: `${at}.pattern`, reason: `is not a valid regular expression (${(err as Error).message})` });
      }
    }
  });
}

/** The project's randomization units (registeredUnits), as the check of a metric's units needs them. */
export interface UnitSettings {
  units: string[];
  defaultUnit: string;
}

/** LaunchDarkly's own message, which migration scripts match on: `Randomization unit "x" not found in project settings [user]`. */
function unknownUnit(unit: string, attribute: string, settings: UnitSettings): ApiError {
  const message = `Randomization unit "${unit}" not found in project settings [${settings.units.join(' ')}]`;
  return new ApiError(400, 'invalid_request', message, [{ attribute, reason: message }]);
}

/** The stored fields a metric gets from a client's input (the kind's rules applied, defaults filled). */
export type MetricContent = Omit<MetricDoc, '_versionId' | '_version' | 'creationDate' | 'lastModified' | 'archived' | 'archivedAt' | 'category'>;

/**
 * Checks a metric's fields (a MetricPost, or a patched metric) and returns its stored content.
 * Every problem is reported at once, each naming its field; the unit check comes last and uses LaunchDarkly's message.
 */
export function metricContent(raw: Record<string, unknown>, key: string, settings: UnitSettings, defaultMaintainerId: string): MetricContent {
  const input = withoutEmpties(raw);
  const errors = check(MetricFields, input);
  if (errors.length > 0) throw validationFailed(errors);
  const m = input as MetricFields;
  const numeric = m.kind === 'custom' && m.isNumeric === true;

  for (const [field, rule] of Object.entries(ONLY_FOR)) {
    const value = (m as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (!rule.kinds.includes(m.kind)) errors.push({ attribute: field, reason: `applies to ${rule.what} only, not to ${m.kind} metrics` });
    else if (field === 'unit' && !numeric) errors.push({ attribute: field, reason: 'applies to numeric custom metrics (isNumeric true) only' });
  }
  if (m.kind === 'click' && !m.selector) errors.push({ attribute: 'selector', reason: 'must be present for click metrics' });
  if ((m.kind === 'click' || m.kind === 'pageview') && !m.urls) errors.push({ attribute: 'urls', reason: `must list at least one URL for ${m.kind} metrics` });
  if (m.kind === 'custom' && !m.eventKey) errors.push({ attribute: 'eventKey', reason: 'must be present for custom metrics' });
  else if (m.kind === 'custom' && m.eventKey!.trim() === '') errors.push({ attribute: 'eventKey', reason: 'must not be blank: it is the key the SDKs track events with' });
  if (m.kind === 'custom' && m.isNumeric === undefined) errors.push({ attribute: 'isNumeric', reason: 'must be present for custom metrics (true for numeric, false for conversion)' });
  if (m.urls) checkUrls(m.urls, errors);
  if (m.filters !== undefined) errors.push(...eventFilterProblems(m.filters, 'filters'));

  const analysisType = m.analysisType ?? 'mean';
  if (analysisType === 'percentile') {
    if (m.percentileValue === undefined) errors.push({ attribute: 'percentileValue', reason: 'must be present when analysisType is percentile' });
    // LaunchDarkly offers percentiles for numeric metrics and for count metrics (conversions counted per unit: a
    // conversion, click or page view metric summed per unit), not for occurrence (0/1) ones.
    const count = !numeric && m.unitAggregationType === 'sum';
    if (!numeric && !count) errors.push({ attribute: 'analysisType', reason: 'percentile analysis applies to numeric custom metrics and count metrics (unitAggregationType sum) only' });
    if (m.eventDefault?.disabled === false) errors.push({ attribute: 'eventDefault.disabled', reason: 'units without events cannot be included in a percentile analysis' });
  } else if (m.percentileValue !== undefined) {
    errors.push({ attribute: 'percentileValue', reason: `applies only when analysisType is percentile, not ${analysisType}` });
  }
  // LaunchDarkly winsorizes warehouse-native metrics only, never its hosted events ("You cannot configure winsorization
  // for metrics created from LaunchDarkly hosted events").
  const hosted = (m.dataSource?.key ?? 'launchdarkly') === 'launchdarkly';
  for (const field of ['winsorLowerPercentile', 'winsorUpperPercentile', 'winsorIncludeImputed'] as const) {
    if (m[field] === undefined) continue;
    if (!numeric) errors.push({ attribute: field, reason: 'winsorization applies to numeric custom metrics (isNumeric true) only' });
    else if (hosted) errors.push({ attribute: field, reason: 'winsorization applies to metrics of a warehouse data source only, not to LaunchDarkly-hosted events (dataSource.key "launchdarkly")' });
  }
  if (m.winsorLowerPercentile !== undefined && m.winsorUpperPercentile !== undefined && m.winsorUpperPercentile <= m.winsorLowerPercentile) {
    errors.push({ attribute: 'winsorUpperPercentile', reason: `must be greater than winsorLowerPercentile (${m.winsorLowerPercentile})` });
  }
  if (m.eventDefault?.value !== undefined && m.eventDefault.value !== 0) errors.push({ attribute: 'eventDefault.value', reason: 'must be 0, the only default value LaunchDarkly supports' });
  if (m.randomizationUnits && m.analysisUnits && JSON.stringify(m.randomizationUnits) !== JSON.stringify(m.analysisUnits)) {
    errors.push({ attribute: 'analysisUnits', reason: 'must equal randomizationUnits when both are given (analysisUnits is its newer name)' });
  }
  if (errors.length > 0) throw validationFailed(errors);

  const unitsField = m.randomizationUnits ? 'randomizationUnits' : 'analysisUnits';
  const units = [...new Set(m.randomizationUnits ?? m.analysisUnits ?? [settings.defaultUnit])];
  units.forEach((unit, i) => {
    if (!settings.units.includes(unit)) throw unknownUnit(unit, `${unitsField}[${i}]`, settings);
  });

  const content: MetricContent = {
    kind: m.kind,
    name: m.name ?? key,
    description: m.description,
    tags: [...new Set(m.tags ?? [])],
    isNumeric: m.kind === 'custom' ? m.isNumeric : undefined,
    eventKey: m.eventKey,
    selector: m.selector,
    urls: m.urls,
    unit: m.unit,
    successCriteria: m.kind === 'custom' ? (m.successCriteria ?? 'HigherThanBaseline') : undefined,
    randomizationUnits: units,
    unitAggregationType: m.unitAggregationType ?? 'average',
    analysisType,
    percentileValue: m.percentileValue,
    eventDefault: { disabled: m.eventDefault?.disabled ?? analysisType === 'percentile', value: 0 },
    filters: m.filters,
    winsorLowerPercentile: m.winsorLowerPercentile,
    winsorUpperPercentile: m.winsorUpperPercentile,
    winsorIncludeImputed: m.winsorIncludeImputed,
    windowStartOffset: m.windowStartOffset,
    windowEndOffset: m.windowEndOffset,
    dataSource: m.dataSource
      ? { key: m.dataSource.key, ...(m.dataSource.environmentKey ? { environmentKey: m.dataSource.environmentKey } : {}) }
      : { key: 'launchdarkly' },
    maintainerId: m.maintainerId ?? defaultMaintainerId,
  };
  for (const name of Object.keys(content) as (keyof MetricContent)[]) if (content[name] === undefined) delete content[name];
  return content;
}
