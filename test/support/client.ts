// Helpers for suites that drive the official REST client (launchdarkly-api-typescript), which answers through axios.
import type { AxiosError } from 'axios';
import { expect } from 'vitest';

/** LaunchDarkly's error body. */
export interface ErrorBody {
  code: string;
  message: string;
  errors?: { attribute: string; reason: string }[];
}

/** The client's error for a call that must be refused: its HTTP status and LaunchDarkly's error body. */
export async function clientFailure(call: Promise<unknown>): Promise<{ status: number; data: ErrorBody }> {
  const err = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as AxiosError<ErrorBody>,
  );
  expect(err.isAxiosError, String(err)).toBe(true);
  return { status: err.response!.status, data: err.response!.data };
}
