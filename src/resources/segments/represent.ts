// The one place that renders a segment as LaunchDarkly's REST API returns it (UserSegment), and a big segment's exports and imports.
import { link, siteLink } from '../../http/links.js';
import { exportDoc, humanSize, importDoc, type ExportRow, type ImportRow } from './bigSegmentTransfers.js';
import type { LoadedSegment, SegmentDoc } from './model.js';

export function segmentPath(projectKey: string, environmentKey: string, key?: string): string {
  return `/api/v2/segments/${projectKey}/${environmentKey}${key === undefined ? '' : `/${key}`}`;
}

/** The fields a patch may change (and what a JSON Patch view of the segment holds beside the read-only ones). */
export const WRITABLE_SEGMENT_FIELDS = ['name', 'description', 'tags', 'included', 'excluded', 'includedContexts', 'excludedContexts', 'rules'] as const;
/** Shown, and may be `test`ed or set to the value they have, but not changed. */
export const READ_ONLY_SEGMENT_FIELDS = ['key', 'creationDate', 'lastModifiedDate', 'version', 'deleted', 'generation', 'unbounded', 'unboundedContextKind'] as const;

/**
 * The editable part and the read-only fields, as a patch sees the segment. A big segment's lists and rules are empty
 * (LaunchDarkly: "either empty or omitted"): shown empty, so that Terraform's `replace` of them with [] applies.
 */
export function segmentView(key: string, doc: SegmentDoc): Record<string, unknown> {
  return {
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    tags: doc.tags,
    included: doc.included,
    excluded: doc.excluded,
    includedContexts: doc.includedContexts,
    excludedContexts: doc.excludedContexts,
    rules: doc.rules,
    key,
    creationDate: doc.creationDate,
    lastModifiedDate: doc.lastModifiedDate,
    version: doc.version,
    deleted: false,
    ...(doc.unbounded ? { generation: doc.generation, unbounded: true, unboundedContextKind: doc.unboundedContextKind } : { generation: 1, unbounded: false }),
  };
}

export interface FlagUse {
  key: string;
  name: string;
}

/**
 * A segment as UserSegment. `flags` (getSegment only, as LaunchDarkly documents `_flags`) are the flags whose
 * targeting in the environment matches on it.
 */
export function representSegment(projectKey: string, environmentKey: string, segment: LoadedSegment, flags?: FlagUse[]): Record<string, unknown> {
  const { row, doc } = segment;
  return {
    ...segmentView(row.key, doc),
    _links: {
      parent: link(segmentPath(projectKey, environmentKey)),
      self: link(segmentPath(projectKey, environmentKey, row.key)),
      site: siteLink(`/${projectKey}/${environmentKey}/segments/${row.key}`),
    },
    ...(flags
      ? {
          _flags: flags.map((flag) => ({
            name: flag.name,
            key: flag.key,
            _links: { self: link(`/api/v2/flags/${projectKey}/${flag.key}`) },
            _site: siteLink(`/${projectKey}/${environmentKey}/features/${flag.key}`),
          })),
        }
      : {}),
  };
}

const exportsPath = (projectKey: string, environmentKey: string, segmentKey: string) => `${segmentPath(projectKey, environmentKey, segmentKey)}/exports`;
const importsPath = (projectKey: string, environmentKey: string, segmentKey: string) => `${segmentPath(projectKey, environmentKey, segmentKey)}/imports`;
export const exportPath = (projectKey: string, environmentKey: string, segmentKey: string, id: string) => `${exportsPath(projectKey, environmentKey, segmentKey)}/${id}`;
export const importPath = (projectKey: string, environmentKey: string, segmentKey: string, id: string) => `${importsPath(projectKey, environmentKey, segmentKey)}/${id}`;
/** Where iterlab serves an export's file (docs/compatibility.md: a link of iterlab's, read with an access token). */
export const exportFilePath = (projectKey: string, environmentKey: string, segmentKey: string, id: string) => `${exportPath(projectKey, environmentKey, segmentKey, id)}/download`;

/** LaunchDarkly's Export: the file's size, who asked, and `_links.download` to the file. */
export function representExport(projectKey: string, environmentKey: string, segmentKey: string, row: Omit<ExportRow, 'csv'>): Record<string, unknown> {
  const doc = exportDoc(row);
  return {
    id: row.id,
    segmentKey,
    creationTime: row.created_at,
    status: doc.status,
    sizeBytes: doc.sizeBytes,
    size: humanSize(doc.sizeBytes),
    initiator: doc.initiator ?? {},
    _links: {
      self: link(exportPath(projectKey, environmentKey, segmentKey, row.id)),
      parent: link(segmentPath(projectKey, environmentKey, segmentKey)),
      download: { href: exportFilePath(projectKey, environmentKey, segmentKey, row.id), type: 'text/csv' },
    },
  };
}

/** LaunchDarkly's Import, with iterlab's counts of what it did (keyCount, addedCount, removedCount). */
export function representImport(projectKey: string, environmentKey: string, segmentKey: string, row: ImportRow): Record<string, unknown> {
  const doc = importDoc(row);
  return {
    id: row.id,
    segmentKey,
    creationTime: row.created_at,
    mode: doc.mode,
    status: doc.status,
    files: doc.files,
    keyCount: doc.keyCount,
    addedCount: doc.addedCount,
    removedCount: doc.removedCount,
    ...(doc.initiator ? { initiator: doc.initiator } : {}),
    _links: { self: link(importPath(projectKey, environmentKey, segmentKey, row.id)), parent: link(segmentPath(projectKey, environmentKey, segmentKey)) },
  };
}
