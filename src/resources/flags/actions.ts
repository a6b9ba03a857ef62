// The custom-role action that a change to each member of a flag needs: role checks of flag writes ask for them, and
// the audit log names a flag update's accesses by them.

/** A member of a flag's targeting in one environment, and the action that changes it there. */
export const FLAG_ENVIRONMENT_MEMBERS: Record<string, string> = {
  on: 'updateOn',
  offVariation: 'updateOffVariation',
  fallthrough: 'updateFallthrough',
  trackEvents: 'updateTrackEvents',
  trackEventsFallthrough: 'updateTrackEvents',
  prerequisites: 'updatePrerequisites',
  targets: 'updateTargets',
  contextTargets: 'updateTargets',
  rules: 'updateRules',
};

/** A member of the flag itself, and the action that changes it in every environment (`env/*`). */
export const FLAG_MEMBERS: Record<string, string> = {
  name: 'updateName',
  description: 'updateDescription',
  tags: 'updateTags',
  temporary: 'updateTemporary',
  archived: 'updateGlobalArchived',
  deprecated: 'updateDeprecated',
  variations: 'updateFlagVariations',
  defaults: 'updateFlagDefaultVariations',
  clientSideAvailability: 'updateClientSideFlagAvailability',
  includeInSnippet: 'updateIncludeInSnippet',
  maintainerId: 'updateMaintainer',
  maintainerTeamKey: 'updateMaintainer',
  customProperties: 'updateFlagCustomProperties',
  // Adding the flag to a release pipeline (releases/addFlag.ts), as createReleaseForFlag asks.
  releasePipelineKey: 'updateReleasePhaseStatus',
};
