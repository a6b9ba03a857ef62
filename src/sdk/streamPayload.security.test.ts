// GET /sdk/stream isolation: an SDK key's FDv2 stream carries its own environment only, and ends once the key is
// reset or the environment deleted; the SDK is then refused on the old key.
import type { LDOptions } from '@launchdarkly/node-server-sdk';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { expectEnvironmentDeletionEndsStreams, expectKeyResetEndsStreams, expectOwnEnvironmentOnly } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const streamingOnly = { dataSystem: { dataSource: { dataSourceOptionsType: 'streamingOnly', streamInitialReconnectDelay: 0.05 } } } as LDOptions;

describe('GET /sdk/stream security', () => {
  let s: TestServer;
  let w: World;
  beforeEach(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterEach(() => s.close());

  it('an SDK key is served its own environment only, and hears only its own environment\'s changes', async () => {
    await expectOwnEnvironmentOnly(s, w.project, w.flag, streamingOnly);
  });

  it('resetting the SDK key ends the FDv2 streams opened with the old one; the old key is then refused', async () => {
    await expectKeyResetEndsStreams(s, w.project, streamingOnly);
  });

  it('deleting the environment ends its FDv2 streams', async () => {
    await expectEnvironmentDeletionEndsStreams(s, w.project, streamingOnly);
  });
});
