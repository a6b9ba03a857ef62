// The FDv2 state of each environment's served data, as the last poll computed it, so that a poll whose basis is
// still current is answered `none` without reading every flag. Any change the bus reports for a project (this
// instance's writes and every other's) forgets its environments' states; a state read while a change came in is
// not kept, since it may predate the change. While the bus is deaf (its LISTEN connection lost), nothing is known
// or kept: another instance's writes would go unheard.
import type { ChangeNotice } from '../http/context.js';
import type { ChangeBus } from '../store/changes.js';
import { affectsServed } from './streams.js';

interface Known {
  projectId: string;
  state: string;
}

export class PayloadStates {
  private readonly known = new Map<string, Known>();
  /** Counts the changes heard: a state computed across one is not kept. */
  private changes = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly bus: ChangeBus) {
    this.unsubscribe = bus.subscribe((notice) => this.changed(notice));
  }

  /** The state of the environment's data now, if a poll computed it since the last change (and the bus hears changes). */
  current(environmentId: string): string | undefined {
    return this.bus.live ? this.known.get(environmentId)?.state : undefined;
  }

  /** Where a read starts: pass it to `remember` with what it computed. */
  mark(): number {
    return this.changes;
  }

  /** Keeps the state a read that started at `mark` computed, unless a change was heard since. */
  remember(environmentId: string, projectId: string, state: string, mark: number): void {
    if (mark === this.changes && this.bus.live) this.known.set(environmentId, { projectId, state });
  }

  close(): void {
    this.unsubscribe();
    this.known.clear();
  }

  private changed(notice: ChangeNotice | null): void {
    if (notice !== null && !affectsServed(notice)) return;
    this.changes += 1;
    if (notice === null || notice.projectId === undefined) {
      this.known.clear();
      return;
    }
    for (const [environmentId, known] of this.known) if (known.projectId === notice.projectId) this.known.delete(environmentId);
  }
}
