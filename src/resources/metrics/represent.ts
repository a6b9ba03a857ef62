// MetricRep / MetricListingRep: a stored metric as LaunchDarkly returns it, and the view a JSON Patch edits.
import { link, siteLink } from '../../http/links.js';
import { memberSummary, type MemberRow } from '../members/members.js';
import type { MetricDoc, MetricRow } from './model.js';

export function metricRepLinks(projectKey: string, key: string): Record<string, ReturnType<typeof link>> {
  return { parent: link(`/api/v2/metrics/${projectKey}`), self: link(`/api/v2/metrics/${projectKey}/${key}`) };
}

/**
 * The metric's own fields (everything but the expand-only ones, which callers add). `analysisUnits` repeats
 * `randomizationUnits` under the name newer clients read.
 */
export function representMetric(projectKey: string, row: MetricRow, doc: MetricDoc, maintainer: MemberRow | undefined): Record<string, unknown> {
  const rep: Record<string, unknown> = {
    _id: row.id,
    _versionId: doc._versionId,
    _version: doc._version,
    key: row.key,
    name: doc.name,
    kind: doc.kind,
    _links: metricRepLinks(projectKey, row.key),
    _site: siteLink(`/experiments/metrics/${row.key}/edit`),
    tags: doc.tags,
    _creationDate: doc.creationDate,
    lastModified: { date: new Date(doc.lastModified).toISOString() },
    maintainerId: doc.maintainerId,
    _maintainer: maintainer ? memberSummary(maintainer) : undefined,
    description: doc.description,
    category: doc.category,
    isNumeric: doc.isNumeric,
    successCriteria: doc.successCriteria,
    unit: doc.unit,
    eventKey: doc.eventKey,
    randomizationUnits: doc.randomizationUnits,
    analysisUnits: doc.randomizationUnits,
    filters: doc.filters,
    unitAggregationType: doc.unitAggregationType,
    analysisType: doc.analysisType,
    percentileValue: doc.percentileValue,
    eventDefault: doc.eventDefault,
    winsorLowerPercentile: doc.winsorLowerPercentile,
    winsorUpperPercentile: doc.winsorUpperPercentile,
    winsorIncludeImputed: doc.winsorIncludeImputed,
    windowStartOffset: doc.windowStartOffset,
    windowEndOffset: doc.windowEndOffset,
    dataSource: doc.dataSource ?? { key: 'launchdarkly' },
    archived: doc.archived,
    archivedAt: doc.archivedAt,
    selector: doc.selector,
    urls: doc.urls,
  };
  for (const name of Object.keys(rep)) if (rep[name] === undefined) delete rep[name];
  return rep;
}

/** Members of the representation a patch may not change (it may `test` them). */
export const READ_ONLY_METRIC_FIELDS = ['_id', '_versionId', '_version', 'key', 'kind', '_links', '_site', '_creationDate', 'lastModified', '_maintainer', 'category', 'archived', 'archivedAt'];

/** What a JSON Patch on a metric operates on: its representation without the `analysisUnits` echo. */
export function metricPatchView(projectKey: string, row: MetricRow, doc: MetricDoc, maintainer: MemberRow | undefined): Record<string, unknown> {
  const { analysisUnits: _echo, ...view } = representMetric(projectKey, row, doc, maintainer);
  return view;
}
