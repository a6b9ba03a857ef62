import { describe, expect, it } from 'vitest';
import { pageLinks } from './links.js';

const offsets = (links: Record<string, { href: string }>) =>
  Object.fromEntries(Object.entries(links).map(([name, l]) => [name, Number(new URL(l.href, 'http://x').searchParams.get('offset'))]));

describe('pageLinks', () => {
  it('puts `last` on the multiples of limit when offset is one', () => {
    expect(offsets(pageLinks('/p', { limit: 2, offset: 0 }, 5))).toEqual({ self: 0, next: 2, last: 4 });
    expect(offsets(pageLinks('/p', { limit: 2, offset: 2 }, 5))).toEqual({ self: 2, first: 0, prev: 0, next: 4, last: 4 });
    expect(offsets(pageLinks('/p', { limit: 2, offset: 0 }, 4))).toEqual({ self: 0, next: 2, last: 2 });
  });

  it('puts `last` where following `next` from an offset that is not a multiple of limit lands', () => {
    expect(offsets(pageLinks('/p', { limit: 2, offset: 1 }, 4))).toEqual({ self: 1, first: 0, prev: 0, next: 3, last: 3 });
    expect(offsets(pageLinks('/p', { limit: 3, offset: 1 }, 10))).toEqual({ self: 1, first: 0, prev: 0, next: 4, last: 7 });
    expect(offsets(pageLinks('/p', { limit: 3, offset: 1 }, 7))).toEqual({ self: 1, first: 0, prev: 0, next: 4, last: 4 });
  });

  it('reaches `last` by stepping `next` for every offset, limit and total', () => {
    for (let total = 0; total <= 12; total++) {
      for (let limit = 1; limit <= 5; limit++) {
        for (let offset = 0; offset < total; offset++) {
          let links = offsets(pageLinks('/p', { limit, offset }, total));
          const last = links.last;
          let at = offset;
          while (links.next !== undefined) {
            expect(links.last).toBe(last);
            at = links.next;
            links = offsets(pageLinks('/p', { limit, offset: at }, total));
          }
          // The page reached holds the final item and no next; `last` named it (or there was no next at all).
          expect(at + limit).toBeGreaterThanOrEqual(total);
          expect(last ?? at).toBe(at);
        }
      }
    }
  });

  it('gives no next or last on the final page, and a page past the end the final page as prev', () => {
    expect(offsets(pageLinks('/p', { limit: 2, offset: 3 }, 4))).toEqual({ self: 3, first: 0, prev: 1 });
    expect(offsets(pageLinks('/p', { limit: 2, offset: 10 }, 4))).toEqual({ self: 10, first: 0, prev: 2 });
  });
});
