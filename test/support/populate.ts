// A store filled through the API with values chosen to catch lossy copies, plus whatever the spec's examples create.
import { expect } from 'vitest';
import { seeApplication } from './applications.js';
import { populateFromSpecExamples } from './crawl.js';
import { BETA } from './experimentRefs.js';
import { createHoldout } from './holdouts.js';
import type { TestServer } from './server.js';
import { formUpload } from './upload.js';

/**
 * Unicode, quotes, control characters, long text, integers, booleans, a deleted token, many rows; then every
 * POST/PUT route's spec example. Returns how many spec examples created something.
 */
export async function populate(s: TestServer): Promise<number> {
  const ok = async (p: Promise<{ status: number; body: any }>) => {
    const res = await p;
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  await ok(s.post('/api/v2/projects', { key: 'shop', name: 'Shop «ünïcødé» 🚀 "quoted" \\ back\\slash', tags: ['a', 'b'], includeInSnippetByDefault: true }));
  await ok(
    s.post('/api/v2/projects', {
      key: 'mobile',
      name: 'M'.repeat(1024),
      environments: [
        { key: 'prod', name: 'Prod', color: 'ABCDEF', defaultTtl: 60, secureMode: true, tags: ['x'], critical: true },
        { key: 'dev', name: 'Dev\nline two\ttab', color: '000000', confirmChanges: true, requireComments: true },
      ],
    }),
  );
  await ok(s.post('/api/v2/projects/shop/environments', { key: 'staging', name: 'Staging', color: '123456', defaultTrackEvents: true }));
  await ok(s.put('/api/v2/projects/shop/context-kinds/device', { name: 'Device', description: 'ドキュメント', hideInTargeting: true }));
  await ok(s.put('/api/v2/projects/shop/context-kinds/device', { name: 'Device v2' }));
  await ok(s.put('/api/v2/projects/shop/experimentation-settings', { randomizationUnits: [{ randomizationUnit: 'org' }, { randomizationUnit: 'user', default: true }] }));
  // Segments (not created by any spec example): targets of several kinds, rules, and a flag whose targeting uses one.
  await ok(s.post('/api/v2/segments/shop/production', { key: 'beta-testers', name: 'Beta «testers» 🚀', description: 'line one\nline two', tags: ['beta', 'u.v_w-x'] }));
  await ok(
    s.patch('/api/v2/segments/shop/production/beta-testers', {
      comment: 'targets and a rule',
      patch: [
        { op: 'replace', path: '/included', value: ['user-1', 'user-"2"'] },
        { op: 'replace', path: '/excluded', value: ['user-3'] },
        { op: 'replace', path: '/includedContexts', value: [{ contextKind: 'device', values: ['d-1', 'd-2'] }] },
        { op: 'add', path: '/rules/-', value: { description: 'Staff', weight: 50000, rolloutContextKind: 'user', clauses: [{ attribute: 'email', op: 'endsWith', values: ['@shop.example'], negate: false }] } },
      ],
    }),
  );
  await ok(s.post('/api/v2/segments/shop/staging', { key: 'beta-testers', name: 'Same key, other environment' }));
  await ok(s.post('/api/v2/segments/mobile/prod', { key: 'empty', name: 'Empty' }));
  // A big segment, its targets in their own table (a key both included and excluded, as LaunchDarkly allows).
  await ok(s.post('/api/v2/segments/shop/production', { key: 'big-devices', name: 'Big «devices»', unbounded: true, unboundedContextKind: 'device' }));
  await ok(s.post('/api/v2/segments/shop/production/big-devices/contexts', { included: { add: ['dev-ü', 'dev 2'] }, excluded: { add: ['dev 2', 'dev-x'] } }));
  await ok(s.post('/api/v2/flags/shop', { key: 'segment-gated', name: 'Segment gated' }));
  await ok(
    s.patch('/api/v2/flags/shop/segment-gated', [
      { op: 'add', path: '/environments/production/rules/-', value: { variation: 0, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta-testers'], negate: false }] } },
    ]),
  );
  // Holdouts (postHoldout has no spec example): one running with an experiment in it, its flag a prerequisite of the
  // experiment's flag; the same key in another environment (sharing the holdout flag), ended before it held any.
  await createHoldout(s, 'shop', 'production', 'q3-holdout', { name: 'Q3 «holdout» 🚀', description: 'line one\nline two "quoted"', start: true });
  await createHoldout(s, 'shop', 'staging', 'q3-holdout', { name: 'Same key, other environment', withoutMember: true });
  await ok(s.patch('/api/v2/projects/shop/environments/staging/holdouts/q3-holdout', { comment: 'never used', instructions: [{ kind: 'endHoldout' }] }, { headers: { 'LD-API-Version': 'beta' } }));
  const doomed = await ok(s.post('/api/v2/tokens', { name: 'deleted', role: 'writer' }));
  await ok(s.del(`/api/v2/tokens/${doomed._id}`));
  await ok(s.post('/api/v2/tokens', { name: 'kept', description: 'd'.repeat(4096), role: 'reader', defaultApiVersion: 20220603 }));
  // Custom roles, one held by a token and one of its specifiers filtering on tags and an attribute; an inline role.
  const role = await ok(
    s.post('/api/v2/roles', {
      key: 'shop-experimenter',
      name: 'Shop «experimenter»',
      description: 'runs experiments',
      basePermissions: 'reader',
      policy: [
        { effect: 'allow', resources: ['proj/shop:env/*;{critical:true}:experiment/*'], actions: ['*'] },
        { effect: 'deny', notResources: ['proj/shop;retail'], actions: ['viewProject'] },
      ],
    }),
  );
  await ok(s.post('/api/v2/tokens', { name: 'experimenter', customRoleIds: [role._id] }));
  await ok(s.post('/api/v2/tokens', { name: 'toggler', inlineRole: [{ effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['updateOn'] }] }));
  // Code references: a repository with a branch of references (a path and lines with odd characters) and an extinction.
  await ok(s.post('/api/v2/code-refs/repositories', { name: 'web', type: 'github', sourceLink: 'https://github.com/example/web' }));
  await ok(s.put(`/api/v2/code-refs/repositories/web/branches/${encodeURIComponent('feature/ü')}`, { name: 'feature/ü', head: 'a94a8fe5', updateSequenceId: 3, syncTime: Date.UTC(2026, 0, 1), references: [{ path: 'src/ä b.ts', hint: 'typescript', hunks: [{ startingLineNumber: 7, lines: "if (flag('segment-gated')) {\n  «go» 🚀\n}", projKey: 'shop', flagKey: 'segment-gated', aliases: ['SegmentGated'] }] }] }));
  await ok(s.post(`/api/v2/code-refs/repositories/web/branches/${encodeURIComponent('feature/ü')}/extinction-events`, [{ revision: 'r1', message: 'Remove "old" flag\nsecond line', time: Date.UTC(2026, 0, 2), flagKey: 'old', projKey: 'shop' }]));
  // Flag links: one with a key, title and description, one with a timestamp of its own.
  await ok(s.post('/api/v2/flag-links/projects/shop/flags/segment-gated', { key: 'ticket', deepLink: 'https://example.com/tickets/1?a=1&b=«2»', title: 'Ticket', description: 'line one\nline two' }, { headers: { 'LD-API-Version': 'beta' } }));
  await ok(s.post('/api/v2/flag-links/projects/shop/flags/segment-gated', { deepLink: 'https://example.com/doc', timestamp: Date.UTC(2020, 1, 29) }, { headers: { 'LD-API-Version': 'beta' } }));
  // A big segment's import (a file in replace mode) and export; an OAuth 2.0 client, patched; announcements, one
  // open-ended.
  const upload = formUpload([{ name: 'file', value: 'dev-ü\n"dev, 3"\n', filename: 'devices «ü».csv' }, { name: 'mode', value: 'replace' }]);
  await ok(s.request('POST', '/api/v2/segments/shop/production/big-devices/imports', upload));
  await ok(s.post('/api/v2/segments/shop/production/big-devices/exports', undefined));
  const client = await ok(s.post('/api/v2/oauth/clients', { name: 'Portal «ü» 🚀', redirectUri: 'https://portal.example.com/oauth', description: 'line one\nline two' }));
  await ok(s.patch(`/api/v2/oauth/clients/${client._clientId}`, [{ op: 'replace', path: '/name', value: 'Portal «v2»' }]));
  // SDK keys beside the environment's own: a server-side one with an expiry (renamed since), a mobile one. The IP
  // allowlist: an IPv4 block and an IPv6 one, the session setting on (token enforcement stays off: the crawl comes
  // from anywhere).
  await ok(s.post('/api/v2/projects/shop/environments/production/sdk-keys', { key: 'billing-service', name: 'Billing «service»', description: 'line one\nline two', expiry: Date.UTC(2100, 0, 1) }, BETA));
  await ok(s.patch('/api/v2/projects/shop/environments/production/sdk-keys/billing-service', { name: 'Billing «service» v2' }, BETA));
  await ok(s.post('/api/v2/projects/shop/environments/production/sdk-keys', { key: 'ios', name: 'iOS 🚀', kind: 'mobile' }, BETA));
  await ok(s.post('/api/v2/account/ip-allowlist', { ipAddress: '203.0.113.0/24', description: 'Office «HQ»' }, BETA));
  await ok(s.post('/api/v2/account/ip-allowlist', { ipAddress: '2001:db8::/32' }, BETA));
  await ok(s.patch('/api/v2/account/ip-allowlist', { sessionAllowlistEnabled: true }, BETA));
  await ok(s.post('/api/v2/announcements', { title: 'Maintenance «ü»', message: '**Important:** line one\nline two', severity: 'warning', isDismissible: true, startTime: Date.UTC(2026, 0, 1), endTime: Date.UTC(2026, 0, 2) }));
  await ok(s.post('/api/v2/announcements', { title: 'Holidays', message: 'Happy holidays 🚀', severity: 'info', isDismissible: false, startTime: Date.UTC(2099, 0, 1) }));
  // Relay Proxy configurations: one with its key reset and the old one kept until an expiry (both kept as hashes).
  const relay = await ok(s.post('/api/v2/account/relay-auto-configs', { name: 'Relay «prod» 🚀', policy: [{ effect: 'allow', resources: ['proj/*;retail:env/production'], actions: ['*'] }] }));
  await ok(s.post(`/api/v2/account/relay-auto-configs/${relay._id}/reset?expiry=${Date.UTC(2099, 0, 1)}`, undefined));
  await ok(s.post('/api/v2/account/relay-auto-configs', { name: 'empty', policy: [] }));
  // Data Export destinations: one with secrets and a list in its config, updated once; the account's Snowflake key pair
  // and a destination naming its public key.
  const mparticle = await ok(s.post('/api/v2/destinations/shop/production', { name: 'mParticle «prod» 🚀', kind: 'mparticle', config: { apiKey: 'key-ü', secret: 'sécret "quoted"', environment: 'production', userIdentities: [{ ldContextKind: 'user', mparticleUserIdentity: 'customer_id' }] }, on: true }));
  await ok(s.patch(`/api/v2/destinations/shop/production/${mparticle._id}`, [{ op: 'replace', path: '/on', value: false }]));
  const keyPair = await ok(s.post('/api/v2/destinations/generate-warehouse-destination-key-pair', undefined));
  await ok(s.post('/api/v2/destinations/shop/staging', { kind: 'snowflake-v2', config: { publicKey: keyPair.public_key, snowflakeHostAddress: 'acme.snowflakecomputing.com' } }));
  // An environment's own key pair and a Snowflake setup completed with it; a Redshift setup still waiting.
  const setup = await ok(s.post('/api/v2/destinations/projects/shop/environments/production/kinds/snowflake-v2/setup', { snowflakeHostAddress: 'acme.snowflakecomputing.com' }));
  await ok(s.post('/api/v2/destinations/projects/shop/environments/production/kinds/snowflake-v2/complete-setup', { publicKey: setup.publicKey }));
  await ok(s.post('/api/v2/destinations/projects/shop/environments/staging/kinds/redshift/setup', { clusterIdentifier: 'analytics', clusterRegion: 'us-west-2', clusterAwsAccountId: '123456789012' }));
  // Audit log subscriptions: one with a secret, defaults and statements, one with only what is required.
  await ok(s.post('/api/v2/integrations/datadog', { name: 'Datadog «prod»', on: true, tags: ['ops'], config: { apiKey: 'dd-secret' }, statements: [{ effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['*'] }] }));
  await ok(s.post('/api/v2/integrations/msteams', { name: 'Teams', config: { url: 'https://outlook.office.com/webhook/populate' } }));
  // Integration configurations (beta), an edge delivery configuration and a flag import configuration with a job run.
  await ok(s.post('/api/v2/integration-configurations/keys/datadog', { name: 'Datadog «config»', enabled: true, tags: ['ops'], configValues: { apiKey: 'dd-config-secret' }, capabilityConfig: { auditLogEventsHook: { statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] } } }, BETA));
  await ok(s.post('/api/v2/integration-configurations/keys/custom-approvals', { name: 'Approvals', configValues: { apiKey: 'k', baseURL: 'https://approvals.example' }, capabilityConfig: { approvals: { additionalFormVariables: [{ key: 'ticket', name: 'Ticket', type: 'string' }] } } }, BETA));
  await ok(s.post('/api/v2/integration-capabilities/featureStore/shop/production/cloudflare', { name: 'Workers «KV»', on: true, config: { accountId: 'a', namespaceId: 'n', apiToken: 'cf-secret' } }, BETA));
  const splitImport = await ok(s.post('/api/v2/integration-capabilities/flag-import/shop/split', { config: { workspaceApiKey: 'split-secret', workspaceId: 'w', environmentId: 'e', ldApiKey: 'ld-secret' } }, BETA));
  await ok(s.post(`${splitImport._links.self.href}/trigger`, undefined, BETA));
  // Applications: one an SDK named with a version and reported a flag evaluation for, patched; one without a version.
  const shopKey = (await ok(s.get('/api/v2/projects/shop/environments/production'))).apiKey;
  const tags = { 'X-LaunchDarkly-Tags': 'application-id/cafe.app application-name/Cafe application-version/1.0 application-version-name/one' };
  await ok(s.post('/bulk', [{ kind: 'summary', startDate: 1, endDate: 2, features: { 'segment-gated': { default: false, counters: [{ value: true, count: 1 }] } } }], { token: shopKey, headers: tags }));
  await seeApplication(s, shopKey, tags['X-LaunchDarkly-Tags']);
  await seeApplication(s, shopKey, 'application-id/bare');
  await ok(s.patch('/api/v2/applications/cafe.app', [{ op: 'replace', path: '/description', value: 'Café «app» 🚀' }], BETA));
  await ok(s.patch('/api/v2/applications/cafe.app/versions/1.0', [{ op: 'replace', path: '/supported', value: false }], BETA));
  // Release pipelines (the first the project's default, one legacy), a flag's release with a phase begun (its segment
  // rule added) and two release policies, reordered.
  const pipeline = await ok(
    s.post(
      '/api/v2/projects/shop/release-pipelines',
      {
        key: 'standard',
        name: 'Standard «pipeline» 🚀',
        description: 'line one\nline two',
        tags: ['web'],
        phases: [
          { name: 'Beta', audiences: [{ environmentKey: 'production', name: 'Beta «testers»', segmentKeys: ['beta-testers'], configuration: { releaseStrategy: 'monitoredRelease', requireApproval: false, releaseGuardianConfiguration: { monitoringWindowMilliseconds: 60000, rolloutWeight: 50, rollbackOnRegression: true } } }] },
          { name: 'Everyone', audiences: [{ environmentKey: 'production', name: 'Everyone' }, { environmentKey: 'staging', name: 'Staging' }] },
        ],
      },
      BETA,
    ),
  );
  await ok(s.post('/api/v2/projects/shop/release-pipelines', { key: 'legacy', name: 'Legacy', isLegacy: true, phases: [{ name: 'Only', audiences: [{ environmentKey: 'staging', name: 'Staging' }] }] }, BETA));
  const release = await ok(s.put('/api/v2/projects/shop/flags/segment-gated/release', { releasePipelineKey: pipeline.key }, BETA));
  await ok(s.put(`/api/v2/projects/shop/flags/segment-gated/release/phases/${release.phases[0]._id}`, { status: 'Started' }, BETA));
  await ok(s.post('/api/v2/projects/shop/release-policies', { key: 'guarded', name: 'Guarded «prod»', releaseMethod: 'guarded-release', scope: { environmentKeys: ['production'], flagTagKeys: ['u.v_w-x'] }, guardedReleaseConfig: { rollbackOnRegression: true, stages: [{ allocation: 25000, durationMillis: 60000 }] } }, BETA));
  await ok(s.post('/api/v2/projects/shop/release-policies', { key: 'progressive', name: 'Progressive', releaseMethod: 'progressive-release' }, BETA));
  await ok(s.post('/api/v2/projects/shop/release-policies/order', ['progressive', 'guarded'], BETA));
  // AI Configs: a model config, restricted with a global one; a config with a variation in two versions, targeted in
  // production; its events as the AI SDK tracks them.
  await ok(s.post('/api/v2/projects/shop/ai-configs/model-configs', { key: 'house-llm', name: 'House «LLM» 🚀', id: 'house-1', provider: 'Acme', params: { temperature: 0.5 }, costPerInputToken: 0.000001 }));
  await ok(s.post('/api/v2/projects/shop/ai-configs/model-configs/restricted', { keys: ['OpenAI.gpt-4o'] }));
  const aiConfig = await ok(s.post('/api/v2/projects/shop/ai-configs', { key: 'assistant', name: 'Assistant «ü»', tags: ['ai'], defaultVariation: { key: 'v1', name: 'First', messages: [{ role: 'system', content: 'Hi {{ldctx.name}} "quoted"\nline two' }], modelConfigKey: 'house-llm' } }));
  await ok(s.patch('/api/v2/projects/shop/ai-configs/assistant/variations/v1', { messages: [{ role: 'system', content: 'Brief 🚀' }], comment: 'shorter' }));
  await ok(s.patch('/api/v2/projects/shop/ai-configs/assistant/targeting', { environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: aiConfig.variations[0]._id }] }));
  await ok(s.post('/bulk', [{ kind: 'custom', key: '$ld:ai:tokens:input', creationDate: Date.UTC(2026, 0, 1), context: { kind: 'user', key: 'ada' }, data: { configKey: 'assistant', variationKey: 'v1', version: 2 }, metricValue: 12 }], { token: shopKey }));
  // Views: one linking a flag and segments of two environments (a big segment among them), updated; one archived.
  const environments = (await ok(s.get('/api/v2/projects/shop/environments'))).items as { key: string; _id: string }[];
  const envId = (key: string) => environments.find((e) => e.key === key)!._id;
  await ok(s.post('/api/v2/projects/shop/views', { key: 'checkout-squad', name: 'Checkout «squad» 🚀', description: 'line one\nline two "quoted"', tags: ['u.v_w-x', 'team'], generateSdkKeys: true }, BETA));
  await ok(s.post('/api/v2/projects/shop/views/checkout-squad/link/flags', { keys: ['segment-gated'], comment: 'by «populate»' }, BETA));
  await ok(s.post('/api/v2/projects/shop/views/checkout-squad/link/segments', { segmentIdentifiers: [{ environmentId: envId('production'), segmentKey: 'beta-testers' }, { environmentId: envId('production'), segmentKey: 'big-devices' }, { environmentId: envId('staging'), segmentKey: 'beta-testers' }] }, BETA));
  await ok(s.patch('/api/v2/projects/shop/views/checkout-squad', { description: 'Ünïcødé', maintainerId: (await ok(s.get('/api/v2/members/me')))._id }, BETA));
  await ok(s.post('/api/v2/projects/shop/views', { key: 'archived-view', name: 'Archived' }, BETA));
  await ok(s.patch('/api/v2/projects/shop/views/archived-view', [{ op: 'replace', path: '/archived', value: true }], BETA));
  // The AI library: a tool with a second version and a team as maintainer, a prompt snippet with a second version and
  // tags, an agent graph with a handoff and one with metadata only.
  await ok(s.post('/api/v2/teams', { key: 'ai-maintainers', name: 'AI «maintainers» 🚀' }));
  await ok(s.post('/api/v2/projects/shop/ai-tools', { key: 'lookup', description: 'Look up «ünïcødé» "quoted"', schema: { type: 'object', properties: { sku: { type: 'string' } } }, customParameters: { big: 2 ** 53 - 1, nested: [true, null, 'x'] } }));
  await ok(s.patch('/api/v2/projects/shop/ai-tools/lookup', { description: 'line one\nline two', maintainerTeamKey: 'ai-maintainers' }));
  await ok(s.post('/api/v2/projects/shop/ai-configs/prompt-snippets', { key: 'voice', name: 'Voice 🚀', text: 'Be «brief».\n\t{{ldctx.key}}' }));
  await ok(s.patch('/api/v2/projects/shop/ai-configs/prompt-snippets/voice', { text: 'Be «brief», "quoted".', tags: ['u.v_w-x', 'persona'], maintainerTeamKey: 'ai-maintainers' }));
  await ok(s.post('/api/v2/projects/shop/ai-configs', { key: 'billing-bot', name: 'Billing «bot»' }));
  await ok(s.post('/api/v2/projects/shop/agent-graphs', { key: 'triage', name: 'Triage', rootConfigKey: 'assistant', edges: [{ key: 'to-billing', sourceConfig: 'assistant', targetConfig: 'billing-bot', handoff: { route: 'billing «€»' } }] }, BETA));
  await ok(s.post('/api/v2/projects/shop/agent-graphs', { key: 'draft', name: 'Draft graph', description: 'metadata only' }, BETA));
  // Agent optimizations: one of an agent with a judge, updated to version 2, with a run that passed (its winner
  // committed as a new variation) and one still running on version 1; one with metadata only.
  await ok(s.post('/api/v2/projects/shop/ai-configs', { key: 'helper-agent', name: 'Helper «agent»', mode: 'agent', defaultVariation: { key: 'base', name: 'Base', instructions: 'Help «{{ldctx.name}}» 🚀' } }));
  await ok(s.post('/api/v2/projects/shop/ai-configs', { key: 'tone-judge', name: 'Tone judge', mode: 'judge', evaluationMetricKey: '$ld:ai:judge:tone' }));
  const optimizations = '/api/v2/projects/shop/agent-optimizations';
  await ok(s.post(optimizations, { key: 'helper-tuning', aiConfigKey: 'helper-agent', maxAttempts: 4, judgeModel: 'OpenAI.gpt-4o-mini', modelChoices: ['OpenAI.gpt-4o', 'house-llm'], variableChoices: [{ name: 'Ünïcødé' }], acceptanceStatements: [{ statement: 'Says "hello"\nthen helps', threshold: 0.75 }], judges: [{ key: 'tone-judge', threshold: 0.9 }], userInputOptions: ['«Hi» 🚀'], groundTruthResponses: ['Hello!'], variationKey: 'base', label: 'Tuning «€»', tokenOptimization: true, autoCommit: false }));
  const runOnVersion1 = '3f8c2b1a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
  await ok(s.post(`${optimizations}/helper-tuning/results`, { runId: runOnVersion1, agentOptimizationVersion: 1, iteration: 0, instructions: 'Help', userInput: '«Hi» 🚀' }));
  await ok(s.patch(`${optimizations}/helper-tuning`, { maxAttempts: 6, tokenLimit: 2 ** 31 }));
  const passingRun = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
  await ok(s.post(`${optimizations}/helper-tuning/results`, { runId: passingRun, agentOptimizationVersion: 2, iteration: 0, instructions: 'Help «more»', userInput: '«Hi» 🚀', parameters: { temperature: 0.2 } }));
  const winner = await ok(s.post(`${optimizations}/helper-tuning/results`, { runId: passingRun, agentOptimizationVersion: 2, iteration: 1, instructions: 'Greet, then help', userInput: '«Hi» 🚀' }));
  await ok(s.post('/api/v2/projects/shop/ai-configs/helper-agent/variations', { key: 'optimized', name: 'Optimized', instructions: 'Greet, then help' }));
  await ok(s.patch(`${optimizations}/helper-tuning/results/${winner.id}`, { status: 'PASSED', activity: 'COMPLETED', completionResponse: 'Hello! «€»\nHow can I help?', scores: { 'tone-judge': { score: 0.95, rationale: 'warm "and" brief' } }, generationLatency: 1200, generationTokens: { total: 90 }, evaluationLatencies: { 'tone-judge': 310.5 }, evaluationTokens: { 'tone-judge': { total: 40 } }, variation: { instructions: 'Greet, then help', modelConfigKey: 'house-llm' }, createdVariationKey: 'optimized' }));
  await ok(s.post(optimizations, { key: 'bare', aiConfigKey: 'helper-agent', maxAttempts: 1, judgeModel: 'gpt-4o' }));
  // Engineering insights: a deployment CI reported with a pull request in its metadata, started and finished; a
  // repository associated with the project; an insight group of some applications.
  const deployment = { projectKey: 'shop', environmentKey: 'production', applicationKey: 'billing', applicationName: 'Billing «€» 🚀', version: '1.2.3' };
  await ok(s.post('/api/v2/engineering-insights/deployment-events', { ...deployment, eventType: 'started', eventTime: Date.UTC(2026, 0, 3), deploymentMetadata: { buildNumber: '«7»', pullRequests: [{ externalId: '42', title: 'Ünïcødé "quoted"\nline two', author: 'ada', createTime: Date.UTC(2026, 0, 2), mergeTime: Date.UTC(2026, 0, 2, 12), flagReferences: [{ flagKey: 'segment-gated', referencesAdded: 1 }] }] } }, BETA));
  await ok(s.post('/api/v2/engineering-insights/deployment-events', { ...deployment, eventType: 'finished', eventTime: Date.UTC(2026, 0, 3, 1) }, BETA));
  await ok(s.put('/api/v2/engineering-insights/repositories/projects', { mappings: [{ repositoryKey: 'web', projectKey: 'shop' }] }, BETA));
  await ok(s.post('/api/v2/engineering-insights/insights/group', { key: 'prod-billing', name: 'Production «billing»', projectKey: 'shop', environmentKey: 'production', applicationKeys: ['billing', 'ü'] }, BETA));
  for (let i = 0; i < 30; i++) await ok(s.post('/api/v2/projects', { key: `bulk-${String(i).padStart(2, '0')}`, name: `Bulk ${i}` }));
  // A follower: a row that references a flag, an environment and a member at once.
  const me = await ok(s.get('/api/v2/members/me'));
  await ok(s.put(`/api/v2/projects/shop/flags/segment-gated/environments/production/followers/${me._id}`, undefined));
  // Approval settings, and approval requests with a review (one applied), their reviews kept in the request's doc.
  await ok(s.patch('/api/v2/projects/shop/environments/staging', [{ op: 'replace', path: '/approvalSettings/requiredApprovalTags', value: ['gated', 'u.v_w-x'] }, { op: 'replace', path: '/approvalSettings/canReviewOwnRequest', value: true }]));
  const asked = await ok(s.post('/api/v2/projects/shop/flags/segment-gated/environments/staging/approval-requests', { description: 'Turn «on» 🚀', instructions: [{ kind: 'turnFlagOn' }], comment: 'line one\nline two', notifyMemberIds: [me._id] }));
  await ok(s.post(`/api/v2/approval-requests/${asked._id}/reviews`, { kind: 'approve', comment: '"quoted"' }));
  await ok(s.post(`/api/v2/approval-requests/${asked._id}/apply`, {}));
  await ok(s.post('/api/v2/projects/shop/flags/segment-gated/environments/production/approval-requests', { description: 'Still pending', instructions: [{ kind: 'turnFlagOff' }] }));
  // Workflows: one waiting for its approval (a request of its own) and a date, one completed at once; a template of the
  // first.
  const waiting = await ok(
    s.post('/api/v2/projects/shop/flags/segment-gated/environments/staging/workflows', {
      name: 'Rollout «staging» 🚀',
      description: 'line one\nline two "quoted"',
      stages: [
        { name: 'Approved', conditions: [{ kind: 'ld-approval', description: 'OK «ü»?', notifyMemberIds: [me._id] }], action: { instructions: [{ kind: 'turnFlagOn' }] } },
        { name: 'Later', conditions: [{ kind: 'schedule', scheduleKind: 'absolute', executionDate: Date.UTC(2099, 0, 1) }], action: { instructions: [{ kind: 'turnFlagOff' }] } },
      ],
    }),
  );
  await ok(s.post('/api/v2/projects/shop/flags/segment-gated/environments/staging/workflows', { name: 'At once', stages: [{ action: { instructions: [{ kind: 'updateTrackEvents', trackEvents: true }] } }] }));
  await ok(s.post('/api/v2/templates', { key: 'rollout', name: 'Rollout «template»', workflowId: waiting._id }));
  // Whatever other slices serve is populated from the spec's own examples.
  return populateFromSpecExamples(s, s.routes);
}
