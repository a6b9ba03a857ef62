// The AWS trust policy for a Kinesis destination's role: assumed only with the environment's external id (its _id),
// the same each time for one environment; nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('postGenerateTrustPolicy', () => {
  let s: TestServer;
  const url = (env: string) => `/api/v2/destinations/projects/shop/environments/${env}/generate-trust-policy`;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("201 with a trust policy whose external id is the environment's _id; nothing written", async () => {
    const environment = (await s.get('/api/v2/projects/shop/environments/production')).body;
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post(url('production'), undefined)))).toBe(false);
    expect(res!.status).toBe(201);
    expect(res!.body).toEqual({
      awsTrustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['sts:AssumeRole'],
            Principal: { AWS: 'arn:aws:iam::000000000000:root' },
            Condition: { StringEquals: { 'sts:ExternalId': environment._id } },
          },
        ],
      },
    });
    expect((await s.post(url('production'), undefined)).body).toEqual(res!.body);
    expect((await s.post(url('test'), undefined)).body.awsTrustPolicy.Statement[0].Condition).not.toEqual(res!.body.awsTrustPolicy.Statement[0].Condition);
  });
});
