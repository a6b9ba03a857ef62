// Table tests of what a stream is sent when the environment's flags and segments change (changes()).
import { describe, expect, it } from 'vitest';
import type { Served, ServedItem } from './environmentData.js';
import { changes } from './streams.js';

const live = (version: number, body = 'x'): ServedItem => ({ version, text: `{"key":"k","version":${version},"b":"${body}"}` });
const archived = (version: number): ServedItem => ({ version, text: undefined });
const items = (entries: Record<string, ServedItem>) => new Map(Object.entries(entries));
/** Flags only, or flags and segments. */
const served = (flags: Record<string, ServedItem>, segments: Record<string, ServedItem> = {}): Served => ({ flags: items(flags), segments: items(segments) });
const names = (events: string[]) => events.map((e) => e.split('\n')[0]);

describe('changes', () => {
  it('nothing changed: nothing sent', () => {
    expect(changes(served({ a: live(1) }, { s: live(1) }), served({ a: live(1) }, { s: live(1) })).events).toEqual([]);
  });

  it('a higher version: one patch of that flag', () => {
    const { events } = changes(served({ a: live(1), b: live(3) }), served({ a: live(2, 'y'), b: live(3) }));
    expect(events).toEqual([`event: patch\ndata: {"path":"/flags/a","data":${live(2, 'y').text}}\n\n`]);
  });

  it('a new flag: a patch', () => {
    expect(names(changes(served({}), served({ a: live(1) })).events)).toEqual(['event: patch']);
  });

  it('a deleted flag: a delete one above its version, remembered as a tombstone', () => {
    const out = changes(served({ a: live(4) }), served({}));
    expect(out.events).toEqual(['event: delete\ndata: {"path":"/flags/a","version":5}\n\n']);
    expect(out.served.flags.get('a')).toEqual(archived(5));
  });

  it('an archived flag: a delete above what the SDK held', () => {
    expect(changes(served({ a: live(4) }), served({ a: archived(5) })).events).toEqual(['event: delete\ndata: {"path":"/flags/a","version":5}\n\n']);
    expect(changes(served({ a: live(4) }), served({ a: archived(4) })).events).toEqual(['event: delete\ndata: {"path":"/flags/a","version":5}\n\n']);
  });

  it('a flag back above its tombstone: a patch', () => {
    expect(names(changes(served({ a: archived(5) }), served({ a: live(6) })).events)).toEqual(['event: patch']);
  });

  it('a flag back at or below what the SDK holds (deleted and created again): one put of everything', () => {
    const now = served({ a: live(1, 'new'), b: live(2) });
    for (const before of [served({ a: archived(5), b: live(2) }), served({ a: live(3), b: live(2) }), served({ a: live(1, 'old'), b: live(2) })]) {
      const out = changes(before, now);
      expect(names(out.events)).toEqual(['event: put']);
      expect(JSON.parse(out.events[0].split('data: ')[1])).toEqual({ path: '/', data: { flags: { a: JSON.parse(live(1, 'new').text!), b: JSON.parse(live(2).text!) }, segments: {} } });
      expect(out.served).toEqual(now);
    }
  });

  it('segments: a patch and a delete at /segments/{key}', () => {
    const out = changes(served({}, { s: live(1), t: live(2) }), served({}, { s: live(2, 'y') }));
    expect(out.events).toEqual([`event: patch\ndata: {"path":"/segments/s","data":${live(2, 'y').text}}\n\n`, 'event: delete\ndata: {"path":"/segments/t","version":3}\n\n']);
    expect(out.served.segments.get('t')).toEqual(archived(3));
  });

  it('a segment and a flag that starts matching on it: the segment is sent first', () => {
    const out = changes(served({ a: live(1) }), served({ a: live(2, 'y') }, { s: live(1) }));
    expect(out.events.map((e) => JSON.parse(e.split('data: ')[1]).path)).toEqual(['/segments/s', '/flags/a']);
  });

  it('a segment created again below its tombstone: one put, with the segments', () => {
    const now = served({ a: live(1) }, { s: live(1, 'new') });
    const out = changes(served({ a: live(1) }, { s: archived(4) }), now);
    expect(names(out.events)).toEqual(['event: put']);
    expect(JSON.parse(out.events[0].split('data: ')[1]).data.segments).toEqual({ s: JSON.parse(live(1, 'new').text!) });
    expect(out.served).toEqual(now);
  });
});
