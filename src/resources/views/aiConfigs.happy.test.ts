// Views and AI Configs (resourceType `aiConfigs`, 2026-07), as a generated client drives them (JSON bodies, the spec's
// field names): an AI Config is linked by key as its flag; getLinkedResources lists it as an AI Config (and `flags`
// leaves its flag out, as the flags list does); getLinkedViews names its views; unlinking removes the link; a key that
// is no AI Config of the project is a failedResources entry of resourceType `aiConfig`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('views: AI Configs', () => {
  let w: ViewWorld;
  let assistantAt: number;
  const link = (href: string) => ({ href, type: 'application/json' });
  const aiConfigs = '/api/v2/projects/shop/ai-configs';
  beforeAll(async () => {
    w = await viewWorld();
    for (const key of ['squad', 'other']) await createView(w, { key, name: key });
    const made = await w.s.post(aiConfigs, { key: 'assistant', name: 'Assistant', tags: ['llm'], description: 'Helps' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    assistantAt = made.body.createdAt;
    expect((await w.s.post(aiConfigs, { key: 'summarizer', name: 'Summarizer' })).status).toBe(201);
  });
  afterAll(() => w.s.close());

  it('linkResource links AI Configs by key (as their flags); a key that is no AI Config is reported failed; audited', async () => {
    w.clock.now += 1000;
    // `checkout` is a flag, not an AI Config: it is no AI Config of the project.
    const res = await w.post(`${w.views}/squad/link/aiConfigs`, { keys: ['assistant', 'missing', 'checkout', 'assistant'], comment: 'AI team' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      successCount: 1,
      failureCount: 2,
      linkedResources: {
        items: [{ _links: { parent: link('/api/v2/projects/shop/views/squad'), self: link(`${aiConfigs}/assistant`) }, resourceKey: 'assistant', resourceType: 'aiConfig', linkedAt: w.clock.now }],
        totalCount: 1,
      },
      failedResources: [
        { resourceKey: 'missing', resourceType: 'aiConfig', errorMessage: 'AI Config "missing" in project "shop" not found' },
        { resourceKey: 'checkout', resourceType: 'aiConfig', errorMessage: 'AI Config "checkout" in project "shop" not found' },
      ],
    });
    // Linked again: it keeps its first linkedAt, and nothing more is audited.
    const linkedAt = w.clock.now;
    w.clock.now += 1000;
    const again = await w.post(`${w.views}/squad/link/aiConfigs`, { keys: ['assistant', 'summarizer'] });
    expect(again.body.linkedResources.items.map((i: { resourceKey: string; linkedAt: number }) => [i.resourceKey, i.linkedAt])).toEqual([
      ['assistant', linkedAt],
      ['summarizer', w.clock.now],
    ]);
    const entries = (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/squad')).body.items;
    const first = (await w.s.get(`/api/v2/auditlog/${entries[1]._id}`)).body;
    expect(first).toMatchObject({
      accesses: [{ action: 'linkAIConfigToView', resource: 'proj/shop:view/squad' }],
      shortDescription: 'linked 1 AI Config to the view squad',
      comment: 'AI team',
      delta: { keys: ['assistant', 'missing', 'checkout', 'assistant'] },
      currentVersion: { linked: ['assistant'] },
    });
    expect((await w.s.get(`/api/v2/auditlog/${entries[0]._id}`)).body).toMatchObject({ shortDescription: 'linked 1 AI Config to the view squad', currentVersion: { linked: ['summarizer'] } });
  });

  it('getLinkedResources lists them as AI Configs (with their details); the flags list leaves their flags out', async () => {
    const res = await w.get(`${w.views}/squad/linked/aiConfigs?expand=resourceDetails&sort=-name`);
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(2);
    expect(res.body.items.map((i: { resourceKey: string }) => i.resourceKey)).toEqual(['summarizer', 'assistant']);
    expect(res.body.items[1]).toMatchObject({
      _links: { self: link(`${aiConfigs}/assistant`) },
      resourceType: 'aiConfig',
      resourceDetails: {
        aiConfig: { key: 'assistant', name: 'Assistant', tags: ['llm'], description: 'Helps', version: 1, createdAt: assistantAt, flagKey: 'assistant', _links: { parent: link(aiConfigs), self: link(`${aiConfigs}/assistant`) } },
      },
    });
    expect((await w.get(`${w.views}/squad/linked/aiConfigs?query=summ`)).body.items.map((i: { resourceKey: string }) => i.resourceKey)).toEqual(['summarizer']);
    // The AI Configs' flags are not among the view's flags, as the flags list leaves them out.
    expect((await w.get(`${w.views}/squad/linked/flags`)).body).toMatchObject({ items: [], totalCount: 0 });
    const view = (await w.get(`${w.views}/squad?expand=flagsSummary,aiConfigsSummary,allAIConfigs`)).body;
    expect(view.flagsSummary.count).toBe(0);
    expect(view.aiConfigsSummary).toEqual({ count: 2 });
    expect(view.aiConfigsExpanded.items.map((c: { key: string }) => c.key)).toEqual(['assistant', 'summarizer']);
  });

  it('getLinkedViews names the views an AI Config is linked to (by its flag, also linked by viewKeys)', async () => {
    const made = await w.s.post(aiConfigs, { key: 'router', name: 'Router', viewKeys: ['other'] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    w.clock.now += 1000;
    expect((await w.post(`${w.views}/other/link/aiConfigs`, { keys: ['assistant'] })).status).toBe(200);
    const res = await w.get('/api/v2/projects/shop/view-associations/aiConfigs/assistant');
    expect(res.status).toBe(200);
    expect(res.body.items.map((v: { key: string }) => v.key)).toEqual(['other', 'squad']);
    expect(res.body.totalCount).toBe(2);
    expect((await w.get('/api/v2/projects/shop/view-associations/aiConfigs/router')).body.items.map((v: { key: string }) => v.key)).toEqual(['other']);
    expect((await w.get(`${w.views}/other/linked/aiConfigs`)).body.items.map((i: { resourceKey: string }) => i.resourceKey)).toEqual(['router', 'assistant']);
  });

  it('unlinkResource removes the link (idempotent: a key not linked or no AI Config counts as unlinked); audited', async () => {
    const res = await w.del(`${w.views}/squad/link/aiConfigs`, { keys: ['assistant', 'missing'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ successCount: 2, failureCount: 0 });
    expect((await w.get(`${w.views}/squad/linked/aiConfigs`)).body.items.map((i: { resourceKey: string }) => i.resourceKey)).toEqual(['summarizer']);
    expect((await w.get('/api/v2/projects/shop/view-associations/aiConfigs/assistant')).body.items.map((v: { key: string }) => v.key)).toEqual(['other']);
    const entry = (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/squad')).body.items[0];
    expect((await w.s.get(`/api/v2/auditlog/${entry._id}`)).body).toMatchObject({
      accesses: [{ action: 'unlinkAIConfigFromView', resource: 'proj/shop:view/squad' }],
      shortDescription: 'unlinked 1 AI Config from the view squad',
      previousVersion: { linked: ['assistant'] },
    });
  });

  it('an AI Config deleted leaves every view', async () => {
    expect((await w.s.del(`${aiConfigs}/summarizer`)).status).toBe(204);
    expect((await w.get(`${w.views}/squad/linked/aiConfigs`)).body).toMatchObject({ items: [], totalCount: 0 });
  });
});
