// Code references' statistics: for each flag, per repository, how many hunks and files of its default branch refer
// to it, and that branch's commit time.
import { link } from '../../http/links.js';
import type { Db } from '../../store/db.js';
import { branchDoc, repositoryDoc } from './model.js';
import { byText } from '../../store/reads.js';
import { repositoryPath } from './represent.js';

export interface FlagStatistic {
  projKey: string;
  flagKey: string;
  rep: Record<string, unknown>;
}

/** One StatisticRep per flag and repository whose default branch refers to it, by repository name. One query. */
export async function codeRefStatistics(db: Db): Promise<FlagStatistic[]> {
  // Each branch with its repository: a repository without branches has no default branch to count.
  const rows = await db
    .selectFrom('code_ref_branches as b')
    .innerJoin('code_ref_repositories as r', 'r.name', 'b.repo_name')
    .select(['r.name as name', 'r.doc as repoDoc', 'r.version as version', 'b.name as branch', 'b.doc as branchDoc'])
    .execute();
  const out: FlagStatistic[] = [];
  for (const row of byText(rows, 'name')) {
    const repo = { name: row.name, version: row.version };
    const doc = repositoryDoc({ doc: row.repoDoc });
    if (row.branch !== doc.defaultBranch) continue;
    const branch = { doc: row.branchDoc };
    const branchData = branchDoc(branch);
    const counts = new Map<string, { projKey: string; flagKey: string; hunks: number; files: Set<string> }>();
    for (const ref of branchData.references) {
      for (const hunk of ref.hunks) {
        const id = `${hunk.projKey}\u0000${hunk.flagKey}`;
        let count = counts.get(id);
        if (!count) counts.set(id, (count = { projKey: hunk.projKey, flagKey: hunk.flagKey, hunks: 0, files: new Set() }));
        count.hunks += 1;
        count.files.add(ref.path);
      }
    }
    for (const count of counts.values()) {
      out.push({
        projKey: count.projKey,
        flagKey: count.flagKey,
        rep: {
          name: repo.name,
          type: doc.type,
          sourceLink: doc.sourceLink ?? '',
          defaultBranch: doc.defaultBranch,
          enabled: doc.enabled,
          version: Number(repo.version),
          hunkCount: count.hunks,
          fileCount: count.files.size,
          _links: { self: link(repositoryPath(repo.name)) },
          ...(branchData.commitTime !== undefined ? { latestCommitTime: branchData.commitTime } : {}),
        },
      });
    }
  }
  return out;
}
