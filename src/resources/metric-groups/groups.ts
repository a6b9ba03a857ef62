// Metric groups: the request schemas, the rules on their member metrics, and MetricGroupRep.
import { Type, type Static } from '@sinclair/typebox';
import { ApiError, validationFailed, type FieldError } from '../../http/errors.js';
import { Key, Name, StringEnum, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import type { DbKind, Trx } from '../../store/db.js';
import { memberSummary, requireMember, type MemberRow } from '../members/members.js';
import { metricGroupLinks, metricInGroupRep, type MetricDoc, type MetricGroupDoc, type MetricGroupMember, type MetricGroupRow } from '../metrics/model.js';

const MetricInGroupInput = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 256 }),
  nameInGroup: Type.Optional(Type.String({ maxLength: 1024 })),
});

const GroupKind = StringEnum(['funnel', 'standard']);
const GroupMetrics = Type.Array(MetricInGroupInput, { minItems: 1, maxItems: 100 });

export const MetricGroupPost = Type.Object({
  key: Type.Optional(Key),
  name: Name,
  kind: GroupKind,
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  // Required, but checked by hand so that a missing or empty value gets LaunchDarkly's own message.
  maintainerId: Type.Optional(Type.String({ maxLength: 256 })),
  tags: Tags,
  metrics: GroupMetrics,
});
export type MetricGroupPost = Static<typeof MetricGroupPost>;

/** The members of a group a patch may change, checked again after the patch. */
const MetricGroupFields = Type.Object({
  name: Name,
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  maintainerId: Type.Optional(Type.String({ maxLength: 256 })),
  tags: Tags,
  metrics: GroupMetrics,
});
type MetricGroupFields = Static<typeof MetricGroupFields>;

export const WRITABLE_GROUP_FIELDS = ['name', 'description', 'maintainerId', 'tags', 'metrics'];
export const READ_ONLY_GROUP_FIELDS = ['_id', 'key', 'kind', '_links', '_creationDate', '_lastModified', 'maintainer', '_version'];

/** A group key from its name when the client gives none (MetricGroupPost.key is optional). */
export function keyFromName(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 256);
  return key || 'metric-group';
}

/** LaunchDarkly's message for a missing maintainer (Terraform depends on it to explain service tokens). */
export async function requireMaintainer(trx: Trx, maintainerId: string | undefined): Promise<MemberRow> {
  if (maintainerId === undefined || maintainerId.trim() === '') {
    throw new ApiError(400, 'invalid_request', 'maintainer ID is required', [{ attribute: 'maintainerId', reason: 'maintainer ID is required' }]);
  }
  return requireMember(trx, maintainerId, 'maintainerId');
}

/**
 * Checks a group's member list and returns it as stored, with the member metrics (held against deletion until the
 * transaction ends on PostgreSQL). Funnels need `nameInGroup` on every metric; standard groups take none.
 */
export async function groupMembers(
  trx: Trx,
  lock: DbKind,
  projectId: string,
  projectKey: string,
  kind: MetricGroupDoc['kind'],
  input: { key: string; nameInGroup?: string }[],
): Promise<{ members: MetricGroupMember[]; metrics: Map<string, MetricDoc> }> {
  const errors: FieldError[] = [];
  input.forEach((m, i) => {
    if (input.findIndex((other) => other.key === m.key) !== i) errors.push({ attribute: `metrics[${i}].key`, reason: `the metric "${m.key}" is already in the group` });
    const named = m.nameInGroup !== undefined && m.nameInGroup.trim() !== '';
    if (kind === 'funnel' && !named) errors.push({ attribute: `metrics[${i}].nameInGroup`, reason: 'must be present for every metric of a funnel group' });
    if (kind === 'standard' && named) errors.push({ attribute: `metrics[${i}].nameInGroup`, reason: 'applies to funnel groups only, not to standard groups' });
  });
  if (errors.length > 0) throw validationFailed(errors);
  let query = trx.selectFrom('metrics').select(['key', 'doc']).where('project_id', '=', projectId).where('key', 'in', input.map((m) => m.key));
  if (lock === 'postgres') query = query.forShare();
  const metrics = new Map((await query.execute()).map((row) => [row.key, JSON.parse(row.doc) as MetricDoc]));
  input.forEach((m, i) => {
    const metric = metrics.get(m.key);
    if (!metric) errors.push({ attribute: `metrics[${i}].key`, reason: `no metric "${m.key}" in project "${projectKey}"` });
    // LaunchDarkly: a funnel's steps are conversion (binary or count), click or page view metrics, "no custom numeric".
    else if (kind === 'funnel' && metric.kind === 'custom' && metric.isNumeric) {
      errors.push({ attribute: `metrics[${i}].key`, reason: `metric "${m.key}" is numeric; a funnel's steps are conversion, click or page view metrics` });
    }
  });
  if (errors.length > 0) throw validationFailed(errors);
  return { members: input.map((m) => (kind === 'funnel' ? { key: m.key, nameInGroup: m.nameInGroup } : { key: m.key })), metrics };
}

/**
 * MaintainerRep in both of its forms: the 2026-03 spec's `member` and the 2026-07 spec's `key`, `kind` and `_member`
 * (a group's maintainer is always a member, never a team). A maintainer no longer a member keeps its id as `key`.
 */
function maintainerRep(maintainerId: string | undefined, maintainer: MemberRow | undefined): Record<string, unknown> {
  if (!maintainer) return maintainerId ? { key: maintainerId, kind: 'member' } : {};
  const summary = memberSummary(maintainer);
  return { key: maintainer.id, kind: 'member', member: summary, _member: summary };
}

/** MetricGroupRep without the expand-only fields; member metrics come from `metrics` (key -> stored metric). */
export function representMetricGroup(
  projectKey: string,
  row: MetricGroupRow,
  doc: MetricGroupDoc,
  maintainer: MemberRow | undefined,
  metrics: Map<string, MetricDoc>,
): Record<string, unknown> {
  return {
    _id: row.id,
    key: row.key,
    name: doc.name,
    kind: doc.kind,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    _links: metricGroupLinks(projectKey, row.key),
    tags: doc.tags,
    _creationDate: doc._creationDate,
    _lastModified: doc._lastModified,
    maintainer: maintainerRep(doc.maintainerId, maintainer),
    metrics: doc.metrics.flatMap((m) => {
      const metric = metrics.get(m.key);
      return metric ? [metricInGroupRep(projectKey, m.key, metric, m.nameInGroup)] : [];
    }),
    _version: doc._version,
  };
}

/** What a JSON Patch on a group edits: the representation, with `maintainerId` and the member list as clients send them. */
export function groupPatchView(projectKey: string, row: MetricGroupRow, doc: MetricGroupDoc, maintainer: MemberRow | undefined): Record<string, unknown> {
  return {
    ...representMetricGroup(projectKey, row, doc, maintainer, new Map()),
    maintainerId: doc.maintainerId,
    metrics: doc.metrics,
  };
}

/** A patched group's writable fields, checked; clients may send member metrics as the representation shows them. */
export function patchedGroupFields(patched: Record<string, unknown>): MetricGroupFields {
  const fields: Record<string, unknown> = {};
  for (const name of WRITABLE_GROUP_FIELDS) if (patched[name] !== undefined && patched[name] !== null) fields[name] = patched[name];
  if (fields.description === '') delete fields.description;
  if (Array.isArray(fields.metrics)) {
    fields.metrics = fields.metrics.map((m) =>
      m !== null && typeof m === 'object' && !Array.isArray(m) ? Object.fromEntries(Object.entries(m).filter(([name]) => name === 'key' || name === 'nameInGroup')) : m,
    );
  }
  const errors = check(MetricGroupFields, fields);
  if (errors.length > 0) throw validationFailed(errors);
  return fields as MetricGroupFields;
}
