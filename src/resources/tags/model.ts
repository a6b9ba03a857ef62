// The account's tags (getTags): every tag on a project, environment, flag, segment or metric the caller may view,
// once each, in order. Pure apart from `readTagged`, which reads the tagged resources.
import { validationFailed } from '../../http/errors.js';
import { compareText } from '../../store/reads.js';
import type { Db } from '../../store/db.js';

/** The kinds LaunchDarkly tags; iterlab has none of the last three, whose tags are always none. */
export const TAG_KINDS = ['flag', 'project', 'environment', 'segment', 'metric', 'metric-data-source', 'aiconfig', 'view'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

/** One tagged resource: its kind, its project's key, whether it is an archived flag, and its tags. */
export interface Tagged {
  kind: TagKind;
  projectKey: string;
  archived: boolean;
  tags: readonly string[];
}

export interface TagQuery {
  /** The kinds asked for; every kind when none is named. */
  kinds: ReadonlySet<TagKind>;
  /** Only tags that start with it. */
  prefix: string;
  /** Whether archived flags' tags count. */
  archived: boolean;
}

/** `kind` (repeated, or comma-separated) as a set of kinds; a kind LaunchDarkly does not tag is a 400 naming it. */
export function readKinds(raw: unknown): Set<TagKind> {
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = values.filter((v) => !(TAG_KINDS as readonly string[]).includes(v));
  if (unknown.length > 0) throw validationFailed([{ attribute: 'kind', reason: `unknown kind "${unknown[0]}"; use one of ${TAG_KINDS.join(', ')}` }]);
  return new Set(values as TagKind[]);
}

/**
 * `asOf`, a Unix time in milliseconds or an RFC 3339 date; a 400 naming it otherwise. It is only checked: iterlab
 * keeps no history of tags, so tags are always read as they are now.
 */
export function checkAsOf(raw: unknown): void {
  if (raw === undefined || raw === '') return;
  const text = String(Array.isArray(raw) ? raw[raw.length - 1] : raw).trim();
  if (/^\d{1,16}$/.test(text) || (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)))) return;
  throw validationFailed([{ attribute: 'asOf', reason: `must be a Unix time in milliseconds or an RFC 3339 date, not "${text}"` }]);
}

/** The distinct tags of the resources the query asks for, in text order. */
export function tagsOf(resources: Iterable<Tagged>, query: TagQuery): string[] {
  const found = new Set<string>();
  for (const resource of resources) {
    if (query.kinds.size > 0 && !query.kinds.has(resource.kind)) continue;
    if (resource.archived && !query.archived) continue;
    for (const tag of resource.tags) if (tag.startsWith(query.prefix)) found.add(tag);
  }
  return [...found].sort(compareText);
}

function tagList(doc: string): string[] {
  const tags = (JSON.parse(doc) as { tags?: unknown }).tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** Every tagged resource of the kinds asked for (all when none is named), each with its project's key. */
export async function readTagged(db: Db, kinds: ReadonlySet<TagKind>): Promise<Tagged[]> {
  const wants = (kind: TagKind) => kinds.size === 0 || kinds.has(kind);
  const projects = await db.selectFrom('projects').select(['id', 'key', 'doc']).execute();
  const keyOf = new Map(projects.map((p) => [p.id, p.key]));
  const out: Tagged[] = [];
  const add = (kind: TagKind, projectId: string, doc: string, archived = false) => {
    const projectKey = keyOf.get(projectId);
    if (projectKey !== undefined) out.push({ kind, projectKey, archived, tags: tagList(doc) });
  };
  if (wants('project')) for (const p of projects) add('project', p.id, p.doc);
  if (wants('environment')) for (const e of await db.selectFrom('environments').select(['project_id', 'doc']).execute()) add('environment', e.project_id, e.doc);
  if (wants('flag')) for (const f of await db.selectFrom('flags').select(['project_id', 'doc', 'archived']).execute()) add('flag', f.project_id, f.doc, Number(f.archived) !== 0);
  if (wants('metric')) for (const m of await db.selectFrom('metrics').select(['project_id', 'doc']).execute()) add('metric', m.project_id, m.doc);
  if (wants('segment')) {
    const segments = await db
      .selectFrom('segments')
      .innerJoin('environments', 'environments.id', 'segments.environment_id')
      .select(['environments.project_id as project_id', 'segments.doc as doc'])
      .execute();
    for (const s of segments) add('segment', s.project_id, s.doc);
  }
  return out;
}
