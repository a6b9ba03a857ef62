// The requirements of routes whose resource depends on what the store says of the target (access.ts looks it up):
// which kind of token, and whose; which key a role named by `_id` has.
import { describe, expect, it } from 'vitest';
import { resourceName } from './policy.js';
import { routeAccess, type RouteRequest } from './routeActions.js';

function needs(request: Partial<RouteRequest> & Pick<RouteRequest, 'method' | 'url'>): string[][] {
  const access = routeAccess({ params: {}, body: undefined, memberId: 'm1', ...request });
  return (access?.requirements ?? []).map((alternatives) => alternatives.map((n) => `${n.action} ${resourceName(n.resource)}`));
}

const SERVICE = { token: { serviceToken: true, ownerId: 'm2' } };
const PERSONAL = { token: { serviceToken: false, ownerId: 'm2' } };

describe('routeActions: the targeted resource', () => {
  it('a service token is only service-token/{id}; a personal token only member/{its owner}:token/{id}', () => {
    const reset = { method: 'POST', url: '/api/v2/tokens/:id/reset', params: { id: 't1' } };
    expect(needs({ ...reset, target: SERVICE })).toEqual([['resetAccessToken service-token/t1']]);
    expect(needs({ ...reset, target: PERSONAL })).toEqual([['resetAccessToken member/m2:token/t1']]);
    const del = { method: 'DELETE', url: '/api/v2/tokens/:id', params: { id: 't1' } };
    expect(needs({ ...del, target: SERVICE })).toEqual([['deleteAccessToken service-token/t1']]);
    const patch = { method: 'PATCH', url: '/api/v2/tokens/:id', params: { id: 't1' }, body: [{ op: 'replace', path: '/name', value: 'x' }] };
    expect(needs({ ...patch, target: PERSONAL })).toEqual([['updateAccessTokenName member/m2:token/t1']]);
    const read = needs({ method: 'GET', url: '/api/v2/tokens/:id', params: { id: 't1' }, target: SERVICE });
    expect(read).toHaveLength(1);
    expect(read[0].every((need) => need.endsWith(' service-token/t1'))).toBe(true);
  });

  it('a token the store does not hold may be either kind, the caller’s: its route answers 404', () => {
    expect(needs({ method: 'POST', url: '/api/v2/tokens/:id/reset', params: { id: 't1' } })).toEqual([['resetAccessToken service-token/t1', 'resetAccessToken member/m1:token/t1']]);
  });

  it('a role named by _id is role/{its key}', () => {
    const params = { customRoleKey: '0123456789abcdef01234567' };
    expect(needs({ method: 'DELETE', url: '/api/v2/roles/:customRoleKey', params, target: { roleKey: 'ops' } })).toEqual([['deleteRole role/ops']]);
    expect(needs({ method: 'PATCH', url: '/api/v2/roles/:customRoleKey', params, body: {}, target: { roleKey: 'ops' } })).toEqual([['updatePolicy role/ops']]);
    expect(needs({ method: 'DELETE', url: '/api/v2/roles/:customRoleKey', params })).toEqual([['deleteRole role/0123456789abcdef01234567']]);
  });
});
