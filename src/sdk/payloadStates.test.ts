// PayloadStates: the FDv2 state a poll computed is kept until a change to its project is heard, and a state whose
// read a change overlapped is not kept.
import { describe, expect, it } from 'vitest';
import { LocalChangeBus } from '../store/changes.js';
import { PayloadStates } from './payloadStates.js';

describe('PayloadStates', () => {
  it('keeps a state until a change to its project; changes that SDKs are not served leave it', () => {
    const bus = new LocalChangeBus();
    const states = new PayloadStates(bus);
    states.remember('env-a', 'proj-1', 'S1', states.mark());
    states.remember('env-b', 'proj-2', 'S2', states.mark());
    expect(states.current('env-a')).toBe('S1');
    bus.publish({ kind: 'metric', projectId: 'proj-1' });
    bus.publish({ kind: 'token' });
    expect(states.current('env-a')).toBe('S1');
    bus.publish({ kind: 'flag', projectId: 'proj-1', id: 'f' });
    expect(states.current('env-a')).toBeUndefined();
    expect(states.current('env-b')).toBe('S2');
    bus.publish({ kind: 'segment' });
    expect(states.current('env-b')).toBeUndefined();
    states.close();
  });

  it('while the bus is deaf (its LISTEN connection lost), nothing is known or kept', () => {
    const bus = new LocalChangeBus();
    let live = true;
    Object.defineProperty(bus, 'live', { get: () => live });
    const states = new PayloadStates(bus);
    states.remember('env-a', 'proj-1', 'S1', states.mark());
    live = false;
    expect(states.current('env-a')).toBeUndefined();
    states.remember('env-b', 'proj-1', 'S2', states.mark());
    live = true;
    expect(states.current('env-b')).toBeUndefined();
    states.close();
  });

  it('a state read across a change is not kept: it may predate the change', () => {
    const bus = new LocalChangeBus();
    const states = new PayloadStates(bus);
    const mark = states.mark();
    bus.publish({ kind: 'flag', projectId: 'proj-9' });
    states.remember('env-a', 'proj-1', 'S1', mark);
    expect(states.current('env-a')).toBeUndefined();
    states.close();
  });
});
