// When each access token was last used (Token.lastUsed). Noted in memory by the edge on every authenticated request,
// shown at once by this instance, and written into the tokens' documents now and then and when the app closes: a
// write per request would cost the API more than the field is worth.
import type { Store } from '../../store/db.js';
import type { TokenDoc } from './tokens.js';

export class TokenUsage {
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout | undefined;

  /** `flushEveryMs` 0 writes only when asked (flush, close). */
  constructor(
    private readonly store: Store,
    flushEveryMs: number,
  ) {
    if (flushEveryMs > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => {}), flushEveryMs);
      this.timer.unref();
    }
  }

  note(tokenId: string, at: number): void {
    const known = this.pending.get(tokenId);
    if (known === undefined || at > known) this.pending.set(tokenId, at);
  }

  /** The latest use this instance has not written yet, if any. */
  unwritten(tokenId: string): number | undefined {
    return this.pending.get(tokenId);
  }

  /** Writes the uses noted so far; a use later than the stored one wins, whichever instance noted it. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.tx(async (trx) => {
        // In id order, so that two instances lock the rows they share in one order.
        for (const [id, at] of [...batch].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          let query = trx.selectFrom('tokens').select('doc').where('id', '=', id);
          if (this.store.kind === 'postgres') query = query.forUpdate();
          const row = await query.executeTakeFirst();
          if (!row) continue;
          const doc = JSON.parse(row.doc) as TokenDoc;
          if (doc.lastUsed !== undefined && doc.lastUsed >= at) continue;
          await trx.updateTable('tokens').set({ doc: JSON.stringify({ ...doc, lastUsed: at }) }).where('id', '=', id).execute();
        }
      });
    } catch (err) {
      // Kept for the next flush.
      for (const [id, at] of batch) this.note(id, at);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
