// Every operation iterlab serves, registered in one place (the README's endpoint table mirrors this list).
import type { FastifyInstance } from 'fastify';
import type { Deps } from './http/context.js';
import { deleteToken } from './resources/tokens/deleteToken.js';
import { getToken } from './resources/tokens/getToken.js';
import { getTokens } from './resources/tokens/getTokens.js';
import { postToken } from './resources/tokens/postToken.js';
import { patchToken } from './resources/tokens/patchToken.js';
import { resetToken } from './resources/tokens/resetToken.js';
import { getCustomRoles } from './resources/custom-roles/getCustomRoles.js';
import { postCustomRole } from './resources/custom-roles/postCustomRole.js';
import { getCustomRole } from './resources/custom-roles/getCustomRole.js';
import { patchCustomRole } from './resources/custom-roles/patchCustomRole.js';
import { deleteCustomRole } from './resources/custom-roles/deleteCustomRole.js';
import { getMembers } from './resources/members/getMembers.js';
import { getMember } from './resources/members/getMember.js';
import { postMembers } from './resources/members/postMembers.js';
import { patchMember } from './resources/members/patchMember.js';
import { patchMembers } from './resources/members/patchMembers.js';
import { deleteMember } from './resources/members/deleteMember.js';
import { getTeams } from './resources/teams/getTeams.js';
import { postTeam } from './resources/teams/postTeam.js';
import { patchTeams } from './resources/teams/patchTeams.js';
import { getTeam } from './resources/teams/getTeam.js';
import { patchTeam } from './resources/teams/patchTeam.js';
import { deleteTeam } from './resources/teams/deleteTeam.js';
import { getTeamMaintainers } from './resources/teams/getTeamMaintainers.js';
import { getTeamRoles } from './resources/teams/getTeamRoles.js';
import { postMemberTeams } from './resources/teams/postMemberTeams.js';
import { postTeamMembers } from './resources/teams/postTeamMembers.js';
import { getExpiringContextTargets } from './resources/flags/getExpiringContextTargets.js';
import { getExpiringUserTargets } from './resources/flags/getExpiringUserTargets.js';
import { patchExpiringTargets } from './resources/flags/patchExpiringTargets.js';
import { patchExpiringUserTargets } from './resources/flags/patchExpiringUserTargets.js';
import { getExpiringFlagsForUser } from './resources/flags/getExpiringFlagsForUser.js';
import { patchExpiringFlagsForUser } from './resources/flags/patchExpiringFlagsForUser.js';
import { startExpiryJob } from './resources/expiring-targets/model.js';
import { startReallocationJob } from './resources/experiments/reallocation.js';
import { createTriggerWorkflow } from './resources/flag-triggers/createTriggerWorkflow.js';
import { deleteTriggerWorkflow } from './resources/flag-triggers/deleteTriggerWorkflow.js';
import { getTriggerWorkflowById } from './resources/flag-triggers/getTriggerWorkflowById.js';
import { getTriggerWorkflows } from './resources/flag-triggers/getTriggerWorkflows.js';
import { invokeTrigger } from './resources/flag-triggers/invokeTrigger.js';
import { patchTriggerWorkflow } from './resources/flag-triggers/patchTriggerWorkflow.js';
import { getApprovalsForFlag } from './resources/approvals/getApprovalsForFlag.js';
import { postApprovalRequestForFlag } from './resources/approvals/postApprovalRequestForFlag.js';
import { getApprovalForFlag } from './resources/approvals/getApprovalForFlag.js';
import { patchFlagConfigApprovalRequest } from './resources/approvals/patchFlagConfigApprovalRequest.js';
import { deleteApprovalRequestForFlag } from './resources/approvals/deleteApprovalRequestForFlag.js';
import { postApprovalRequestReviewForFlag } from './resources/approvals/postApprovalRequestReviewForFlag.js';
import { postApprovalRequestApplyForFlag } from './resources/approvals/postApprovalRequestApplyForFlag.js';
import { postFlagCopyConfigApprovalRequest } from './resources/approvals/postFlagCopyConfigApprovalRequest.js';
import { getApprovalRequests } from './resources/approvals/getApprovalRequests.js';
import { postApprovalRequest } from './resources/approvals/postApprovalRequest.js';
import { getApprovalRequest } from './resources/approvals/getApprovalRequest.js';
import { patchApprovalRequest } from './resources/approvals/patchApprovalRequest.js';
import { deleteApprovalRequest } from './resources/approvals/deleteApprovalRequest.js';
import { postApprovalRequestReview } from './resources/approvals/postApprovalRequestReview.js';
import { postApprovalRequestApply } from './resources/approvals/postApprovalRequestApply.js';
import { getApprovalRequestSettings } from './resources/approvals/getApprovalRequestSettings.js';
import { patchApprovalRequestSettings } from './resources/approvals/patchApprovalRequestSettings.js';
import { deleteFlagConfigScheduledChanges } from './resources/scheduled-changes/deleteFlagConfigScheduledChanges.js';
import { startScheduledChangesJob } from './resources/scheduled-changes/execute.js';
import { getWorkflows } from './resources/workflows/getWorkflows.js';
import { postWorkflow } from './resources/workflows/postWorkflow.js';
import { getCustomWorkflow } from './resources/workflows/getCustomWorkflow.js';
import { deleteWorkflow } from './resources/workflows/deleteWorkflow.js';
import { getWorkflowTemplates } from './resources/workflows/getWorkflowTemplates.js';
import { createWorkflowTemplate } from './resources/workflows/createWorkflowTemplate.js';
import { deleteWorkflowTemplate } from './resources/workflows/deleteWorkflowTemplate.js';
import { startWorkflowsJob } from './resources/workflows/run.js';
import { getFeatureFlagScheduledChange } from './resources/scheduled-changes/getFeatureFlagScheduledChange.js';
import { getFlagConfigScheduledChanges } from './resources/scheduled-changes/getFlagConfigScheduledChanges.js';
import { patchFlagConfigScheduledChange } from './resources/scheduled-changes/patchFlagConfigScheduledChange.js';
import { postFlagConfigScheduledChanges } from './resources/scheduled-changes/postFlagConfigScheduledChanges.js';
import { deleteWebhook } from './resources/webhooks/deleteWebhook.js';
import { startWebhookJob } from './resources/webhooks/delivery.js';
import { getAllWebhooks } from './resources/webhooks/getAllWebhooks.js';
import { getWebhook } from './resources/webhooks/getWebhook.js';
import { patchWebhook } from './resources/webhooks/patchWebhook.js';
import { postWebhook } from './resources/webhooks/postWebhook.js';
import { getRelayProxyConfigs } from './resources/relay-proxy-configs/getRelayProxyConfigs.js';
import { postRelayAutoConfig } from './resources/relay-proxy-configs/postRelayAutoConfig.js';
import { getRelayProxyConfig } from './resources/relay-proxy-configs/getRelayProxyConfig.js';
import { patchRelayAutoConfig } from './resources/relay-proxy-configs/patchRelayAutoConfig.js';
import { deleteRelayAutoConfig } from './resources/relay-proxy-configs/deleteRelayAutoConfig.js';
import { resetRelayAutoConfig } from './resources/relay-proxy-configs/resetRelayAutoConfig.js';
import { getDestinations } from './resources/destinations/getDestinations.js';
import { postDestination } from './resources/destinations/postDestination.js';
import { getDestination } from './resources/destinations/getDestination.js';
import { patchDestination } from './resources/destinations/patchDestination.js';
import { deleteDestination } from './resources/destinations/deleteDestination.js';
import { postGenerateWarehouseDestinationKeyPair } from './resources/destinations/postGenerateWarehouseDestinationKeyPair.js';
import { postGenerateTrustPolicy } from './resources/destinations/postGenerateTrustPolicy.js';
import { postGenerateProjectEnvWarehouseDestinationKeyPair } from './resources/destinations/postGenerateProjectEnvWarehouseDestinationKeyPair.js';
import { postGenerateWarehouseDestinationSetupScript } from './resources/destinations/postGenerateWarehouseDestinationSetupScript.js';
import { postCompleteWarehouseDestinationSetup } from './resources/destinations/postCompleteWarehouseDestinationSetup.js';
import { getSubscriptions } from './resources/audit-log-subscriptions/getSubscriptions.js';
import { createSubscription } from './resources/audit-log-subscriptions/createSubscription.js';
import { getSubscriptionByID } from './resources/audit-log-subscriptions/getSubscriptionByID.js';
import { updateSubscription } from './resources/audit-log-subscriptions/updateSubscription.js';
import { deleteSubscription } from './resources/audit-log-subscriptions/deleteSubscription.js';
import { getBigSegmentStoreIntegrations } from './resources/big-segment-stores/getBigSegmentStoreIntegrations.js';
import { createBigSegmentStoreIntegration } from './resources/big-segment-stores/createBigSegmentStoreIntegration.js';
import { getBigSegmentStoreIntegration } from './resources/big-segment-stores/getBigSegmentStoreIntegration.js';
import { patchBigSegmentStoreIntegration } from './resources/big-segment-stores/patchBigSegmentStoreIntegration.js';
import { deleteBigSegmentStoreIntegration } from './resources/big-segment-stores/deleteBigSegmentStoreIntegration.js';
import { startBigSegmentSync } from './resources/big-segment-stores/sync.js';
import { getAllIntegrationConfigurations } from './resources/integration-configurations/getAllIntegrationConfigurations.js';
import { createIntegrationConfiguration } from './resources/integration-configurations/createIntegrationConfiguration.js';
import { getIntegrationConfiguration } from './resources/integration-configurations/getIntegrationConfiguration.js';
import { updateIntegrationConfiguration } from './resources/integration-configurations/updateIntegrationConfiguration.js';
import { deleteIntegrationConfiguration } from './resources/integration-configurations/deleteIntegrationConfiguration.js';
import { getIntegrationDeliveryConfigurations } from './resources/delivery-configurations/getIntegrationDeliveryConfigurations.js';
import { getIntegrationDeliveryConfigurationByEnvironment } from './resources/delivery-configurations/getIntegrationDeliveryConfigurationByEnvironment.js';
import { createIntegrationDeliveryConfiguration } from './resources/delivery-configurations/createIntegrationDeliveryConfiguration.js';
import { getIntegrationDeliveryConfigurationById } from './resources/delivery-configurations/getIntegrationDeliveryConfigurationById.js';
import { patchIntegrationDeliveryConfiguration } from './resources/delivery-configurations/patchIntegrationDeliveryConfiguration.js';
import { deleteIntegrationDeliveryConfiguration } from './resources/delivery-configurations/deleteIntegrationDeliveryConfiguration.js';
import { validateIntegrationDeliveryConfiguration } from './resources/delivery-configurations/validateIntegrationDeliveryConfiguration.js';
import { getFlagImportConfigurations } from './resources/flag-imports/getFlagImportConfigurations.js';
import { createFlagImportConfiguration } from './resources/flag-imports/createFlagImportConfiguration.js';
import { getFlagImportConfiguration } from './resources/flag-imports/getFlagImportConfiguration.js';
import { patchFlagImportConfiguration } from './resources/flag-imports/patchFlagImportConfiguration.js';
import { deleteFlagImportConfiguration } from './resources/flag-imports/deleteFlagImportConfiguration.js';
import { triggerFlagImportJob } from './resources/flag-imports/triggerFlagImportJob.js';
import { getAIConfigs } from './resources/ai-configs/getAIConfigs.js';
import { postAIConfig } from './resources/ai-configs/postAIConfig.js';
import { getAIConfig } from './resources/ai-configs/getAIConfig.js';
import { patchAIConfig } from './resources/ai-configs/patchAIConfig.js';
import { deleteAIConfig } from './resources/ai-configs/deleteAIConfig.js';
import { postAIConfigVariation } from './resources/ai-configs/postAIConfigVariation.js';
import { getAIConfigVariation } from './resources/ai-configs/getAIConfigVariation.js';
import { patchAIConfigVariation } from './resources/ai-configs/patchAIConfigVariation.js';
import { deleteAIConfigVariation } from './resources/ai-configs/deleteAIConfigVariation.js';
import { getAIConfigTargeting } from './resources/ai-configs/getAIConfigTargeting.js';
import { patchAIConfigTargeting } from './resources/ai-configs/patchAIConfigTargeting.js';
import { getAIConfigMetrics } from './resources/ai-configs/getAIConfigMetrics.js';
import { getAIConfigQuickStats } from './resources/ai-configs/getAIConfigQuickStats.js';
import { getAIConfigMetricsByVariation } from './resources/ai-configs/getAIConfigMetricsByVariation.js';
import { listModelConfigs } from './resources/ai-model-configs/listModelConfigs.js';
import { postModelConfig } from './resources/ai-model-configs/postModelConfig.js';
import { getModelConfig } from './resources/ai-model-configs/getModelConfig.js';
import { deleteModelConfig } from './resources/ai-model-configs/deleteModelConfig.js';
import { postRestrictedModels } from './resources/ai-model-configs/postRestrictedModels.js';
import { deleteRestrictedModels } from './resources/ai-model-configs/deleteRestrictedModels.js';
import { getApplications } from './resources/applications/getApplications.js';
import { getApplication } from './resources/applications/getApplication.js';
import { patchApplication } from './resources/applications/patchApplication.js';
import { deleteApplication } from './resources/applications/deleteApplication.js';
import { getApplicationVersions } from './resources/applications/getApplicationVersions.js';
import { patchApplicationVersion } from './resources/applications/patchApplicationVersion.js';
import { deleteApplicationVersion } from './resources/applications/deleteApplicationVersion.js';
import { getContextsClientsideUsage } from './resources/usage/getContextsClientsideUsage.js';
import { getMAUClientsideUsage } from './resources/usage/getMAUClientsideUsage.js';
import { getDataExportEventsUsage } from './resources/usage/getDataExportEventsUsage.js';
import { getEvaluationsUsage } from './resources/usage/getEvaluationsUsage.js';
import { getEventsUsage } from './resources/usage/getEventsUsage.js';
import { getExperimentationEventsUsage } from './resources/usage/getExperimentationEventsUsage.js';
import { getExperimentationKeysUsage } from './resources/usage/getExperimentationKeysUsage.js';
import { getMauUsage } from './resources/usage/getMauUsage.js';
import { getMauUsageByCategory } from './resources/usage/getMauUsageByCategory.js';
import { getMauSdksByType } from './resources/usage/getMauSdksByType.js';
import { getObservabilityErrorsUsage } from './resources/usage/getObservabilityErrorsUsage.js';
import { getObservabilityLogsUsage } from './resources/usage/getObservabilityLogsUsage.js';
import { getObservabilityMetricsUsage } from './resources/usage/getObservabilityMetricsUsage.js';
import { getObservabilitySessionsUsage } from './resources/usage/getObservabilitySessionsUsage.js';
import { getObservabilityTracesUsage } from './resources/usage/getObservabilityTracesUsage.js';
import { getSdkVersionsDetails } from './resources/usage/getSdkVersionsDetails.js';
import { getContextsServersideUsage } from './resources/usage/getContextsServersideUsage.js';
import { getServiceConnectionsUsage } from './resources/usage/getServiceConnectionsUsage.js';
import { getStreamUsage } from './resources/usage/getStreamUsage.js';
import { getStreamUsageBySdkVersion } from './resources/usage/getStreamUsageBySdkVersion.js';
import { getStreamUsageSdkversion } from './resources/usage/getStreamUsageSdkversion.js';
import { getContextsTotalUsage } from './resources/usage/getContextsTotalUsage.js';
import { getMAUTotalUsage } from './resources/usage/getMAUTotalUsage.js';
import { getVegaAIUsage } from './resources/usage/getVegaAIUsage.js';
import { getAIRunsUsage } from './resources/usage/getAIRunsUsage.js';
import { getSdkAllVersions } from './resources/usage/getSdkAllVersions.js';
import { getSdkActive } from './resources/usage/getSdkActive.js';
import { postTracking } from './resources/ldcli/postTracking.js';
import { postDeviceAuthorization } from './resources/ldcli/postDeviceAuthorization.js';
import { postEvaluationSummaries } from './resources/ldcli/postEvaluationSummaries.js';
import { getMonitorContextKinds } from './resources/ldcli/getMonitorContextKinds.js';
import { getMonitorContextsCount } from './resources/ldcli/getMonitorContextsCount.js';
import { getWarehouseExportUsage } from './resources/usage/getWarehouseExportUsage.js';
import { getViews } from './resources/views/getViews.js';
import { createView } from './resources/views/createView.js';
import { getView } from './resources/views/getView.js';
import { updateView } from './resources/views/updateView.js';
import { deleteView } from './resources/views/deleteView.js';
import { linkResource } from './resources/views/linkResource.js';
import { unlinkResource } from './resources/views/unlinkResource.js';
import { getLinkedResources } from './resources/views/getLinkedResources.js';
import { getLinkedViews } from './resources/views/getLinkedViews.js';
import { getOAuthClients } from './resources/oauth-clients/getOAuthClients.js';
import { createOAuth2Client } from './resources/oauth-clients/createOAuth2Client.js';
import { getOAuthClientById } from './resources/oauth-clients/getOAuthClientById.js';
import { patchOAuthClient } from './resources/oauth-clients/patchOAuthClient.js';
import { deleteOAuthClient } from './resources/oauth-clients/deleteOAuthClient.js';
import { getAnnouncementsPublic } from './resources/announcements/getAnnouncementsPublic.js';
import { createAnnouncementPublic } from './resources/announcements/createAnnouncementPublic.js';
import { updateAnnouncementPublic } from './resources/announcements/updateAnnouncementPublic.js';
import { deleteAnnouncementPublic } from './resources/announcements/deleteAnnouncementPublic.js';
import { createBigSegmentExport } from './resources/segments/createBigSegmentExport.js';
import { getBigSegmentExport } from './resources/segments/getBigSegmentExport.js';
import { getBigSegmentExportFile } from './resources/segments/getBigSegmentExportFile.js';
import { createBigSegmentImport } from './resources/segments/createBigSegmentImport.js';
import { getBigSegmentImport } from './resources/segments/getBigSegmentImport.js';
import { postMigrationSafetyIssues } from './resources/flags/postMigrationSafetyIssues.js';
import { createInsightGroup } from './resources/insights/createInsightGroup.js';
import { getInsightGroups } from './resources/insights/getInsightGroups.js';
import { getInsightGroup } from './resources/insights/getInsightGroup.js';
import { patchInsightGroup } from './resources/insights/patchInsightGroup.js';
import { deleteInsightGroup } from './resources/insights/deleteInsightGroup.js';
import { getInsightsScores } from './resources/insights/getInsightsScores.js';
import { getDeploymentFrequencyChart } from './resources/insights/getDeploymentFrequencyChart.js';
import { getStaleFlagsChart } from './resources/insights/getStaleFlagsChart.js';
import { getFlagStatusChart } from './resources/insights/getFlagStatusChart.js';
import { getLeadTimeChart } from './resources/insights/getLeadTimeChart.js';
import { getReleaseFrequencyChart } from './resources/insights/getReleaseFrequencyChart.js';
import { getPullRequests } from './resources/insights/getPullRequests.js';
import { getInsightsRepositories } from './resources/insights/getInsightsRepositories.js';
import { associateRepositoriesAndProjects } from './resources/insights/associateRepositoriesAndProjects.js';
import { deleteRepositoryProject } from './resources/insights/deleteRepositoryProject.js';
import { getFlagEvents } from './resources/insights/getFlagEvents.js';
import { createDeploymentEvent } from './resources/insights/createDeploymentEvent.js';
import { getDeployments } from './resources/insights/getDeployments.js';
import { getDeployment } from './resources/insights/getDeployment.js';
import { updateDeployment } from './resources/insights/updateDeployment.js';
import { listAITools } from './resources/ai-tools/listAITools.js';
import { postAITool } from './resources/ai-tools/postAITool.js';
import { getAITool } from './resources/ai-tools/getAITool.js';
import { patchAITool } from './resources/ai-tools/patchAITool.js';
import { deleteAITool } from './resources/ai-tools/deleteAITool.js';
import { listAIToolVersions } from './resources/ai-tools/listAIToolVersions.js';
import { listAIToolReferences } from './resources/ai-tools/listAIToolReferences.js';
import { postPromptSnippet } from './resources/prompt-snippets/postPromptSnippet.js';
import { listPromptSnippets } from './resources/prompt-snippets/listPromptSnippets.js';
import { getPromptSnippet } from './resources/prompt-snippets/getPromptSnippet.js';
import { patchPromptSnippet } from './resources/prompt-snippets/patchPromptSnippet.js';
import { deletePromptSnippet } from './resources/prompt-snippets/deletePromptSnippet.js';
import { listPromptSnippetReferences } from './resources/prompt-snippets/listPromptSnippetReferences.js';
import { listPromptSnippetVersions } from './resources/prompt-snippets/listPromptSnippetVersions.js';
import { listAgentGraphs } from './resources/agent-graphs/listAgentGraphs.js';
import { postAgentGraph } from './resources/agent-graphs/postAgentGraph.js';
import { getAgentGraph } from './resources/agent-graphs/getAgentGraph.js';
import { patchAgentGraph } from './resources/agent-graphs/patchAgentGraph.js';
import { deleteAgentGraph } from './resources/agent-graphs/deleteAgentGraph.js';
import { listAgentOptimizations } from './resources/agent-optimizations/listAgentOptimizations.js';
import { postAgentOptimization } from './resources/agent-optimizations/postAgentOptimization.js';
import { getAgentOptimization } from './resources/agent-optimizations/getAgentOptimization.js';
import { patchAgentOptimization } from './resources/agent-optimizations/patchAgentOptimization.js';
import { deleteAgentOptimization } from './resources/agent-optimizations/deleteAgentOptimization.js';
import { listAgentOptimizationResults } from './resources/agent-optimizations/listAgentOptimizationResults.js';
import { postAgentOptimizationResult } from './resources/agent-optimizations/postAgentOptimizationResult.js';
import { listAllAgentOptimizationResults } from './resources/agent-optimizations/listAllAgentOptimizationResults.js';
import { patchAgentOptimizationResult } from './resources/agent-optimizations/patchAgentOptimizationResult.js';
import { listAgentOptimizationRuns } from './resources/agent-optimizations/listAgentOptimizationRuns.js';
import { deleteAgentOptimizationRun } from './resources/agent-optimizations/deleteAgentOptimizationRun.js';
import { listAgentOptimizationResultsByRunId } from './resources/agent-optimizations/listAgentOptimizationResultsByRunId.js';
import { getExpiringTargetsForSegment } from './resources/segments/getExpiringTargetsForSegment.js';
import { getExpiringUserTargetsForSegment } from './resources/segments/getExpiringUserTargetsForSegment.js';
import { patchExpiringTargetsForSegment } from './resources/segments/patchExpiringTargetsForSegment.js';
import { patchExpiringUserTargetsForSegment } from './resources/segments/patchExpiringUserTargetsForSegment.js';
import { getCallerIdentity } from './resources/caller-identity/getCallerIdentity.js';
import { getAccount } from './resources/caller-identity/getAccount.js';
import { getRoot } from './resources/root/getRoot.js';
import { getVersions } from './resources/root/getVersions.js';
import { getIps } from './resources/root/getIps.js';
import { getOpenapiSpec } from './resources/root/getOpenapiSpec.js';
import { getTags } from './resources/tags/getTags.js';
import { putContextFlagSetting } from './resources/context-settings/putContextFlagSetting.js';
import { getUserFlagSettings } from './resources/context-settings/getUserFlagSettings.js';
import { getUserFlagSetting } from './resources/context-settings/getUserFlagSetting.js';
import { putFlagSetting } from './resources/context-settings/putFlagSetting.js';
import { getFlagLinks } from './resources/flag-links/getFlagLinks.js';
import { createFlagLink } from './resources/flag-links/createFlagLink.js';
import { updateFlagLink } from './resources/flag-links/updateFlagLink.js';
import { deleteFlagLink } from './resources/flag-links/deleteFlagLink.js';
import { getRepositories } from './resources/code-refs/getRepositories.js';
import { postRepository } from './resources/code-refs/postRepository.js';
import { getRepository } from './resources/code-refs/getRepository.js';
import { patchRepository } from './resources/code-refs/patchRepository.js';
import { deleteRepository } from './resources/code-refs/deleteRepository.js';
import { deleteBranches } from './resources/code-refs/deleteBranches.js';
import { getBranches } from './resources/code-refs/getBranches.js';
import { getBranch } from './resources/code-refs/getBranch.js';
import { putBranch } from './resources/code-refs/putBranch.js';
import { postExtinction } from './resources/code-refs/postExtinction.js';
import { getExtinctions } from './resources/code-refs/getExtinctions.js';
import { getRootStatistic } from './resources/code-refs/getRootStatistic.js';
import { getStatistics } from './resources/code-refs/getStatistics.js';
import { getFlagFollowers } from './resources/follow-flags/getFlagFollowers.js';
import { getFollowersByProjEnv } from './resources/follow-flags/getFollowersByProjEnv.js';
import { putFlagFollower } from './resources/follow-flags/putFlagFollower.js';
import { deleteFlagFollower } from './resources/follow-flags/deleteFlagFollower.js';
import { getProject } from './resources/projects/getProject.js';
import { getProjects } from './resources/projects/getProjects.js';
import { postProject } from './resources/projects/postProject.js';
import { patchProject } from './resources/projects/patchProject.js';
import { deleteProject } from './resources/projects/deleteProject.js';
import { getFlagDefaultsByProject } from './resources/projects/getFlagDefaultsByProject.js';
import { patchFlagDefaultsByProject } from './resources/projects/patchFlagDefaultsByProject.js';
import { putFlagDefaultsByProject } from './resources/projects/putFlagDefaultsByProject.js';
import { getEnvironment } from './resources/environments/getEnvironment.js';
import { getEnvironmentsByProject } from './resources/environments/getEnvironmentsByProject.js';
import { postEnvironment } from './resources/environments/postEnvironment.js';
import { patchEnvironment } from './resources/environments/patchEnvironment.js';
import { deleteEnvironment } from './resources/environments/deleteEnvironment.js';
import { resetEnvironmentSDKKey } from './resources/environments/resetEnvironmentSDKKey.js';
import { resetEnvironmentMobileKey } from './resources/environments/resetEnvironmentMobileKey.js';
import { getContextKindsByProjectKey } from './resources/context-kinds/getContextKindsByProjectKey.js';
import { putContextKind } from './resources/context-kinds/putContextKind.js';
import { getExperimentationSettings } from './resources/experimentation-settings/getExperimentationSettings.js';
import { putExperimentationSettings } from './resources/experimentation-settings/putExperimentationSettings.js';
import { postFeatureFlag } from './resources/flags/postFeatureFlag.js';
import { getFeatureFlags } from './resources/flags/getFeatureFlags.js';
import { getFeatureFlag } from './resources/flags/getFeatureFlag.js';
import { patchFeatureFlag } from './resources/flags/patchFeatureFlag.js';
import { deleteFeatureFlag } from './resources/flags/deleteFeatureFlag.js';
import { getFeatureFlagStatuses } from './resources/flags/getFeatureFlagStatuses.js';
import { getFeatureFlagStatus } from './resources/flags/getFeatureFlagStatus.js';
import { getFeatureFlagStatusAcrossEnvironments } from './resources/flags/getFeatureFlagStatusAcrossEnvironments.js';
import { copyFeatureFlag } from './resources/flags/copyFeatureFlag.js';
import { getDependentFlags } from './resources/flags/getDependentFlags.js';
import { getDependentFlagsByEnv } from './resources/flags/getDependentFlagsByEnv.js';
import { postSegment } from './resources/segments/postSegment.js';
import { getSegments } from './resources/segments/getSegments.js';
import { getSegment } from './resources/segments/getSegment.js';
import { patchSegment } from './resources/segments/patchSegment.js';
import { deleteSegment } from './resources/segments/deleteSegment.js';
import { updateBigSegmentContextTargets } from './resources/segments/updateBigSegmentContextTargets.js';
import { updateBigSegmentTargets } from './resources/segments/updateBigSegmentTargets.js';
import { getSegmentMembershipForContext } from './resources/segments/getSegmentMembershipForContext.js';
import { getSegmentMembershipForUser } from './resources/segments/getSegmentMembershipForUser.js';
import { evaluateContextInstance } from './resources/contexts/evaluateContextInstance.js';
import { getContexts } from './resources/contexts/getContexts.js';
import { searchContexts } from './resources/contexts/searchContexts.js';
import { getContextInstances } from './resources/contexts/getContextInstances.js';
import { searchContextInstances } from './resources/contexts/searchContextInstances.js';
import { deleteContextInstances } from './resources/contexts/deleteContextInstances.js';
import { getContextAttributeNames } from './resources/contexts/getContextAttributeNames.js';
import { getContextAttributeValues } from './resources/contexts/getContextAttributeValues.js';
import { getUsers } from './resources/users/getUsers.js';
import { getSearchUsers } from './resources/users/getSearchUsers.js';
import { getUser } from './resources/users/getUser.js';
import { deleteUser } from './resources/users/deleteUser.js';
import { getUserAttributeNames } from './resources/users/getUserAttributeNames.js';
import { getContextInstanceSegmentsMembershipByEnv } from './resources/segments/getContextInstanceSegmentsMembershipByEnv.js';
import { createExperiment } from './resources/experiments/createExperiment.js';
import { createIteration } from './resources/experiments/createIteration.js';
import { getExperiment } from './resources/experiments/getExperiment.js';
import { getExperiments } from './resources/experiments/getExperiments.js';
import { getExperimentsAnyEnv } from './resources/experiments/getExperimentsAnyEnv.js';
import { getExperimentResults } from './resources/experiments/getExperimentResults.js';
import { getExperimentResultsForMetricGroup } from './resources/experiments/getExperimentResultsForMetricGroup.js';
import { patchExperiment } from './resources/experiments/patchExperiment.js';
import { createLayer } from './resources/layers/createLayer.js';
import { getLayers } from './resources/layers/getLayers.js';
import { updateLayer } from './resources/layers/updateLayer.js';
import { getAllHoldouts } from './resources/holdouts/getAllHoldouts.js';
import { postHoldout } from './resources/holdouts/postHoldout.js';
import { getHoldout } from './resources/holdouts/getHoldout.js';
import { getHoldoutById } from './resources/holdouts/getHoldoutById.js';
import { patchHoldout } from './resources/holdouts/patchHoldout.js';
import { postMetric } from './resources/metrics/postMetric.js';
import { getMetrics } from './resources/metrics/getMetrics.js';
import { getMetric } from './resources/metrics/getMetric.js';
import { patchMetric } from './resources/metrics/patchMetric.js';
import { deleteMetric } from './resources/metrics/deleteMetric.js';
import { createMetricGroup } from './resources/metric-groups/createMetricGroup.js';
import { getMetricGroups } from './resources/metric-groups/getMetricGroups.js';
import { getMetricGroup } from './resources/metric-groups/getMetricGroup.js';
import { patchMetricGroup } from './resources/metric-groups/patchMetricGroup.js';
import { deleteMetricGroup } from './resources/metric-groups/deleteMetricGroup.js';
import { getAuditLogEntries } from './resources/audit-log/getAuditLogEntries.js';
import { getAuditLogEntry } from './resources/audit-log/getAuditLogEntry.js';
import { postAuditLogEntries } from './resources/audit-log/postAuditLogEntries.js';
import { postAuditLogEntryCounts } from './resources/audit-log/postAuditLogEntryCounts.js';
import { getAllReleasePipelines } from './resources/release-pipelines/getAllReleasePipelines.js';
import { postReleasePipeline } from './resources/release-pipelines/postReleasePipeline.js';
import { getReleasePipelineByKey } from './resources/release-pipelines/getReleasePipelineByKey.js';
import { putReleasePipeline } from './resources/release-pipelines/putReleasePipeline.js';
import { deleteReleasePipeline } from './resources/release-pipelines/deleteReleasePipeline.js';
import { getAllReleaseProgressionsForReleasePipeline } from './resources/release-pipelines/getAllReleaseProgressionsForReleasePipeline.js';
import { createReleaseForFlag } from './resources/releases/createReleaseForFlag.js';
import { getReleaseByFlagKey } from './resources/releases/getReleaseByFlagKey.js';
import { patchReleaseByFlagKey } from './resources/releases/patchReleaseByFlagKey.js';
import { deleteReleaseByFlagKey } from './resources/releases/deleteReleaseByFlagKey.js';
import { updatePhaseStatus } from './resources/releases/updatePhaseStatus.js';
import { GetReleasePolicies } from './resources/release-policies/GetReleasePolicies.js';
import { PostReleasePolicy } from './resources/release-policies/PostReleasePolicy.js';
import { PostReleasePoliciesOrder } from './resources/release-policies/PostReleasePoliciesOrder.js';
import { GetReleasePolicy } from './resources/release-policies/GetReleasePolicy.js';
import { PutReleasePolicy } from './resources/release-policies/PutReleasePolicy.js';
import { DeleteReleasePolicy } from './resources/release-policies/DeleteReleasePolicy.js';
import { registerSdkRoutes } from './sdk/routes.js';
import { postSdkKey } from './resources/sdk-keys/postSdkKey.js';
import { getSdkKeyByKey } from './resources/sdk-keys/getSdkKeyByKey.js';
import { patchSdkKeyByKey } from './resources/sdk-keys/patchSdkKeyByKey.js';
import { deleteSdkKeyByKey } from './resources/sdk-keys/deleteSdkKeyByKey.js';
import { getIpAllowlist } from './resources/ip-allowlist/getIpAllowlist.js';
import { patchIpAllowlistConfig } from './resources/ip-allowlist/patchIpAllowlistConfig.js';
import { createIpAllowlistEntry } from './resources/ip-allowlist/createIpAllowlistEntry.js';
import { patchIpAllowlistEntry } from './resources/ip-allowlist/patchIpAllowlistEntry.js';
import { deleteIpAllowlistEntry } from './resources/ip-allowlist/deleteIpAllowlistEntry.js';

export type Operation = (app: FastifyInstance, deps: Deps) => void;

export const OPERATIONS: Operation[] = [
  postToken,
  getTokens,
  getToken,
  deleteToken,
  patchToken,
  resetToken,
  getCustomRoles,
  postCustomRole,
  getCustomRole,
  patchCustomRole,
  deleteCustomRole,
  getMembers,
  getMember,
  postMembers,
  patchMembers,
  patchMember,
  deleteMember,
  postMemberTeams,
  getTeams,
  postTeam,
  patchTeams,
  getTeam,
  patchTeam,
  deleteTeam,
  getTeamMaintainers,
  getTeamRoles,
  postTeamMembers,
  getExpiringContextTargets,
  patchExpiringTargets,
  getExpiringUserTargets,
  patchExpiringUserTargets,
  getExpiringFlagsForUser,
  patchExpiringFlagsForUser,
  getExpiringTargetsForSegment,
  patchExpiringTargetsForSegment,
  getExpiringUserTargetsForSegment,
  patchExpiringUserTargetsForSegment,
  getCallerIdentity,
  getAccount,
  getRoot,
  getVersions,
  getIps,
  getOpenapiSpec,
  getTags,
  putContextFlagSetting,
  getUserFlagSettings,
  getUserFlagSetting,
  putFlagSetting,
  getFlagLinks,
  createFlagLink,
  updateFlagLink,
  deleteFlagLink,
  getRepositories,
  postRepository,
  getRepository,
  patchRepository,
  deleteRepository,
  deleteBranches,
  getBranches,
  getBranch,
  putBranch,
  postExtinction,
  getExtinctions,
  getRootStatistic,
  getStatistics,
  getFlagFollowers,
  getFollowersByProjEnv,
  putFlagFollower,
  deleteFlagFollower,
  postProject,
  getProjects,
  getProject,
  patchProject,
  deleteProject,
  getFlagDefaultsByProject,
  patchFlagDefaultsByProject,
  putFlagDefaultsByProject,
  postEnvironment,
  getEnvironmentsByProject,
  getEnvironment,
  patchEnvironment,
  deleteEnvironment,
  resetEnvironmentSDKKey,
  resetEnvironmentMobileKey,
  getContextKindsByProjectKey,
  putContextKind,
  getExperimentationSettings,
  putExperimentationSettings,
  postFeatureFlag,
  getFeatureFlags,
  getFeatureFlag,
  patchFeatureFlag,
  deleteFeatureFlag,
  getFeatureFlagStatuses,
  getFeatureFlagStatus,
  getFeatureFlagStatusAcrossEnvironments,
  copyFeatureFlag,
  getDependentFlags,
  getDependentFlagsByEnv,
  postSegment,
  getSegments,
  getSegment,
  patchSegment,
  deleteSegment,
  updateBigSegmentContextTargets,
  updateBigSegmentTargets,
  getSegmentMembershipForContext,
  getSegmentMembershipForUser,
  getContextInstanceSegmentsMembershipByEnv,
  evaluateContextInstance,
  getContexts,
  searchContexts,
  getContextInstances,
  searchContextInstances,
  deleteContextInstances,
  getContextAttributeNames,
  getContextAttributeValues,
  getUsers,
  getSearchUsers,
  getUser,
  deleteUser,
  getUserAttributeNames,
  createExperiment,
  createIteration,
  getExperiment,
  getExperiments,
  getExperimentsAnyEnv,
  getExperimentResults,
  getExperimentResultsForMetricGroup,
  patchExperiment,
  createLayer,
  getLayers,
  updateLayer,
  getAllHoldouts,
  postHoldout,
  getHoldoutById,
  getHoldout,
  patchHoldout,
  postMetric,
  getMetrics,
  getMetric,
  patchMetric,
  deleteMetric,
  createMetricGroup,
  getMetricGroups,
  getMetricGroup,
  patchMetricGroup,
  deleteMetricGroup,
  getAuditLogEntries,
  getAuditLogEntry,
  postAuditLogEntries,
  postAuditLogEntryCounts,
  getFlagConfigScheduledChanges,
  postFlagConfigScheduledChanges,
  getFeatureFlagScheduledChange,
  patchFlagConfigScheduledChange,
  deleteFlagConfigScheduledChanges,
  getApprovalsForFlag,
  postApprovalRequestForFlag,
  getApprovalForFlag,
  patchFlagConfigApprovalRequest,
  deleteApprovalRequestForFlag,
  postApprovalRequestReviewForFlag,
  postApprovalRequestApplyForFlag,
  postFlagCopyConfigApprovalRequest,
  getApprovalRequests,
  postApprovalRequest,
  getApprovalRequest,
  patchApprovalRequest,
  deleteApprovalRequest,
  postApprovalRequestReview,
  postApprovalRequestApply,
  getApprovalRequestSettings,
  patchApprovalRequestSettings,
  getTriggerWorkflows,
  createTriggerWorkflow,
  getTriggerWorkflowById,
  patchTriggerWorkflow,
  deleteTriggerWorkflow,
  invokeTrigger,
  getAllWebhooks,
  postWebhook,
  getWebhook,
  patchWebhook,
  deleteWebhook,
  getRelayProxyConfigs,
  postRelayAutoConfig,
  getRelayProxyConfig,
  patchRelayAutoConfig,
  deleteRelayAutoConfig,
  resetRelayAutoConfig,
  getDestinations,
  postDestination,
  getDestination,
  patchDestination,
  deleteDestination,
  postGenerateWarehouseDestinationKeyPair,
  postGenerateTrustPolicy,
  postGenerateProjectEnvWarehouseDestinationKeyPair,
  postGenerateWarehouseDestinationSetupScript,
  postCompleteWarehouseDestinationSetup,
  getSubscriptions,
  createSubscription,
  getSubscriptionByID,
  updateSubscription,
  deleteSubscription,
  getBigSegmentStoreIntegrations,
  createBigSegmentStoreIntegration,
  getBigSegmentStoreIntegration,
  patchBigSegmentStoreIntegration,
  deleteBigSegmentStoreIntegration,
  getAllIntegrationConfigurations,
  createIntegrationConfiguration,
  getIntegrationConfiguration,
  updateIntegrationConfiguration,
  deleteIntegrationConfiguration,
  getIntegrationDeliveryConfigurations,
  getIntegrationDeliveryConfigurationByEnvironment,
  createIntegrationDeliveryConfiguration,
  getIntegrationDeliveryConfigurationById,
  patchIntegrationDeliveryConfiguration,
  deleteIntegrationDeliveryConfiguration,
  validateIntegrationDeliveryConfiguration,
  getFlagImportConfigurations,
  createFlagImportConfiguration,
  getFlagImportConfiguration,
  patchFlagImportConfiguration,
  deleteFlagImportConfiguration,
  triggerFlagImportJob,
  getApplications,
  getApplication,
  patchApplication,
  deleteApplication,
  getApplicationVersions,
  patchApplicationVersion,
  deleteApplicationVersion,
  getAllReleasePipelines,
  postReleasePipeline,
  getReleasePipelineByKey,
  putReleasePipeline,
  deleteReleasePipeline,
  getAllReleaseProgressionsForReleasePipeline,
  createReleaseForFlag,
  getReleaseByFlagKey,
  patchReleaseByFlagKey,
  deleteReleaseByFlagKey,
  updatePhaseStatus,
  GetReleasePolicies,
  PostReleasePolicy,
  PostReleasePoliciesOrder,
  GetReleasePolicy,
  PutReleasePolicy,
  DeleteReleasePolicy,
  getAIConfigs,
  postAIConfig,
  getAIConfig,
  patchAIConfig,
  deleteAIConfig,
  postAIConfigVariation,
  getAIConfigVariation,
  patchAIConfigVariation,
  deleteAIConfigVariation,
  getAIConfigTargeting,
  patchAIConfigTargeting,
  getAIConfigMetrics,
  getAIConfigQuickStats,
  getAIConfigMetricsByVariation,
  listModelConfigs,
  postModelConfig,
  getModelConfig,
  deleteModelConfig,
  postRestrictedModels,
  deleteRestrictedModels,
  getViews,
  createView,
  getView,
  updateView,
  deleteView,
  linkResource,
  unlinkResource,
  getLinkedResources,
  getLinkedViews,
  getWorkflows,
  postWorkflow,
  getCustomWorkflow,
  deleteWorkflow,
  getWorkflowTemplates,
  createWorkflowTemplate,
  deleteWorkflowTemplate,
  listAITools,
  postAITool,
  getAITool,
  patchAITool,
  deleteAITool,
  listAIToolVersions,
  listAIToolReferences,
  postPromptSnippet,
  listPromptSnippets,
  getPromptSnippet,
  patchPromptSnippet,
  deletePromptSnippet,
  listPromptSnippetReferences,
  listPromptSnippetVersions,
  listAgentGraphs,
  postAgentGraph,
  getAgentGraph,
  patchAgentGraph,
  deleteAgentGraph,
  listAgentOptimizations,
  postAgentOptimization,
  getAgentOptimization,
  patchAgentOptimization,
  deleteAgentOptimization,
  listAgentOptimizationResults,
  postAgentOptimizationResult,
  listAllAgentOptimizationResults,
  patchAgentOptimizationResult,
  listAgentOptimizationRuns,
  deleteAgentOptimizationRun,
  listAgentOptimizationResultsByRunId,
  getOAuthClients,
  createOAuth2Client,
  getOAuthClientById,
  patchOAuthClient,
  deleteOAuthClient,
  getAnnouncementsPublic,
  createAnnouncementPublic,
  updateAnnouncementPublic,
  deleteAnnouncementPublic,
  createBigSegmentExport,
  getBigSegmentExport,
  getBigSegmentExportFile,
  createBigSegmentImport,
  getBigSegmentImport,
  postMigrationSafetyIssues,
  createDeploymentEvent,
  getDeployments,
  getDeployment,
  updateDeployment,
  getFlagEvents,
  getInsightsRepositories,
  associateRepositoriesAndProjects,
  deleteRepositoryProject,
  getPullRequests,
  getDeploymentFrequencyChart,
  getStaleFlagsChart,
  getFlagStatusChart,
  getLeadTimeChart,
  getReleaseFrequencyChart,
  createInsightGroup,
  getInsightGroups,
  getInsightGroup,
  patchInsightGroup,
  deleteInsightGroup,
  getInsightsScores,
  getContextsClientsideUsage,
  getMAUClientsideUsage,
  getDataExportEventsUsage,
  getEvaluationsUsage,
  getEventsUsage,
  getExperimentationEventsUsage,
  getExperimentationKeysUsage,
  getMauUsage,
  getMauUsageByCategory,
  getMauSdksByType,
  getObservabilityErrorsUsage,
  getObservabilityLogsUsage,
  getObservabilityMetricsUsage,
  getObservabilitySessionsUsage,
  getObservabilityTracesUsage,
  getSdkVersionsDetails,
  getContextsServersideUsage,
  getServiceConnectionsUsage,
  getStreamUsage,
  getStreamUsageBySdkVersion,
  getStreamUsageSdkversion,
  getContextsTotalUsage,
  getMAUTotalUsage,
  getVegaAIUsage,
  getAIRunsUsage,
  getSdkAllVersions,
  getSdkActive,
  postTracking,
  postDeviceAuthorization,
  postEvaluationSummaries,
  getMonitorContextKinds,
  getMonitorContextsCount,
  getWarehouseExportUsage,
  postSdkKey,
  getSdkKeyByKey,
  patchSdkKeyByKey,
  deleteSdkKeyByKey,
  getIpAllowlist,
  patchIpAllowlistConfig,
  createIpAllowlistEntry,
  patchIpAllowlistEntry,
  deleteIpAllowlistEntry,
];

export function registerRoutes(app: FastifyInstance, deps: Deps): void {
  for (const operation of OPERATIONS) operation(app, deps);
  registerSdkRoutes(app, deps);
  startExpiryJob(app, deps);
  startReallocationJob(app, deps);
  startWebhookJob(app, deps);
  startScheduledChangesJob(app, deps);
  startWorkflowsJob(app, deps);
  startBigSegmentSync(app, deps);
}
