import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../http/context.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = Date.UTC(2026, 2, 1);

describe('postCustomRole: happy path', () => {
  let s: TestServer;
  const notices: (ChangeNotice | null)[] = [];
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    s.bus.subscribe((notice) => notices.push(notice));
  });
  afterAll(() => s.close());

  it("creates the spec's example role and answers the CustomRole", async () => {
    const res = await s.post('/api/v2/roles', {
      basePermissions: 'reader',
      description: 'An example role for members of the ops team',
      key: 'role-key-123abc',
      name: 'Ops team',
      policy: [{ actions: ['updateOn'], effect: 'allow', resources: ['proj/*:env/production:flag/*'] }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _links: {
        parent: { href: '/api/v2/roles', type: 'application/json' },
        self: { href: '/api/v2/roles/role-key-123abc', type: 'application/json' },
      },
      key: 'role-key-123abc',
      name: 'Ops team',
      description: 'An example role for members of the ops team',
      policy: [{ effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['updateOn'] }],
      basePermissions: 'reader',
      resourceCategory: 'any',
      assignedTo: { membersCount: 0, teamsCount: 0 },
    });
    expect(res.body._id.slice(0, 8)).toBe(Math.floor(NOW / 1000).toString(16));
    expect((await s.get('/api/v2/roles/role-key-123abc')).body).toEqual(res.body);
    expect(notices).toContainEqual({ kind: 'custom-role', id: res.body._id });
  });

  it("takes specifiers of every resource type LaunchDarkly's docs and the Terraform provider's tests name", async () => {
    const resources = [
      // Terraform's launchdarkly_custom_role, access token and relay proxy tests, and LaunchDarkly's examples.
      'proj/*:env/production', 'proj/*:env/staging', 'proj/*:env/production:flag/*', 'proj/*;team:env/*:flag/*',
      'proj/*:env/*;{critical:true}:flag/*', 'proj/*:env/*:segment/*', 'proj/*:env/*:experiment/*', 'proj/*:env/*:holdout/*',
      'proj/*:env/*:destination/*', 'proj/*:env/*:notification-subscription/*', 'proj/*:metric/*', 'proj/*:metric-group/*',
      'proj/*:layer/*', 'proj/*:context-kind/*', 'proj/*:release-pipeline/*', 'proj/*:release-policy/*', 'proj/*:view/*',
      'proj/*:aiconfig/*', 'proj/*:env/*:aiconfig/*', 'proj/*:agent-graph/*', 'proj/*:ai-tool/*', 'proj/*:session/*',
      'proj/*:error/*', 'proj/*:log/*', 'proj/*:trace/*', 'acct', 'application/*', 'code-reference-repository/*',
      'domain-verification/*', 'integration/*', 'member/*', 'member/*:token/*', 'relay-proxy-config/*', 'role/*',
      'service-token/*', 'team/*', 'template/*', 'webhook/*', 'pending-request/*',
    ];
    const res = await s.post('/api/v2/roles', { key: 'every-type', name: 'Every type', policy: [{ effect: 'allow', resources, actions: ['*'] }, { effect: 'deny', notResources: ['proj/default:env/*:flag/*'], actions: ['deleteFlag'] }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.policy[0].resources).toEqual(resources);
  });

  it('defaults basePermissions to no_access and resourceCategory to any; keeps a resourceCategory given', async () => {
    const plain = await s.post('/api/v2/roles', { key: 'plain', name: 'Plain', policy: [{ effect: 'deny', notResources: ['proj/secret'], notActions: ['*'] }] });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ basePermissions: 'no_access', resourceCategory: 'any' });
    expect(plain.body).not.toHaveProperty('description');
    const project = await s.post('/api/v2/roles', { key: 'project-role', name: 'Project role', policy: [], resourceCategory: 'project' });
    expect(project.status).toBe(201);
    expect(project.body).toMatchObject({ resourceCategory: 'project', policy: [] });
  });

  it('stores statements normalized: only the members given, trimmed, in LaunchDarkly order', async () => {
    const res = await s.post('/api/v2/roles', {
      key: 'normal',
      name: 'Normal',
      policy: [{ actions: [' createFlag ', 'update*'], notResources: [], resources: ['proj/* '], notActions: [], effect: 'allow' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.policy).toEqual([{ effect: 'allow', resources: ['proj/*'], actions: ['createFlag', 'update*'] }]);
    expect(Object.keys(res.body.policy[0])).toEqual(['effect', 'resources', 'actions']);
  });

  it('records a createRole audit entry with the role as created', async () => {
    const res = await s.post('/api/v2/roles', { key: 'audited', name: 'Audited', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] });
    const entry = await s.store.db.selectFrom('audit_log').select(['kind', 'resource', 'token_id', 'doc']).where('resource', '=', 'role/audited').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ kind: 'role', resource: 'role/audited' });
    expect(entry.token_id).not.toBeNull();
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'createRole', name: 'Audited', description: 'created the custom role Audited', after: res.body });
  });
});
