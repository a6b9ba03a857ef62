// Property-based hostile input: the invariants every answer to a generated body must keep, and the generators
// the fuzz suites share (hostile values, raw JSON with prototype keys, mutations of a valid body).
import fc from 'fast-check';
import { digestStore } from './digest.js';
import type { RequestOptions, Response, TestServer } from './server.js';

/** `FUZZ_SEED` replays a run; `FUZZ_RUNS` scales every property's run count (e.g. 10 for a long local run). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261201);
export const FUZZ_SCALE = Number(process.env.FUZZ_RUNS ?? 1);
export const runs = (n: number) => Math.max(1, Math.round(n * FUZZ_SCALE));
/** A fuzz test's time bound: vitest.config's 30 s is for one times the runs, and grows with FUZZ_RUNS. */
export const FUZZ_TIMEOUT_MS = 30_000 * Math.max(1, FUZZ_SCALE);

/**
 * Fresh keys `prefix-000001`, `prefix-000002`… for a suite's resources. Fixed width, because suites append a
 * generated tail: `ff-8` + `6` must not make another case's `ff-86` (seed 31337 did, and the second was a 409).
 */
export function keySequence(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(6, '0')}`;
}

/** In generated objects this key stands for `__proto__`, which JSON.stringify cannot emit as an own key. */
export const PROTO = '__PROTO_KEY__';

/** The JSON text of a generated value, with the PROTO placeholder turned into a real `"__proto__"` key. */
export function rawJson(value: unknown): string {
  return JSON.stringify(value).replaceAll(`"${PROTO}"`, '"__proto__"');
}

/** What LaunchDarkly's error `code` is for each status iterlab answers with. */
const CODES: Record<number, string[]> = {
  400: ['invalid_request'],
  401: ['unauthorized'],
  403: ['forbidden'],
  404: ['not_found'],
  409: ['conflict', 'optimistic_locking_error'],
  413: ['request_entity_too_large'],
  422: ['patch_failed'],
};

function prototypeSnapshot(): string {
  const names = Object.getOwnPropertyNames(Object.prototype).sort();
  const enumerable: string[] = [];
  for (const key in {}) enumerable.push(key);
  return JSON.stringify([names, enumerable, Object.getPrototypeOf(Object.prototype)]);
}
const PRISTINE_PROTOTYPE = prototypeSnapshot();

export function prototypePolluted(): boolean {
  return prototypeSnapshot() !== PRISTINE_PROTOTYPE || ({} as Record<string, unknown>).polluted !== undefined;
}

/**
 * Messages iterlab gives word for word as LaunchDarkly does, because migration tools match on them
 * (docs/compatibility.md, Metrics): they name the field only in errors[].attribute.
 */
const LAUNCHDARKLY_VERBATIM = /^Randomization unit ".*" not found in project settings \[[^\]]*\]$/s;

/** Each way an error answer departs from LaunchDarkly's shape (empty when it conforms). */
export function errorShapeProblems(res: Response): string[] {
  const problems: string[] = [];
  const body = res.body as { code?: unknown; message?: unknown; errors?: unknown } | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [`${res.status} body is not an object: ${JSON.stringify(body)?.slice(0, 200)}`];
  if (typeof body.code !== 'string' || typeof body.message !== 'string' || body.message === '') {
    return [`${res.status} body is not {code, message}: ${JSON.stringify(body).slice(0, 300)}`];
  }
  const codes = CODES[res.status];
  if (codes && !codes.includes(body.code)) problems.push(`${res.status} with code "${body.code}", expected ${codes.join(' or ')}`);
  if (res.status === 400) {
    const errors = body.errors;
    if (!Array.isArray(errors) || errors.length === 0) {
      problems.push(`400 names no field (no errors[]): ${JSON.stringify(body).slice(0, 300)}`);
    } else {
      for (const e of errors as { attribute?: unknown; reason?: unknown }[]) {
        if (typeof e?.attribute !== 'string' || e.attribute === '') problems.push(`400 errors[] entry without an attribute: ${JSON.stringify(e).slice(0, 200)}`);
        else if (!body.message.includes(e.attribute) && !LAUNCHDARKLY_VERBATIM.test(body.message)) problems.push(`400 message does not mention attribute "${e.attribute}": ${body.message.slice(0, 300)}`);
        if (typeof e?.reason !== 'string' || e.reason === '') problems.push(`400 errors[] entry without a reason: ${JSON.stringify(e).slice(0, 200)}`);
      }
    }
  }
  return problems;
}

export type Expectation = 'success' | 'refusal' | 'any';

interface EndpointStats {
  bodies: number;
  accepted: number;
  statuses: Map<number, number>;
}

/**
 * Sends generated bodies and checks the invariants on every answer: never a 5xx; an error is {code, message} in
 * LaunchDarkly's shape and a 400 names its field; a refused request leaves the store byte for byte as it was;
 * Object.prototype stays clean. Findings are collected (all of them, not only the first) with the body that caused them.
 */
export class Fuzzer {
  readonly failures: string[] = [];
  readonly stats = new Map<string, EndpointStats>();

  constructor(private readonly s: TestServer) {}

  async send(endpoint: string, method: string, path: string, options: RequestOptions & { expect?: Expectation; label?: string } = {}): Promise<Response> {
    const stats = this.stats.get(endpoint) ?? { bodies: 0, accepted: 0, statuses: new Map() };
    this.stats.set(endpoint, stats);
    stats.bodies += 1;
    const before = await digestStore(this.s.store);
    const res = await this.s.request(method, path, options);
    stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
    if (res.status < 300) stats.accepted += 1;
    const sent = (options.raw ?? JSON.stringify(options.body) ?? '').slice(0, res.status >= 500 ? 4000 : 600);
    const where = `${endpoint}${options.label ? ` [${options.label}]` : ''}: ${method} ${path.slice(0, 100)} ${sent}`;
    const fail = (problem: string) => this.failures.push(`${where}\n    -> ${problem}`);
    if (res.status >= 500) fail(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    else if (res.status >= 400) {
      for (const problem of errorShapeProblems(res)) fail(problem);
      if ((await digestStore(this.s.store)) !== before) fail(`refused with ${res.status} but the store changed`);
    }
    if (options.expect === 'success' && res.status >= 300) fail(`a valid body was refused: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
    if (options.expect === 'refusal' && res.status < 400) fail(`an invalid body was accepted with ${res.status}`);
    if (prototypePolluted()) fail('Object.prototype was polluted');
    return res;
  }

  /** One line per endpoint: bodies generated, accepted, and the statuses seen. */
  report(suite: string): string {
    const lines = [...this.stats].map(([endpoint, st]) => {
      const statuses = [...st.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
      return `  ${endpoint}: ${st.bodies} bodies generated, ${st.accepted} accepted (${statuses})`;
    });
    return `${suite} (seed ${FUZZ_SEED}):\n${lines.join('\n')}`;
  }

  take(): string[] {
    return this.failures.splice(0, this.failures.length);
  }
}

/** Runs a property over `runs` generated values without shrinking; the Fuzzer collects what went wrong. */
export async function forEachGenerated<T>(arb: fc.Arbitrary<T>, numRuns: number, act: (value: T) => Promise<void>, seedOffset = 0): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (value) => {
      await act(value);
    }),
    { numRuns, seed: FUZZ_SEED + seedOffset, endOnFailure: true },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Hostile values

/** Strings that have broken servers: odd Unicode, NUL, prototype names, numbers and literals as text, injections. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\ud800',
  'a\udfffb',
  '\udc00\ud800',
  '\u202eevil\u202c',
  'עברית ومرحبا',
  'zero\u200bwidth\u200d\ufeff',
  '🚀👩‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0308\u0338',
  '\u0000',
  'a\u0000b',
  '\u001f\u007f',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '50',
  '-1',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  'null',
  'true',
  'undefined',
  '{}',
  '[]',
  '{"a":1}',
  "'; drop table flags; --",
  '%00',
  '%s%n',
  '${7*7}',
  '../../etc/passwd',
  '\\',
  '"',
  'fallthrough',
  'user',
  'production',
];

export const oddString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(70_000, 1025, 257, 8193).map((n) => 'x'.repeat(n)) },
);

export const oddNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 99.999, 100, 100.0001, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324, 1e21),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Nested arrays/objects `depth` levels deep around `inner`. */
export function nested(depth: number, inner: unknown = 1, asObject = false): unknown {
  let out = inner;
  for (let i = 0; i < depth; i++) out = asObject ? { a: out } : [out];
  return out;
}

export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: oddString },
  { weight: 3, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], [[]], [{}]) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(20, 98, 99, 150).chain((d) => fc.boolean().map((o) => nested(d, 'deep', o))) },
  { weight: 1, arbitrary: fc.constantFrom({ [PROTO]: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, { constructor: 'x', prototype: 1 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('a', 1, null), { minLength: 200, maxLength: 2000 }) },
);

/** Keys for extra fields: prototype names (as real keys in the raw JSON), odd Unicode, near-misses of real fields. */
export const oddKey = fc.oneof(
  fc.constantFrom(PROTO, 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', '', ' ', '\u202ekey', '🚀', 'a.b', 'a/b', '~1', '$ref', 'key ', 'Key', '_id', '_links', '_version'),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

// ---------------------------------------------------------------------------------------------------------
// Mutations of a valid body: reach deep validation with bodies that are almost right.

export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'swapType'; at: number }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'emptyContainer'; at: number }
  | { kind: 'duplicate'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: oddValue }),
  fc.record({ kind: fc.constant('swapType' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extra' as const), at: fc.nat(), key: oddKey, value: oddValue }),
  fc.record({ kind: fc.constant('emptyContainer' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
);

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
}

function slots(node: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(node)) node.forEach((child, i) => (out.push({ parent: node, key: i }), slots(child, out)));
  else if (node !== null && typeof node === 'object') for (const [k, child] of Object.entries(node)) (out.push({ parent: node as Container, key: k }), slots(child, out));
  return out;
}

function containers(node: unknown, out: Container[] = []): Container[] {
  if (Array.isArray(node)) (out.push(node), node.forEach((child) => containers(child, out)));
  else if (node !== null && typeof node === 'object') (out.push(node as Container), Object.values(node).forEach((child) => containers(child, out)));
  return out;
}

/** Numbers become strings and strings numbers ("50" <-> 50), booleans become "true", the rest becomes its JSON text. */
export function swapType(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value.length;
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return JSON.stringify(value);
}

const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/**
 * Applies the mutations to a deep copy of `base`; positions wrap around the slots the body has at that moment.
 * Inserted values are copies too: generators hand out shared constants, which must never be mutated (or made cyclic).
 */
export function mutate(base: unknown, mutations: Mutation[]): unknown {
  const root = { body: copy(base) };
  for (const original of mutations) {
    const m = 'value' in original ? { ...original, value: copy(original.value) } : original;
    if (m.kind === 'extra') {
      const all = containers(root.body);
      if (all.length === 0) continue;
      const target = all[m.at % all.length];
      if (Array.isArray(target)) target.push(m.value);
      else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const all = slots(root.body);
    if (all.length === 0) continue;
    const { parent, key } = all[m.at % all.length];
    const current = (parent as Record<string | number, unknown>)[key];
    switch (m.kind) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
        break;
      case 'replace':
        (parent as Record<string | number, unknown>)[key] = m.value;
        break;
      case 'swapType':
        (parent as Record<string | number, unknown>)[key] = swapType(current);
        break;
      case 'emptyContainer':
        (parent as Record<string | number, unknown>)[key] = Array.isArray(current) ? [] : current !== null && typeof current === 'object' ? {} : '';
        break;
      case 'duplicate':
        if (Array.isArray(parent)) parent.splice(key as number, 0, JSON.parse(JSON.stringify(current ?? null)));
        else if (Array.isArray(current)) current.push(JSON.parse(JSON.stringify(current[0] ?? null)));
        break;
    }
  }
  return root.body;
}

/** A string with odd but storable Unicode: no NUL (refused at the edge), lone surrogates, RTL, zero-width, emoji allowed. */
export const storableText = (maxLength: number, minLength = 0) =>
  fc
    .oneof(
      fc.string({ unit: 'grapheme', minLength, maxLength }),
      fc.string({ unit: 'binary', minLength, maxLength }),
      fc.constantFrom('\ud800', 'a\udfffb', '\u202eevil\u202c', 'zero\u200bwidth\u200d', '🚀👩‍👩‍👧‍👦', 'עברית', '__proto__', 'constructor', '50').filter((v) => v.length >= minLength),
    )
    .map((v) => v.replaceAll('\u0000', ''))
    .filter((v) => v.length >= minLength && v.length <= maxLength);

/** A tag LaunchDarkly stores: letters, digits, '.', '_' and '-', 1 to maxLength (at most 64) characters. */
export const tagText = (maxLength = 64) => fc.stringMatching(new RegExp(`^[A-Za-z0-9._-]{1,${Math.min(maxLength, 64)}}$`));
