// Runs around every test: any response that departed from LaunchDarkly's spec fails the test that caused it;
// error statuses an operation does not document are passed on to globalSetup.ts, which lists them after the run.
import { afterEach, expect, inject, vi } from 'vitest';
import { flushUndocumented, violations } from './conformance.js';

/**
 * vi.waitFor gives up after one second unless told otherwise. A stream's change or a flushed event arrives in
 * milliseconds on an idle machine, but CI runs two files at once on two cores, some of them with servers and child
 * processes of their own, where a second is a bet on the scheduler; this raises the default for every test (a test
 * that passes its own timeout keeps it).
 */
const WAIT_FOR_MS = 10_000;
// Files share their worker's modules (isolate: false) but each runs this file again: wrap vi.waitFor only once.
const LONGER_WAIT = Symbol.for('iterlab.longerWaitFor');
if (!(LONGER_WAIT in vi.waitFor)) {
  const waitFor = vi.waitFor;
  const longer = ((callback, options) =>
    waitFor(callback, typeof options === 'number' ? options : { timeout: WAIT_FOR_MS, ...options })) as typeof vi.waitFor;
  vi.waitFor = Object.assign(longer, { [LONGER_WAIT]: true });
}

afterEach(() => {
  flushUndocumented(inject('conformanceDir'), expect.getState().testPath);
  const found = violations.splice(0, violations.length);
  expect(found, 'responses that do not conform to the LaunchDarkly OpenAPI spec').toEqual([]);
});
