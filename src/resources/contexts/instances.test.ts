// The instances a payload's contexts are: fully qualified keys and ids as the SDKs compute them, anonymous kinds left
// out, the application an SDK says it runs in.
import { describe, expect, it } from 'vitest';
import { applicationIdOf, fullyQualifiedKey, instanceIdOf, kindsSeen, seenInstance, seenInstances } from './instances.js';

describe('context instances', () => {
  it('fully qualified keys: a user its key alone, other kinds kind:key, a multi-context in kind order; % and : escaped', () => {
    expect(fullyQualifiedKey([{ kind: 'user', key: 'sandy' }])).toBe('sandy');
    expect(fullyQualifiedKey([{ kind: 'org', key: 'launchdarkly' }])).toBe('org:launchdarkly');
    expect(fullyQualifiedKey([{ kind: 'user', key: 'henry' }, { kind: 'org', key: 'a:b%c' }])).toBe('org:a%3Ab%25c:user:henry');
    expect(instanceIdOf([{ kind: 'org', key: 'launchdarkly' }])).toBe('b3JnOmxhdW5jaGRhcmtseQ');
  });

  it('a context without a kind is a user; anonymous contexts are not instances; a multi-context drops its anonymous kinds', () => {
    expect(seenInstance({ key: 'kai', name: 'Kai' }, 'app', 5)).toMatchObject({ context: { kind: 'user', key: 'kai', name: 'Kai' }, kinds: [{ kind: 'user', key: 'kai' }], lastSeen: 5 });
    expect(seenInstance({ kind: 'user', key: 'a', anonymous: true }, 'app', 5)).toBeUndefined();
    expect(seenInstance({ kind: 'multi', user: { key: 'a', anonymous: true } }, 'app', 5)).toBeUndefined();
    const multi = seenInstance({ kind: 'multi', user: { key: 'h' }, org: { key: 'o', name: 'O' }, device: { key: 'd', anonymous: true } }, 'app', 5)!;
    expect(multi).toMatchObject({ anonymousKinds: ['device'], kinds: [{ kind: 'org', key: 'o' }, { kind: 'user', key: 'h' }], context: { kind: 'multi', user: { key: 'h' }, org: { key: 'o', name: 'O' } } });
    // Left with one kind, it is that kind's context.
    expect(seenInstance({ kind: 'multi', org: { key: 'o' }, device: { key: 'd', anonymous: true } }, 'app', 5)).toMatchObject({ context: { kind: 'org', key: 'o' }, anonymousKinds: ['device'], instanceId: instanceIdOf([{ kind: 'org', key: 'o' }]) });
    for (const notAContext of [null, 'x', [], { kind: 'user' }, { kind: 'user', key: '' }, { kind: 'user', key: 7 }]) expect(seenInstance(notAContext, 'app', 5)).toBeUndefined();
  });

  it('a payload gives each instance once, as last seen in it', () => {
    const events = [{ context: { key: 'a', v: 1 } }, { context: { key: 'a', v: 2 } }, { contextKeys: { user: 'b' } }, { context: { key: 'a', v: 0 } }];
    const times = [10, 30, 40, 20];
    const seen = seenInstances(events, 'app', (i) => times[i]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ lastSeen: 30, context: { v: 2 } });
  });

  it("an older SDK's `user` (event schema 3) is a user context: custom attributes among the others, privateAttrs redacted", () => {
    const events = [
      { kind: 'index', user: { key: 'old', name: 'Old', custom: { plan: 'pro', name: 'shadowed', kind: 'x' }, privateAttrs: ['email'] } },
      { kind: 'custom', userKey: 'other' },
      { kind: 'identify', user: { key: 'anon', anonymous: true } },
    ];
    const seen = seenInstances(events, 'app', () => 7);
    expect(seen).toEqual([
      { instanceId: instanceIdOf([{ kind: 'user', key: 'old' }]), applicationId: 'app', kinds: [{ kind: 'user', key: 'old' }], anonymousKinds: [], lastSeen: 7, context: { kind: 'user', key: 'old', name: 'Old', plan: 'pro', _meta: { redactedAttributes: ['email'] } } },
    ]);
    expect([...kindsSeen(events, () => 7).keys()]).toEqual(['user']);
  });

  it("applicationId: the application-id tag, else the SDK's user agent, else nothing", () => {
    expect(applicationIdOf({ 'x-launchdarkly-tags': 'application-id/web-app application-version/2', 'user-agent': 'NodeJSClient/9.1' })).toBe('web-app');
    expect(applicationIdOf({ 'user-agent': 'NodeJSClient/9.13.7' })).toBe('NodeJSClient/9.13.7');
    expect(applicationIdOf({ 'x-launchdarkly-user-agent': 'JSClient/3.4.0', 'user-agent': 'Mozilla/5.0 (X11)' })).toBe('JSClient/3.4.0');
    expect(applicationIdOf({})).toBe('');
  });
});
