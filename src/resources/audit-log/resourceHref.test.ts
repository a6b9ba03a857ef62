import { describe, expect, it } from 'vitest';
import { resourceHref } from './represent.js';

describe('resourceHref: where an audit entry links its resource', () => {
  it('an experiment and a holdout to themselves, in their environment', () => {
    expect(resourceHref('proj/shop:env/production:experiment/checkout')).toBe('/api/v2/projects/shop/environments/production/experiments/checkout');
    expect(resourceHref('proj/shop:env/production:holdout/h1')).toBe('/api/v2/projects/shop/environments/production/holdouts/h1');
  });

  it('a segment and a Data Export destination to themselves, not to their environment', () => {
    expect(resourceHref('proj/shop:env/production:segment/beta')).toBe('/api/v2/segments/shop/production/beta');
    expect(resourceHref('proj/shop:env/production:destination/6b15099797febfde00098ee3')).toBe('/api/v2/destinations/shop/production/6b15099797febfde00098ee3');
  });

  it('a webhook, a team and a member to themselves', () => {
    expect(resourceHref('webhook/6b15099797febfde00098ee3')).toBe('/api/v2/webhooks/6b15099797febfde00098ee3');
    expect(resourceHref('team/platform')).toBe('/api/v2/teams/platform');
    expect(resourceHref('member/6b15099797febfde00098ee4')).toBe('/api/v2/members/6b15099797febfde00098ee4');
  });

  it('nothing for a resource with no single address; the environment or project for their own entries', () => {
    expect(resourceHref('proj/shop:env/*:holdout/h1')).toBeUndefined();
    expect(resourceHref('proj/shop:layer/l1')).toBeUndefined();
    expect(resourceHref('proj/shop:env/production')).toBe('/api/v2/projects/shop/environments/production');
    expect(resourceHref('proj/shop')).toBe('/api/v2/projects/shop');
  });
});
