// Views as the operations answer them: the rows with their maintainers and, as `expand` asks, the flags, segments and
// AI Configs linked to them, read once for a whole page.
import type { Db, Trx } from '../../store/db.js';
import { linkedAIConfigs, linkedFlags, linkedSegments, type LinkedAIConfig, type LinkedFlag, type LinkedSegment } from './linked.js';
import { loadMaintainers, viewDoc, type ViewRow } from './model.js';
import { linkedNeeded, representView, type ViewPlace } from './represent.js';

function byView<T extends { viewId: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(item.viewId, [...(out.get(item.viewId) ?? []), item]);
  return out;
}

export async function representViews(db: Db | Trx, rows: readonly ViewRow[], place: ViewPlace, expand: ReadonlySet<string> = new Set()): Promise<Record<string, unknown>[]> {
  const needed = linkedNeeded(expand);
  const ids = rows.map((row) => row.id);
  const flags: LinkedFlag[] = needed.flags ? await linkedFlags(db, ids, needed.flagDocs) : [];
  const segments: LinkedSegment[] = needed.segments ? await linkedSegments(db, ids, needed.segmentDocs) : [];
  const aiConfigs: LinkedAIConfig[] = needed.aiConfigs ? await linkedAIConfigs(db, ids, needed.aiConfigRows) : [];
  // The views' maintainers, and the expanded flags' (each ExpandedFlag names its own).
  const maintainers = await loadMaintainers(db, [...rows.map(viewDoc), ...flags.flatMap((flag) => (flag.doc ? [flag.doc] : []))]);
  const flagsOf = byView(flags);
  const segmentsOf = byView(segments);
  const aiConfigsOf = byView(aiConfigs);
  return rows.map((row) => representView(row, place, { maintainers, expand, flags: flagsOf.get(row.id) ?? [], segments: segmentsOf.get(row.id) ?? [], aiConfigs: aiConfigsOf.get(row.id) ?? [] }));
}

export async function representOneView(db: Db | Trx, row: ViewRow, place: ViewPlace, expand?: ReadonlySet<string>): Promise<Record<string, unknown>> {
  return (await representViews(db, [row], place, expand))[0];
}
