// The SDKs seen in the last day (getSdkVersionsDetails, getSdkAllVersions): each stream opened and each events payload
// of the last 24 hours as a sighting of an SDK (its name, version and type, in an environment, with the application its
// streams named), merged per SDK (details: its highest version) or per SDK version (all), and its SdkVersionDetailsRep.
// iterlab has no end-of-life data for SDKs nor Relay Proxy metadata: those fields are left out.
import type { Db } from '../../store/db.js';
import { compareText } from '../../store/reads.js';
import { countFacts, readPlaces, type Place } from './series.js';
import { compareVersions } from './streams.js';
import { DAY_MS, hourOf, METRIC } from './tally.js';

export interface Sighting {
  environmentId: string;
  name: string;
  type: string;
  applicationId: string;
  version: string;
  /** It opened a stream (else it only sent events). */
  streaming: boolean;
}

/** Every sighting of the last day, in environments that still exist, with those environments. */
export async function recentSightings(db: Db, now: number): Promise<{ sightings: Sighting[]; places: Map<string, Place> }> {
  const from = hourOf(now - DAY_MS);
  const places = (await readPlaces(db, {})).all;
  const streams = await countFacts(db, METRIC.streams, from, now + 1);
  const events = await countFacts(db, METRIC.events, from, now + 1);
  // Streams: [source, name, version, applicationId]; events: [kind, name, version, type] (their application unknown).
  const sightings = [
    ...streams.map((f) => ({ environmentId: f.environmentId, name: f.dims[1], type: f.dims[0], applicationId: f.dims[3], version: f.dims[2], streaming: true })),
    ...events.map((f) => ({ environmentId: f.environmentId, name: f.dims[1], type: f.dims[3], applicationId: '', version: f.dims[2], streaming: false })),
  ];
  return { sightings: sightings.filter((s) => places.has(s.environmentId)), places };
}

/** The sightings merged per SDK (`byVersion` false: its highest version) or per SDK version, in order. */
export function mergeSightings(sightings: readonly Sighting[], byVersion: boolean): Sighting[] {
  const merged = new Map<string, Sighting>();
  for (const s of sightings) {
    const id = JSON.stringify([s.environmentId, s.name, s.type, ...(byVersion ? [s.version] : [])]);
    const before = merged.get(id);
    if (!before) merged.set(id, { ...s });
    else {
      if (compareVersions(s.version, before.version) > 0) before.version = s.version;
      before.streaming ||= s.streaming;
      before.applicationId ||= s.applicationId;
    }
  }
  return [...merged.values()].sort(
    (a, b) => compareText(a.name, b.name) || compareText(a.environmentId, b.environmentId) || compareText(a.type, b.type) || compareVersions(a.version, b.version),
  );
}

/** How an SDK connected, as the answers show it. */
export const connectionTypeOf = (s: Sighting) => (s.streaming ? 'streaming' : 'events');

/** A sighting as SdkVersionDetailsRep. */
export function representSdkVersion(s: Sighting, place: Place): Record<string, unknown> {
  return {
    name: s.name,
    version: s.version,
    type: s.type,
    projectId: place.projectId,
    projectKey: place.projectKey,
    projectName: place.projectName,
    environmentId: place.environmentId,
    environmentKey: place.environmentKey,
    environmentName: place.environmentName,
    ...(s.applicationId !== '' ? { applicationId: s.applicationId } : {}),
    connectionType: connectionTypeOf(s),
  };
}
