// Table tests of FDv2's payloads (payloads.ts): what a poll and a stream send, and the state that names it.
import { describe, expect, it } from 'vitest';
import type { Served, ServedItem } from './environmentData.js';
import { changesTransferred, fullTransfer, pollBody, stateOf, streamText, transferFrom, type PayloadName } from './payloads.js';
import { diffServed } from './streams.js';

const live = (key: string, version: number, body = 'x'): ServedItem => ({ version, text: `{"key":"${key}","version":${version},"b":"${body}"}` });
const archived = (version: number): ServedItem => ({ version, text: undefined });
const served = (flags: Record<string, ServedItem>, segments: Record<string, ServedItem> = {}): Served => ({
  flags: new Map(Object.entries(flags)),
  segments: new Map(Object.entries(segments)),
});
const name: PayloadName = { id: 'env-1', state: 'S1', version: 1700000000000 };
/** Events with their data parsed, as an SDK reads them. */
const parsed = (events: { event: string; data: string }[]) => events.map((e) => ({ event: e.event, data: JSON.parse(e.data) }));

describe('stateOf', () => {
  it('the same live items give the same state; a new version, body, key or kind gives another', () => {
    const base = stateOf(served({ a: live('a', 1) }, { s: live('s', 1) }));
    expect(stateOf(served({ a: live('a', 1) }, { s: live('s', 1) }))).toBe(base);
    for (const other of [
      served({ a: live('a', 2) }, { s: live('s', 1) }),
      served({ a: live('a', 1, 'y') }, { s: live('s', 1) }),
      served({ a: live('a', 1), b: live('b', 1) }, { s: live('s', 1) }),
      served({ a: live('a', 1) }),
    ]) expect(stateOf(other)).not.toBe(base);
  });

  it('tombstones are not state: SDKs do not hold them after a full payload', () => {
    expect(stateOf(served({ a: live('a', 1), gone: archived(3) }))).toBe(stateOf(served({ a: live('a', 1) })));
  });
});

describe('fullTransfer and transferFrom', () => {
  it('an intent to transfer everything, each live segment then flag, and the state it makes', () => {
    const events = fullTransfer(served({ a: live('a', 4), gone: archived(2) }, { s: live('s', 7) }), name, 'payload-missing');
    expect(parsed(events)).toEqual([
      { event: 'server-intent', data: { payloads: [{ id: 'env-1', target: name.version, intentCode: 'xfer-full', reason: 'payload-missing' }] } },
      { event: 'put-object', data: { kind: 'segment', key: 's', version: 7, object: JSON.parse(live('s', 7).text!) } },
      { event: 'put-object', data: { kind: 'flag', key: 'a', version: 4, object: JSON.parse(live('a', 4).text!) } },
      { event: 'payload-transferred', data: { state: 'S1', version: name.version, id: 'env-1' } },
    ]);
  });

  it('no basis: everything (payload-missing); a basis that is not the state: everything (stale); the state: none', () => {
    const data = served({ a: live('a', 1) });
    expect(JSON.parse(transferFrom(undefined, data, name)[0].data).payloads[0]).toMatchObject({ intentCode: 'xfer-full', reason: 'payload-missing' });
    expect(JSON.parse(transferFrom('S0', data, name)[0].data).payloads[0]).toMatchObject({ intentCode: 'xfer-full', reason: 'stale' });
    expect(parsed(transferFrom('S1', data, name))).toEqual([
      { event: 'server-intent', data: { payloads: [{ id: 'env-1', target: name.version, intentCode: 'none', reason: 'up-to-date' }] } },
    ]);
  });
});

describe('changesTransferred', () => {
  it('a changed flag is put, a deleted one deleted above what SDKs hold, then the new state', () => {
    const diff = diffServed(served({ a: live('a', 1), b: live('b', 3) }), served({ a: live('a', 2, 'y') }));
    expect(parsed(changesTransferred(diff.changes!, { ...name, state: 'S2' }))).toEqual([
      { event: 'put-object', data: { kind: 'flag', key: 'a', version: 2, object: JSON.parse(live('a', 2, 'y').text!) } },
      { event: 'delete-object', data: { kind: 'flag', key: 'b', version: 4 } },
      { event: 'payload-transferred', data: { state: 'S2', version: name.version, id: 'env-1' } },
    ]);
  });
});

describe('wire formats', () => {
  it('a poll is one JSON object of events; a stream is SSE text, one event per block', () => {
    const events = fullTransfer(served({ 'odd "key"': live('k', 1) }), name, 'stale');
    expect(JSON.parse(pollBody(events))).toEqual({ events: parsed(events) });
    expect(JSON.parse(pollBody([]))).toEqual({ events: [] });
    const text = streamText(events);
    expect(text.split('\n\n').filter(Boolean).map((block) => block.split('\n')[0])).toEqual(['event: server-intent', 'event: put-object', 'event: payload-transferred']);
    expect(JSON.parse(text.split('\n\n')[1].split('data: ')[1]).key).toBe('odd "key"');
  });
});
