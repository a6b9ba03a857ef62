import { describe, expect, it } from 'vitest';
import { resourceHref } from './represent.js';

describe('resourceHref: where an audit entry links its resource', () => {
  it('an experiment and a holdout to themselves, in their environment', () => {
    expect(resourceHref('proj/shop:env/production:experiment/checkout')).toBe('/api/v2/projects/shop/environments/production/experiments/checkout');
    expect(resourceHref('proj/shop:env/production:holdout/h1')).toBe('/api/v2/projects/shop/environments/production/holdouts/h1');
  });

  it('nothing for a resource with no single address; the environment or project for their own entries', () => {
    expect(resourceHref('proj/shop:env/*:holdout/h1')).toBeUndefined();
    expect(resourceHref('proj/shop:layer/l1')).toBeUndefined();
    expect(resourceHref('proj/shop:env/production')).toBe('/api/v2/projects/shop/environments/production');
    expect(resourceHref('proj/shop')).toBe('/api/v2/projects/shop');
  });
});
