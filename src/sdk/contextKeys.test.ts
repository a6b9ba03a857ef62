// The context keys taken out of each event at intake (what results match units by).
import { describe, expect, it } from 'vitest';
import { contextKeys } from './postEvents.js';

describe('contextKeys', () => {
  it('single-kind, multi-kind, kind-less (a user) and older contextKeys; none without a key', () => {
    expect(contextKeys({ kind: 'custom', context: { kind: 'org', key: 'o1', name: 'Acme' } })).toEqual({ org: 'o1' });
    expect(contextKeys({ kind: 'custom', context: { kind: 'multi', user: { key: 'u1' }, org: { key: 'o1' } } })).toEqual({ user: 'u1', org: 'o1' });
    expect(contextKeys({ kind: 'custom', context: { key: 'u1' } })).toEqual({ user: 'u1' });
    expect(contextKeys({ kind: 'feature', contextKeys: { user: 'u1', device: 7 } })).toEqual({ user: 'u1' });
    // Event schema 3 (SDKs from before contexts): the user inline (inlineUsersInEvents), or its key alone.
    expect(contextKeys({ kind: 'feature', user: { key: 'u1', country: 'NZ' } })).toEqual({ user: 'u1' });
    expect(contextKeys({ kind: 'custom', userKey: 'u2', contextKind: 'anonymousUser' } as never)).toEqual({ user: 'u2' });
    expect(contextKeys({ kind: 'summary' })).toBeUndefined();
    expect(contextKeys({ kind: 'custom', context: { kind: 'user' } })).toBeUndefined();
    expect(contextKeys({ kind: 'custom', context: [] })).toBeUndefined();
  });
});
