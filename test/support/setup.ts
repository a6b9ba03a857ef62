// Runs around every test: any response that departed from LaunchDarkly's spec fails the test that caused it;
// error statuses an operation does not document are passed on to globalSetup.ts, which prints them after the run.
import { afterEach, expect, inject } from 'vitest';
import { flushUndocumented, violations } from './conformance.js';

afterEach(() => {
  flushUndocumented(inject('conformanceDir'), expect.getState().testPath);
  const found = violations.splice(0, violations.length);
  expect(found, 'responses that do not conform to the LaunchDarkly OpenAPI spec').toEqual([]);
});
