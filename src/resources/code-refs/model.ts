// Code references, as ld-find-code-refs reports them: repositories (where to link to, which branch is the default),
// each repository's branches with the flag references found in them, and extinctions (the revision that removed a
// flag's last reference). Stored one row per repository, branch and extinction.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, validationFailed } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { CodeRefBranchesTable, CodeRefRepositoriesTable } from '../../store/schema.js';

export type RepositoryRow = CodeRefRepositoriesTable;
export type BranchRow = CodeRefBranchesTable;

export const REPOSITORY_TYPES = ['bitbucket', 'custom', 'github', 'gitlab'] as const;

export interface RepositoryDoc {
  sourceLink?: string;
  commitUrlTemplate?: string;
  hunkUrlTemplate?: string;
  type: (typeof REPOSITORY_TYPES)[number];
  defaultBranch: string;
  enabled: boolean;
}

export interface Hunk {
  startingLineNumber: number;
  lines?: string;
  projKey: string;
  flagKey: string;
  aliases?: string[];
}

export interface Reference {
  path: string;
  hint?: string;
  hunks: Hunk[];
}

export interface BranchDoc {
  head: string;
  updateSequenceId?: number;
  syncTime: number;
  commitTime?: number;
  references: Reference[];
}

const Text = Type.String({ maxLength: 2048 });
/** A repository's name is a path segment of its URL: no slash, and not "." or ".." (which URLs resolve away). */
export const RepositoryName = Type.String({ minLength: 1, maxLength: 256, pattern: '^(?!\\.\\.?$)[^/]+$' });
const RepositoryType = Type.Union(REPOSITORY_TYPES.map((t) => Type.Literal(t)));

export const RepositoryPost = Type.Object(
  {
    name: RepositoryName,
    sourceLink: Type.Optional(Text),
    commitUrlTemplate: Type.Optional(Text),
    hunkUrlTemplate: Type.Optional(Text),
    // ld-find-code-refs sends "" for a default branch it was not given: the default, as for one left out.
    type: Type.Optional(RepositoryType),
    defaultBranch: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type RepositoryPost = Static<typeof RepositoryPost>;

/** What a patched repository must be: the members a patch may change. */
export const PatchedRepository = Type.Object({
  sourceLink: Type.Optional(Text),
  commitUrlTemplate: Type.Optional(Text),
  hunkUrlTemplate: Type.Optional(Text),
  type: RepositoryType,
  defaultBranch: Type.String({ minLength: 1, maxLength: 256 }),
  enabled: Type.Boolean(),
});
export const WRITABLE_REPOSITORY_FIELDS = ['sourceLink', 'commitUrlTemplate', 'hunkUrlTemplate', 'type', 'defaultBranch', 'enabled'];
export const READ_ONLY_REPOSITORY_FIELDS = ['name', 'version', '_links', 'branches'];

const UnixMillis = Type.Integer({ minimum: 0, maximum: 8.64e15 });
/** Integers clients read back exactly (the spec's int64, as JSON numbers JavaScript and Go both decode). */
const SAFE = Number.MAX_SAFE_INTEGER;
const HunkBody = Type.Object({
  startingLineNumber: Type.Integer({ minimum: 0, maximum: SAFE }),
  lines: Type.Optional(Type.String({ maxLength: 100_000 })),
  projKey: Type.String({ minLength: 1, maxLength: 256 }),
  flagKey: Type.String({ minLength: 1, maxLength: 256 }),
  aliases: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 1000 })),
  // ld-find-code-refs sends a hash of each hunk's lines; LaunchDarkly's HunkRep does not show it.
  contentHash: Type.Optional(Type.String({ maxLength: 256 })),
});
/**
 * The most UTF-8 bytes of a branch name: its key, with the repository's name (at most 256 characters), must fit one
 * PostgreSQL btree index row (2704 bytes). 1,024 ASCII characters, fewer of others (341 CJK).
 */
export const BRANCH_NAME_MAX_BYTES = 1024;

/** Why `name` cannot name a branch beyond the schema's checks (too many bytes), or undefined. */
export function branchNameProblem(name: string): string | undefined {
  const bytes = Buffer.byteLength(name);
  return bytes > BRANCH_NAME_MAX_BYTES ? `must be at most ${BRANCH_NAME_MAX_BYTES} bytes of UTF-8, not ${bytes}` : undefined;
}

export const BranchPut = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 1024 }),
  head: Type.String({ minLength: 1, maxLength: 256 }),
  updateSequenceId: Type.Optional(Type.Integer({ minimum: -SAFE, maximum: SAFE })),
  syncTime: UnixMillis,
  // Older ld-find-code-refs sends commitTime as an RFC 3339 time, the spec as Unix milliseconds: either is taken.
  commitTime: Type.Optional(Type.Union([UnixMillis, Type.String({ maxLength: 64 })])),
  references: Type.Optional(
    Type.Array(Type.Object({ path: Type.String({ minLength: 1, maxLength: 4096 }), hint: Type.Optional(Type.String({ maxLength: 256 })), hunks: Type.Array(HunkBody) })),
  ),
});
export type BranchPut = Static<typeof BranchPut>;

export const ExtinctionListPost = Type.Array(
  Type.Object({
    revision: Type.String({ minLength: 1, maxLength: 256 }),
    message: Type.String({ maxLength: 100_000 }),
    time: UnixMillis,
    flagKey: Type.String({ minLength: 1, maxLength: 256 }),
    projKey: Type.String({ minLength: 1, maxLength: 256 }),
  }),
  { maxItems: 10_000 },
);
export type ExtinctionListPost = Static<typeof ExtinctionListPost>;

export function repositoryDoc(row: Pick<RepositoryRow, 'doc'>): RepositoryDoc {
  return JSON.parse(row.doc) as RepositoryDoc;
}

export function branchDoc(row: Pick<BranchRow, 'doc'>): BranchDoc {
  return JSON.parse(row.doc) as BranchDoc;
}

/** A repository by name (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findRepository(db: Db | Trx, name: string, lock?: Pick<Store, 'kind'>): Promise<RepositoryRow> {
  let query = db.selectFrom('code_ref_repositories').selectAll().where('name', '=', name);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Repository "${name}"`);
  return row;
}

/** The branch as stored from a PUT body: hunks without ld-find-code-refs' contentHash, commitTime in milliseconds. */
export function branchFromPut(body: BranchPut): BranchDoc {
  const commitTime = typeof body.commitTime === 'string' ? Date.parse(body.commitTime) : body.commitTime;
  if (commitTime !== undefined && !Number.isFinite(commitTime)) throw validationFailed([{ attribute: 'commitTime', reason: 'must be a Unix time in milliseconds or an RFC 3339 time' }]);
  return {
    head: body.head,
    ...(body.updateSequenceId !== undefined ? { updateSequenceId: body.updateSequenceId } : {}),
    syncTime: body.syncTime,
    ...(commitTime !== undefined ? { commitTime } : {}),
    references: (body.references ?? []).map((ref) => ({
      path: ref.path,
      ...(ref.hint !== undefined ? { hint: ref.hint } : {}),
      hunks: ref.hunks.map(({ contentHash: _hash, ...hunk }) => hunk),
    })),
  };
}

/** The references with only the hunks of `projKey` and `flagKey` (when given); references left without a hunk go. */
export function referencesOf(doc: BranchDoc, filter: { projKey?: string; flagKey?: string }): Reference[] {
  if (filter.projKey === undefined && filter.flagKey === undefined) return doc.references;
  return doc.references
    .map((ref) => ({ ...ref, hunks: ref.hunks.filter((h) => (filter.projKey === undefined || h.projKey === filter.projKey) && (filter.flagKey === undefined || h.flagKey === filter.flagKey)) }))
    .filter((ref) => ref.hunks.length > 0);
}
