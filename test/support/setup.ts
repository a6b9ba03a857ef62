// Runs around every test: any response that departed from LaunchDarkly's spec fails the test that caused it.
import { afterEach, expect } from 'vitest';
import { violations } from './conformance.js';

afterEach(() => {
  const found = violations.splice(0, violations.length);
  expect(found, 'responses that do not conform to the LaunchDarkly OpenAPI spec').toEqual([]);
});
