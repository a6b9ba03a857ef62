// The custom-role action that a JSON Patch of each member of a segment, project, environment, metric, metric group,
// access token, custom role or account member needs, and the action of each semantic patch instruction of an
// experiment, holdout or layer: role checks ask for them, and the audit log names an update's accesses by them (flags'
// are in flags/actions.ts).

export const SEGMENT_MEMBERS: Record<string, string> = {
  name: 'updateName',
  description: 'updateDescription',
  tags: 'updateTags',
  included: 'updateIncluded',
  includedContexts: 'updateIncluded',
  excluded: 'updateExcluded',
  excludedContexts: 'updateExcluded',
  rules: 'updateRules',
};

export const PROJECT_MEMBERS: Record<string, string> = {
  name: 'updateProjectName',
  tags: 'updateTags',
  includeInSnippetByDefault: 'updateIncludeInSnippetByDefault',
  defaultClientSideAvailability: 'updateDefaultClientSideAvailability',
  defaultReleasePipelineKey: 'updateDefaultReleasePipeline',
};

export const ENVIRONMENT_MEMBERS: Record<string, string> = {
  name: 'updateName',
  color: 'updateColor',
  defaultTtl: 'updateTtl',
  secureMode: 'updateSecureMode',
  defaultTrackEvents: 'updateDefaultTrackEvents',
  requireComments: 'updateRequireComments',
  confirmChanges: 'updateConfirmChanges',
  tags: 'updateTags',
  critical: 'updateCritical',
  approvalSettings: 'updateApprovalSettings',
  resourceApprovalSettings: 'updateApprovalSettings',
};

export const METRIC_MEMBERS: Record<string, string> = {
  name: 'updateName',
  description: 'updateDescription',
  tags: 'updateTags',
  maintainerId: 'updateMaintainer',
  eventKey: 'updateEventKey',
  isNumeric: 'updateNumeric',
  successCriteria: 'updateNumericSuccess',
  unit: 'updateNumericUnit',
  randomizationUnits: 'updateRandomizationUnits',
  analysisUnits: 'updateRandomizationUnits',
  selector: 'updateSelector',
  urls: 'updateUrls',
  unitAggregationType: 'updateUnitAggregationType',
  eventDefault: 'updateEventDefault',
};

export const METRIC_GROUP_MEMBERS: Record<string, string> = {
  name: 'updateMetricGroupName',
  description: 'updateMetricGroupDescription',
  tags: 'updateMetricGroupTags',
  maintainerId: 'updateMetricGroupMaintainer',
  metrics: 'updateMetricGroupMetrics',
};

export const TOKEN_MEMBERS: Record<string, string> = {
  name: 'updateAccessTokenName',
  description: 'updateAccessTokenDescription',
  role: 'updateAccessTokenPolicy',
  customRoleIds: 'updateAccessTokenPolicy',
  inlineRole: 'updateAccessTokenPolicy',
  // LaunchDarkly names no action for it.
  defaultApiVersion: 'updateAccessTokenApiVersion',
};

export const ROLE_MEMBERS: Record<string, string> = {
  name: 'updateName',
  description: 'updateDescription',
  policy: 'updatePolicy',
  basePermissions: 'updateBasePermissions',
};

// An account member's fields.
export const MEMBER_FIELDS: Record<string, string> = {
  role: 'updateRole',
  customRoles: 'updateCustomRole',
  roleAttributes: 'updateMemberRoleAttributes',
  firstName: 'updateName',
  lastName: 'updateName',
};

// The action each semantic patch instruction of an experiment, holdout or layer needs (an experiment's other
// instructions, and its new iterations, need updateExperiment).
export const EXPERIMENT_INSTRUCTIONS: Record<string, string> = {
  archiveExperiment: 'updateExperimentArchived',
  restoreExperiment: 'updateExperimentArchived',
};

export const HOLDOUT_INSTRUCTIONS: Record<string, string> = {
  updateName: 'updateHoldoutName',
  updateDescription: 'updateHoldoutDescription',
  removeExperiment: 'removeExperimentFromHoldout',
  endHoldout: 'updateHoldoutStatus',
};

export const LAYER_INSTRUCTIONS: Record<string, string> = {
  updateName: 'updateLayer',
  updateDescription: 'updateLayer',
  updateExperimentReservation: 'updateLayerConfiguration',
  removeExperiment: 'updateLayerConfiguration',
};
