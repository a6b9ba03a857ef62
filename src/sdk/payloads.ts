// FDv2, the server-side SDKs' newer data protocol (GET /sdk/poll, GET /sdk/stream), which the Node SDK uses when
// an app sets its `dataSystem` option (the option its documentation recommends). A payload is a `server-intent`,
// the objects (`put-object`, `delete-object`) and a `payload-transferred` naming the state the SDK then holds; the
// SDK sends that state back as `basis` when it polls, and is told `none` while it is still current. A stream is
// always sent everything: the SDK reconnects it with the basis it first opened it with, which may name data the
// SDK no longer holds (see transferFrom).
import crypto from 'node:crypto';
import { allData, type Served } from './environmentData.js';

/** One item as SDKs are to hold it after a change: its JSON, or a tombstone (`text` undefined) at `version`. */
export interface ServedChange {
  kind: keyof Served;
  key: string;
  version: number;
  text: string | undefined;
}

/** One FDv2 event: its name and its data as JSON text (objects are the served JSON, never parsed again). */
export interface Fdv2Event {
  event: string;
  data: string;
}

/** What names a payload: the environment, the state the SDK sends back as `basis`, and the payload's version. */
export interface PayloadName {
  id: string;
  state: string;
  version: number;
}

/** FDv2 names the kinds in the singular. */
const OBJECT_KIND: Record<keyof Served, string> = { flags: 'flag', segments: 'segment' };
/** Segments first, as on the FDv1 stream (the SDK applies a payload whole, so this is only for readers). */
const KINDS: (keyof Served)[] = ['segments', 'flags'];

/**
 * The state of what an environment serves: a digest of its live flags' and segments' JSON. Every instance computes
 * the same state for the same data, so an SDK's `basis` is understood wherever it reconnects.
 */
export function stateOf(served: Served): string {
  return crypto.createHash('sha256').update(allData(served)).digest('base64url');
}

/** The state an SDK says it holds (`?basis=`); an empty or repeated one names no state, so it is sent everything. */
export function basisOf(query: Record<string, unknown>): string | undefined {
  return typeof query.basis === 'string' && query.basis !== '' ? query.basis : undefined;
}

const intent = (name: PayloadName, intentCode: 'xfer-full' | 'none', reason: string): Fdv2Event => ({
  event: 'server-intent',
  data: JSON.stringify({ payloads: [{ id: name.id, target: name.version, intentCode, reason }] }),
});

const putObject = (kind: keyof Served, key: string, version: number, text: string): Fdv2Event => ({
  event: 'put-object',
  data: `{"kind":"${OBJECT_KIND[kind]}","key":${JSON.stringify(key)},"version":${version},"object":${text}}`,
});

const deleteObject = (kind: keyof Served, key: string, version: number): Fdv2Event => ({
  event: 'delete-object',
  data: JSON.stringify({ kind: OBJECT_KIND[kind], key, version }),
});

const transferred = (name: PayloadName): Fdv2Event => ({
  event: 'payload-transferred',
  data: JSON.stringify({ state: name.state, version: name.version, id: name.id }),
});

/** Everything the environment serves, replacing whatever the SDK held (tombstones are not sent: a full payload drops them). */
export function fullTransfer(served: Served, name: PayloadName, reason: 'payload-missing' | 'stale' | 'cant-catchup'): Fdv2Event[] {
  const events = [intent(name, 'xfer-full', reason)];
  for (const kind of KINDS) {
    for (const [key, item] of served[kind]) if (item.text !== undefined) events.push(putObject(kind, key, item.version, item.text));
  }
  events.push(transferred(name));
  return events;
}

/** The SDK's basis is current: nothing to transfer. */
export function upToDate(name: PayloadName): Fdv2Event[] {
  return [intent(name, 'none', 'up-to-date')];
}

/** The answer to a poll: `none` when the SDK's basis names the current state, else everything. */
export function transferFrom(basis: string | undefined, served: Served, name: PayloadName): Fdv2Event[] {
  if (basis === name.state) return upToDate(name);
  return fullTransfer(served, name, basis === undefined ? 'payload-missing' : 'stale');
}

/**
 * The start of a stream: everything, whatever its basis. The SDK builds a stream's URL once and reconnects to it, so
 * a reconnect's basis is the state from when the stream first opened. A state is a digest of data, so it comes back
 * when the data does (a flag created, then deleted): that basis could look current while the SDK holds the flag, or
 * tombstones a new stream knows nothing of. No history is kept to catch up from, hence `cant-catchup`.
 */
export function streamStart(basis: string | undefined, served: Served, name: PayloadName): Fdv2Event[] {
  return fullTransfer(served, name, basis === undefined ? 'payload-missing' : 'cant-catchup');
}

/** Changes on an open stream, after its intent: each item put or deleted, then the new state. */
export function changesTransferred(changes: readonly ServedChange[], name: PayloadName): Fdv2Event[] {
  const events = changes.map((c) => (c.text === undefined ? deleteObject(c.kind, c.key, c.version) : putObject(c.kind, c.key, c.version, c.text)));
  events.push(transferred(name));
  return events;
}

/** Events as an event stream's text. */
export function streamText(events: readonly Fdv2Event[]): string {
  return events.map((e) => `event: ${e.event}\ndata: ${e.data}\n\n`).join('');
}

/** Events as a poll's JSON body. */
export function pollBody(events: readonly Fdv2Event[]): string {
  return `{"events":[${events.map((e) => `{"event":"${e.event}","data":${e.data}}`).join(',')}]}`;
}
