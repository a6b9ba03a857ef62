// What an instance wrote today, so that rows it wrote already (most of an SDK's traffic: the same contexts, flags and
// kinds again) cost no write. `fresh` leaves those out; `remember` notes those a committed transaction wrote (one
// rolled back wrote nothing). The memory starts again on each UTC day, and when it outgrows its bound: each row it
// forgot costs one write that changes nothing.
const DAY_MS = 24 * 3_600_000;

export class WrittenToday<Row> {
  private readonly written = new Set<string>();
  private day = 0;

  /** `id` names a row as written in an environment at a time; rows with the same id are one write. */
  constructor(
    private readonly id: (environmentId: string, at: number, row: Row) => string,
    private readonly max: number,
  ) {}

  fresh(environmentId: string, at: number, rows: Iterable<Row>): Row[] {
    const day = Math.floor(at / DAY_MS);
    if (day !== this.day) {
      this.written.clear();
      this.day = day;
    }
    return [...rows].filter((row) => !this.written.has(this.id(environmentId, at, row)));
  }

  remember(environmentId: string, at: number, rows: readonly Row[]): void {
    if (this.written.size + rows.length > this.max) this.written.clear();
    for (const row of rows) this.written.add(this.id(environmentId, at, row));
  }
}
