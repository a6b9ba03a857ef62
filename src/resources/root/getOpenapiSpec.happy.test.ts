// GET /api/v2/openapi.json: the OpenAPI document iterlab follows (LaunchDarkly's, spec/launchdarkly-openapi.json),
// through the official client's OtherApi too.
import fs from 'node:fs';
import { Configuration, OtherApi } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const SPEC = JSON.parse(fs.readFileSync(new URL('../../../spec/launchdarkly-openapi.json', import.meta.url), 'utf8'));

describe('getOpenapiSpec', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ listen: true });
  });
  afterAll(() => s.close());

  it('the spec iterlab follows, as JSON, the same on every call', async () => {
    const first = await s.get('/api/v2/openapi.json', { token: null });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.body).toEqual(SPEC);
    expect(first.body.paths['/api/v2/projects/{projectKey}/environments/{environmentKey}/experiments/{experimentKey}/iterations'].post.operationId).toBe('createIteration');
    expect((await s.get('/api/v2/openapi.json', { token: null })).body.info).toEqual(SPEC.info);
  });

  it('through the official client', async () => {
    const res = await new OtherApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url })).getOpenapiSpec();
    expect(res.status).toBe(200);
    expect((res.data as unknown as { openapi: string }).openapi).toBe(SPEC.openapi);
  });
});
