// The official REST client (launchdarkly-api-typescript) manages webhooks over real HTTP, unchanged, as Terraform's
// launchdarkly_webhook does: WebhooksApi.postWebhook, getAllWebhooks, getWebhook, patchWebhook with every field
// replaced (the secret "" for unsigned, statements removed), deleteWebhook; a change made through the client reaches
// the webhook's URL signed; and LaunchDarkly's error bodies on a bad URL and an unknown webhook.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Configuration, ProjectsApi, WebhooksApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';
import { startReceiver, type Receiver } from './support/webhooks.js';

describe('webhooks through launchdarkly-api-typescript (WebhooksApi)', () => {
  let s: TestServer;
  let receiver: Receiver;
  let webhooks: WebhooksApi;
  let config: Configuration;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    receiver = await startReceiver();
    config = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
    webhooks = new WebhooksApi(config);
  });
  afterAll(async () => {
    await s.close();
    await receiver.close();
  });

  it('create, list, read, update every field, deliver, remove', async () => {
    const created = await webhooks.postWebhook({ name: 'CI hook', url: `${receiver.url}/ld`, sign: true, secret: 'frobozz', on: true, tags: ['ci'], statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['createProject'] }] });
    expect(created.status).toBe(200);
    const hook = created.data;
    expect(hook).toMatchObject({ name: 'CI hook', url: `${receiver.url}/ld`, secret: 'frobozz', on: true, tags: ['ci'] });
    expect((await webhooks.getAllWebhooks()).data.items.map((w) => w._id)).toEqual([hook._id]);
    expect((await webhooks.getWebhook(hook._id)).data).toEqual(hook);

    await new ProjectsApi(config).postProject({ key: 'web', name: 'Web' });
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5000 });
    const [delivery] = receiver.received;
    expect(delivery.body.accesses).toEqual([{ action: 'createProject', resource: 'proj/web' }]);
    expect(delivery.headers['x-ld-signature']).toBe(crypto.createHmac('sha256', 'frobozz').update(delivery.text).digest('hex'));

    const updated = await webhooks.patchWebhook(hook._id, [
      { op: 'replace', path: '/url', value: `${receiver.url}/other` },
      { op: 'replace', path: '/secret', value: '' },
      { op: 'replace', path: '/on', value: false },
      { op: 'replace', path: '/name', value: 'Renamed' },
      { op: 'replace', path: '/tags', value: ['ci', 'terraform'] },
      { op: 'remove', path: '/statements' },
    ]);
    expect(updated.data).toEqual({ ...hook, url: `${receiver.url}/other`, secret: undefined, on: false, name: 'Renamed', tags: ['ci', 'terraform'], statements: undefined });
    expect(updated.data).not.toHaveProperty('secret');

    expect((await webhooks.deleteWebhook(hook._id)).status).toBe(204);
    expect((await webhooks.getAllWebhooks()).data.items).toEqual([]);
  });

  it("LaunchDarkly's error bodies: a bad URL, an unknown webhook", async () => {
    const bad = await clientFailure(webhooks.postWebhook({ url: 'not a url', sign: false, on: true }));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('url: "not a url" is not an absolute URL') });
    const missing = await clientFailure(webhooks.getWebhook('0123456789abcdef01234567'));
    expect(missing).toEqual({ status: 404, data: { code: 'not_found', message: 'Webhook "0123456789abcdef01234567" not found' } });
  });
});
