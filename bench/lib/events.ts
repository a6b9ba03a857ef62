// What the SDK-events benches share: timing one call, sending payloads to POST /bulk, and timing a fast request one
// after another while a slow one runs (its slowest answer is how long the server could not answer).

/** How long fn took, in milliseconds. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Sends the payloads to POST /bulk one after another (each must be a 202); how long they took, in milliseconds. */
export function postPayloads(url: string, sdkKey: string, payloads: unknown[][]): Promise<number> {
  return timed(async () => {
    for (const payload of payloads) {
      const res = await fetch(`${url}/bulk`, { method: 'POST', headers: { authorization: sdkKey, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      if (res.status !== 202) throw new Error(`POST /bulk: ${res.status} ${await res.text()}`);
    }
  });
}

/** The times of `fast`, sent one after another while each of `rounds` calls of `slow` runs. */
export async function timesBeside(slow: () => Promise<unknown>, fast: () => Promise<unknown>, rounds: number): Promise<number[]> {
  const beside: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let done = false;
    const request = slow().finally(() => (done = true));
    while (!done) beside.push(await timed(fast));
    await request;
  }
  return beside;
}
