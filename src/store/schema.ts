// The tables, as Kysely sees them. Resources are JSON documents (`doc`) with the columns queries need beside them.

export interface MembersTable {
  id: string;
  email: string;
  doc: string;
  created_at: number;
}

export interface TokensTable {
  id: string;
  /** sha256 of the full token; the token itself is never stored. */
  hash: string;
  member_id: string;
  role: string;
  doc: string;
  created_at: number;
  last_modified: number;
}

export interface ProjectsTable {
  id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

export interface EnvironmentsTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  sdk_key: string;
  mobile_key: string;
  position: number;
  created_at: number;
}

export interface ContextKindsTable {
  project_id: string;
  key: string;
  doc: string;
  created_at: number;
  /** When a context of the kind was last seen in the SDKs' events (migration 015). */
  last_seen?: number | null;
}

export interface ExperimentationSettingsTable {
  project_id: string;
  doc: string;
  created_at: number;
}

export interface FlagsTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  archived: number;
  created_at: number;
}

export interface FlagConfigsTable {
  flag_id: string;
  environment_id: string;
  doc: string;
  version: number;
}

export interface MetricsTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

export interface MetricGroupsTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

export interface ExperimentsTable {
  id: string;
  project_id: string;
  environment_id: string;
  key: string;
  name: string;
  doc: string;
  /** Status of the current iteration (the latest started one, else the draft). */
  status: string;
  archived_date: number | null;
  created_at: number;
  /** The holdout the experiment is in, if any (holdouts.id). */
  holdout_id: string | null;
}

export interface IterationsTable {
  id: string;
  experiment_id: string;
  status: string;
  doc: string;
  created_at: number;
  started_at: number | null;
  /** A running multi-armed bandit's next reallocation (migration 013); null otherwise. */
  reallocate_at?: number | null;
}

/** A context instance as an SDK sent it (migration 014): per environment, instance and source application. */
export interface ContextInstancesTable {
  environment_id: string;
  /** base64url of the instance's fully qualified key. */
  instance_id: string;
  /** The application the SDK said it runs in, else the SDK's name and version. */
  application_id: string;
  /** {context, anonymousKinds?} */
  doc: string;
  last_seen: number;
}

/** The kind/key pairs of each multi-context instance. */
export interface ContextInstanceKindsTable {
  environment_id: string;
  instance_id: string;
  kind: string;
  key: string;
}

/**
 * Which flags and metrics (kind `flag`, `metric`, `metric-group`, and `group-metric` for a member of a listed metric
 * group) each iteration references, for filters.
 */
export interface ExperimentRefsTable {
  experiment_id: string;
  iteration_id: string;
  kind: string;
  key: string;
}

export interface LayersTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

/** One experiment's share of a layer's traffic; the experiment row fixes the environment. */
export interface LayerReservationsTable {
  experiment_id: string;
  layer_id: string;
  environment_id: string;
  reservation_percent: number;
  /** Order within the layer and environment (the order reservations were added). */
  position: number;
  created_at: number;
}

export interface FlagFollowersTable {
  flag_id: string;
  environment_id: string;
  member_id: string;
  created_at: number;
}

export interface FlagScheduledChangesTable {
  id: string;
  flag_id: string;
  environment_id: string;
  /** When the instructions are to be applied (epoch ms). */
  execution_date: number;
  /** instructions, comment, maintainerId, version (ScheduledChangeDoc). */
  doc: string;
  created_at: number;
}

export interface FlagApprovalRequestsTable {
  id: string;
  project_id: string;
  flag_id: string;
  environment_id: string;
  /** pending, completed, failed or scheduled. */
  status: string;
  /** pending, approved or declined. */
  review_status: string;
  /** The member who asked. */
  requestor_id: string;
  /** description, instructions, reviews, notified members, what applying it did (ApprovalDoc). */
  doc: string;
  created_at: number;
}

/** A segment's approval request: the same columns as a flag's, of a segment (SegmentApprovalDoc in `doc`). */
export interface SegmentApprovalRequestsTable extends Omit<FlagApprovalRequestsTable, 'flag_id'> {
  segment_id: string;
}

/** A flag's workflow in one environment (migration 033): active, completed or failed, and its stages (WorkflowDoc). */
export interface FlagWorkflowsTable {
  id: string;
  flag_id: string;
  environment_id: string;
  /** active, completed or failed: the job reads the active ones. */
  status: string;
  /** name, description, maintainer, the stages with their conditions, instructions and progress (WorkflowDoc). */
  doc: string;
  created_at: number;
}

/** A workflow template (migration 033): the account's, by its unique key (TemplateDoc). */
export interface WorkflowTemplatesTable {
  id: string;
  key: string;
  /** name, description, owner, maintainer, the flag it was made from, its stages and parameters (TemplateDoc). */
  doc: string;
  created_at: number;
}

export interface FlagTriggersTable {
  id: string;
  flag_id: string;
  environment_id: string;
  /** SHA-256 (hex) of the secret part of the trigger's URL. */
  secret_hash: string;
  /** integrationKey, instructions, enabled, maintainerId, version, comment, and what triggering has done (FlagTriggerDoc). */
  doc: string;
  created_at: number;
}

/** A Data Export destination (migration 024): its kind, and name, config, on and version (DestinationDoc). */
export interface DestinationsTable {
  id: string;
  environment_id: string;
  kind: string;
  doc: string;
  created_at: number;
}

/** The account's Snowflake key pair (migration 024): one row, id `account`, both keys as PEM. */
export interface DestinationKeyPairsTable {
  id: string;
  public_key: string;
  private_key: string;
  created_at: number;
}

/** An environment's own Snowflake key pair (migration 042): both keys as PEM. */
export interface DestinationEnvironmentKeyPairsTable {
  environment_id: string;
  public_key: string;
  private_key: string;
  created_at: number;
}

/** A warehouse destination's setup waiting to be completed (migration 042): one per environment and kind (SetupDoc). */
export interface DestinationSetupsTable {
  environment_id: string;
  kind: string;
  doc: string;
  created_at: number;
}

/** An AI Config (migration 030): its key, the flag SDKs evaluate it by (flag_id), and the rest in `doc` (AIConfigDoc). */
export interface AiConfigsTable {
  id: string;
  project_id: string;
  key: string;
  flag_id: string;
  doc: string;
  created_at: number;
}

/** One version of an AI Config variation (migration 030): `id` is the variation's, the same in every version (AIConfigVariationDoc in `doc`). */
export interface AiConfigVariationsTable {
  config_id: string;
  key: string;
  version: number;
  id: string;
  doc: string;
  created_at: number;
}

/** A project's AI model config (migration 030); ModelConfigDoc in `doc`. */
export interface AiModelConfigsTable {
  id: string;
  project_id: string;
  key: string;
  doc: string;
  created_at: number;
}

/** A model config key the project restricts (migration 030): its own model configs' or a global one's. */
export interface AiRestrictedModelsTable {
  project_id: string;
  key: string;
  created_at: number;
}

export interface WebhooksTable {
  id: string;
  /** 1 when the webhook is on: the outbox trigger reads it. */
  enabled: number;
  /** name, url, secret, statements, tags (WebhookDoc). */
  doc: string;
  created_at: number;
  last_modified: number;
}

/** An integration audit log subscription (migration 025). */
/** An application (migration 026): seen in an SDK's X-LaunchDarkly-Tags (auto_added 1). */
export interface ApplicationsTable {
  key: string;
  /** browser, mobile or server. */
  kind: string;
  name: string;
  description: string | null;
  auto_added: number;
  /** LaunchDarkly's `_version`: 1, and one more per change. */
  version: number;
  created_at: number;
}

/** A version of an application (migration 026). */
export interface ApplicationVersionsTable {
  application_key: string;
  key: string;
  name: string;
  supported: number;
  auto_added: number;
  version: number;
  created_at: number;
}

/** A flag an application's SDKs reported evaluating in an environment (migration 026). */
export interface ApplicationFlagsTable {
  application_key: string;
  environment_id: string;
  flag_key: string;
}

/** An AI tool (migration 031): its key, the newest version's number, and its maintainer (AIToolDoc). */
export interface AiToolsTable {
  id: string;
  project_id: string;
  key: string;
  version: number;
  doc: string;
  created_at: number;
}

/** One version of an AI tool's definition (migration 031): description, schema, custom parameters (AIToolVersionDoc). */
export interface AiToolVersionsTable {
  tool_id: string;
  version: number;
  doc: string;
  created_at: number;
}

/** A prompt snippet (migration 031): its key, the newest version's number, and its maintainer (PromptSnippetDoc, since migration 039). */
export interface PromptSnippetsTable {
  id: string;
  project_id: string;
  key: string;
  version: number;
  doc: string;
  created_at: number;
}

/** One version of a prompt snippet's content (migration 039): name, description, text and tags (PromptSnippetVersionDoc). */
export interface PromptSnippetVersionsTable {
  snippet_id: string;
  version: number;
  doc: string;
  created_at: number;
}

/** An agent graph (migration 031): name, description, maintainer, root and edges in its doc (AgentGraphDoc). */
export interface AgentGraphsTable {
  id: string;
  project_id: string;
  key: string;
  doc: string;
  created_at: number;
  updated_at: number;
}

/** An agent optimization (migration 040): its current version's number and definition (AgentOptimizationDoc). */
export interface AgentOptimizationsTable {
  id: string;
  project_id: string;
  key: string;
  version: number;
  doc: string;
  /** When the current version was made. */
  created_at: number;
}

/** One result of an agent optimization run (migration 040), as clients post and update it (AgentOptimizationResultDoc). */
export interface AgentOptimizationResultsTable {
  id: string;
  optimization_id: string;
  run_id: string;
  iteration: number;
  /** The optimization's version the run used. */
  version: number;
  status: string;
  activity: string;
  doc: string;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface AuditLogSubscriptionsTable {
  id: string;
  /** The integration it configures (datadog, slack, ...): its `kind`. */
  integration_key: string;
  /** name, config (secrets included), statements, on, tags (SubscriptionDoc). */
  doc: string;
  created_at: number;
  last_modified: number;
}

/** An integration configuration (migration 037). */
export interface IntegrationConfigurationsTable {
  id: string;
  integration_key: string;
  /** Unique within its integration. */
  name: string;
  /** name, configValues (secrets included), enabled, tags, capabilityConfig (IntegrationConfigurationDoc). */
  doc: string;
  created_at: number;
}

/** A delivery configuration: an edge feature store an environment's flag data is for (migration 037). */
export interface DeliveryConfigurationsTable {
  id: string;
  environment_id: string;
  integration_key: string;
  /** name, config (secrets included), on, tags (DeliveryConfigurationDoc). */
  doc: string;
  version: number;
  created_at: number;
  last_modified: number;
}

/** A flag import configuration of a project (migration 037). */
export interface FlagImportConfigurationsTable {
  id: string;
  project_id: string;
  integration_key: string;
  /** name, config (secrets included), tags (FlagImportDoc). */
  doc: string;
  version: number;
  /** What the import jobs last did (FlagImportStatus), written by triggerFlagImportJob only. */
  status: string;
  created_at: number;
  last_modified: number;
}

/** A code references repository (migration 023). */
export interface CodeRefRepositoriesTable {
  name: string;
  /** sourceLink, commitUrlTemplate, hunkUrlTemplate, type, defaultBranch, enabled (RepositoryDoc). */
  doc: string;
  version: number;
  created_at: number;
}

/** A repository's branch and the references found in it (migration 023). */
export interface CodeRefBranchesTable {
  repo_name: string;
  name: string;
  /** head, updateSequenceId, syncTime, commitTime, references (BranchDoc). */
  doc: string;
}

/** A flag's last reference removed from a branch (migration 023). */
export interface CodeRefExtinctionsTable {
  id: string;
  repo_name: string;
  branch_name: string;
  proj_key: string;
  flag_key: string;
  time: number;
  /** revision, message (ExtinctionDoc). */
  doc: string;
}

/** A flag link (migration 022). */
/** A release pipeline (migration 034): its key, and name, description, tags, phases, legacy and version (PipelineDoc). */
export interface ReleasePipelinesTable {
  id: string;
  project_id: string;
  key: string;
  doc: string;
  created_at: number;
}

/** A flag's release along a pipeline (migration 034): one per flag; `active` 1 until every phase is complete (ReleaseDoc). */
export interface FlagReleasesTable {
  id: string;
  flag_id: string;
  pipeline_id: string;
  active: number;
  doc: string;
  created_at: number;
}

/** A release policy (migration 034): its key, its rank in the project (1 first), and the rest (ReleasePolicyDoc). */
export interface ReleasePoliciesTable {
  id: string;
  project_id: string;
  key: string;
  rank: number;
  doc: string;
  created_at: number;
}

export interface FlagLinksTable {
  id: string;
  flag_id: string;
  key: string | null;
  /** deepLink, title, description, timestamp, memberId (FlagLinkDoc). */
  doc: string;
  created_at: number;
}

/** A Relay Proxy configuration (migration 021): its key only as hashes. */
export interface RelayAutoConfigsTable {
  id: string;
  key_hash: string;
  /** The key before the last reset, while it still works (until old_key_expires_at). */
  old_key_hash: string | null;
  old_key_expires_at: number | null;
  /** name, policy, displayKey, creatorId (RelayAutoConfigDoc). */
  doc: string;
  created_at: number;
  last_modified: number;
}

/** An audit entry to deliver: to every matching webhook (webhook_id ''), or again to one. */
export interface WebhookDeliveriesTable {
  entry_id: string;
  webhook_id: string;
  attempts: number;
  /** When the row is next due (epoch ms); a pass that takes it moves this past its lease. */
  next_at: number;
}

export interface AuditLogTable {
  id: string;
  date: number;
  member_id: string | null;
  token_id: string | null;
  kind: string;
  resource: string;
  project_key: string | null;
  doc: string;
}

export interface SdkEventsTable {
  id: string;
  environment_id: string;
  kind: string;
  key: string | null;
  creation_date: number;
  received_at: number;
  context_keys: string | null;
  variation: number | null;
  in_experiment: number | null;
  value: number | null;
  doc: string;
}

export interface SdkEventPayloadsTable {
  environment_id: string;
  payload_id: string;
  received_at: number;
}

/** When SDKs last evaluated a flag key in an environment, kept up to date as their events arrive (flag statuses). */
/** An hourly usage counter (migration 036): a metric's count and connected minutes in one environment, hour and series. */
export interface UsageCountsTable {
  metric: string;
  /** The hour's start (epoch ms, UTC). */
  hour: number;
  environment_id: string;
  /** The series' dimensions: a JSON array of strings. */
  dims: string;
  count: number;
  minutes: number;
}

/** A context key (`kind:key`) seen on a day (migration 036), by metric and series dimensions; a key over 200 characters as `#` and its SHA-256. */
/** An account usage series of keys: a metric, environment and dimensions (JSON), named by a hash of them. */
export interface UsageSeriesTable {
  id: string;
  metric: string;
  environment_id: string;
  dims: string;
}

/** A key seen in a series and period. */
export interface UsageSeriesKeysTable {
  series: string;
  /** The day's start (epoch ms, UTC); the hour's for experimentation keys. */
  day: number;
  key_hash: string;
}

export interface FlagRequestsTable {
  environment_id: string;
  flag_key: string;
  last_requested: number;
  /** The default value (JSON) the SDK's code passed in the latest evaluation that carried one; null when none did. */
  default_value: string | null;
  /** When that evaluation was; null with default_value. */
  default_seen_at: number | null;
}

/** The last UTC day (epoch ms of its start) the SDKs reported a flag evaluated for a context kind (migration 044). */
export interface FlagContextKindsTable {
  environment_id: string;
  flag_key: string;
  context_kind: string;
  last_day: number;
}

export interface RetiredSdkKeysTable {
  sdk_key: string;
  environment_id: string;
  expires_at: number;
}

export interface SegmentsTable {
  id: string;
  environment_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

/** A view (migration 032): a named group of a project's flags and segments; the rest of it is in `doc` (ViewDoc). */
export interface ViewsTable {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

/** A flag linked to a view (migration 032), and when. */
export interface ViewFlagsTable {
  view_id: string;
  flag_id: string;
  linked_at: number;
}

/** A segment (of one environment) linked to a view (migration 032), and when. */
export interface ViewSegmentsTable {
  view_id: string;
  segment_id: string;
  linked_at: number;
}

/** A registered OAuth 2.0 client (migration 035): its id is the client id; `doc` is OAuthClientDoc (the secret's hash, never the secret). */
/** An environment's SDK key beside its own (migration 041): `kind` sdk or mobile, `doc` SdkKeyDoc; no expires_at never expires. */
export interface SdkKeysTable {
  id: string;
  environment_id: string;
  key: string;
  kind: string;
  value: string;
  expires_at: number | null;
  version: number;
  doc: string;
  created_at: number;
  updated_at: number;
}

/** An IP allowlist entry (migration 041): an address or CIDR block, `doc` its description and creator. */
export interface IpAllowlistEntriesTable {
  id: string;
  ip_address: string;
  doc: string;
  created_at: number;
  updated_at: number;
}

/** An account-wide setting (migration 041) by key, as a document: `ip-allowlist` (IpAllowlistConfig). */
export interface AccountSettingsTable {
  key: string;
  doc: string;
  updated_at: number;
}

export interface OAuthClientsTable {
  id: string;
  name: string;
  doc: string;
  created_at: number;
}

/** An account announcement (migration 035): its window beside `doc` (AnnouncementDoc); no end_time is open-ended. */
export interface AnnouncementsTable {
  id: string;
  start_time: number;
  end_time: number | null;
  doc: string;
  created_at: number;
}

/** A big segment's export (migration 035): the CSV file of its included keys when asked for, and `doc` (ExportDoc). */
export interface BigSegmentExportsTable {
  id: string;
  segment_id: string;
  doc: string;
  csv: string;
  created_at: number;
}

/** A big segment's import (migration 035): what the uploaded file did (ImportDoc). */
export interface BigSegmentImportsTable {
  id: string;
  segment_id: string;
  doc: string;
  created_at: number;
}

/** A persistent store integration (migration 029): where an environment's big segment membership is synced. */
export interface BigSegmentStoresTable {
  id: string;
  environment_id: string;
  /** `redis` or `dynamodb`. */
  integration_key: string;
  /** name, config (secrets included), on, tags (StoreIntegrationDoc). */
  doc: string;
  version: number;
  /** The last sync's outcome (StoreSyncStatus), written by the sync only. */
  status: string;
  created_at: number;
  last_modified: number;
}

/** A context key a big segment includes or excludes (migration 028). */
export interface BigSegmentTargetsTable {
  segment_id: string;
  context_key: string;
  side: 'included' | 'excluded';
}

export interface HoldoutsTable {
  id: string;
  environment_id: string;
  /** The base experiment (type "holdout"). */
  experiment_id: string;
  key: string;
  /** The holdout's flag (purpose "holdout"), the prerequisite its experiments' flags get. */
  flag_key: string;
  doc: string;
  created_at: number;
}

export interface CustomRolesTable {
  id: string;
  key: string;
  /** name, description, policy, basePermissions, resourceCategory (CustomRoleDoc). */
  doc: string;
  created_at: number;
  last_modified: number;
}

export interface TeamsTable {
  id: string;
  key: string;
  /** name, description, custom roles, role attributes, members and permission grants (TeamDoc). */
  doc: string;
  created_at: number;
  last_modified: number;
}

export interface ExpiringTargetsTable {
  id: string;
  project_id: string;
  environment_id: string;
  /** What may be scheduled once, as a JSON array: `["flag", flagId, environmentId, contextKind, contextKey]`, or a segment's with its list. */
  slot: string;
  /** ExpiringTargetDoc: the flag, context, variation, version. */
  doc: string;
  expiration_date: number;
}

/** A deployment CI reported (migration 038): an application version deployed to an environment; the rest in `doc` (DeploymentDoc). */
export interface InsightDeploymentsTable {
  id: string;
  project_id: string;
  environment_id: string;
  application_key: string;
  version: string;
  started_at: number;
  status: string;
  doc: string;
}

/** A code references repository associated with a project for engineering insights (migration 038). */
export interface InsightRepositoryProjectsTable {
  repository_key: string;
  project_id: string;
  created_at: number;
}

/** An insight group (migration 038): a project's environment and applications scored together; the rest in `doc`. */
export interface InsightGroupsTable {
  key: string;
  project_id: string;
  environment_id: string;
  name: string;
  doc: string;
  created_at: number;
}

export interface Database {
  members: MembersTable;
  expiring_targets: ExpiringTargetsTable;
  teams: TeamsTable;
  tokens: TokensTable;
  custom_roles: CustomRolesTable;
  projects: ProjectsTable;
  environments: EnvironmentsTable;
  context_kinds: ContextKindsTable;
  experimentation_settings: ExperimentationSettingsTable;
  flags: FlagsTable;
  flag_configs: FlagConfigsTable;
  metrics: MetricsTable;
  metric_groups: MetricGroupsTable;
  experiments: ExperimentsTable;
  iterations: IterationsTable;
  experiment_refs: ExperimentRefsTable;
  layers: LayersTable;
  layer_reservations: LayerReservationsTable;
  audit_log: AuditLogTable;
  flag_followers: FlagFollowersTable;
  flag_triggers: FlagTriggersTable;
  flag_scheduled_changes: FlagScheduledChangesTable;
  flag_approval_requests: FlagApprovalRequestsTable;
  flag_workflows: FlagWorkflowsTable;
  workflow_templates: WorkflowTemplatesTable;
  segment_approval_requests: SegmentApprovalRequestsTable;
  webhooks: WebhooksTable;
  relay_auto_configs: RelayAutoConfigsTable;
  flag_links: FlagLinksTable;
  release_pipelines: ReleasePipelinesTable;
  flag_releases: FlagReleasesTable;
  insight_deployments: InsightDeploymentsTable;
  insight_repository_projects: InsightRepositoryProjectsTable;
  insight_groups: InsightGroupsTable;
  release_policies: ReleasePoliciesTable;
  destinations: DestinationsTable;
  destination_key_pairs: DestinationKeyPairsTable;
  destination_environment_key_pairs: DestinationEnvironmentKeyPairsTable;
  destination_setups: DestinationSetupsTable;
  ai_configs: AiConfigsTable;
  ai_config_variations: AiConfigVariationsTable;
  ai_model_configs: AiModelConfigsTable;
  ai_restricted_models: AiRestrictedModelsTable;
  code_ref_repositories: CodeRefRepositoriesTable;
  audit_log_subscriptions: AuditLogSubscriptionsTable;
  applications: ApplicationsTable;
  application_versions: ApplicationVersionsTable;
  application_flags: ApplicationFlagsTable;
  code_ref_branches: CodeRefBranchesTable;
  code_ref_extinctions: CodeRefExtinctionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sdk_events: SdkEventsTable;
  sdk_event_payloads: SdkEventPayloadsTable;
  flag_requests: FlagRequestsTable;
  flag_context_kinds: FlagContextKindsTable;
  usage_counts: UsageCountsTable;
  usage_series: UsageSeriesTable;
  usage_series_keys: UsageSeriesKeysTable;
  retired_sdk_keys: RetiredSdkKeysTable;
  segments: SegmentsTable;
  big_segment_targets: BigSegmentTargetsTable;
  big_segment_stores: BigSegmentStoresTable;
  integration_configurations: IntegrationConfigurationsTable;
  delivery_configurations: DeliveryConfigurationsTable;
  flag_import_configurations: FlagImportConfigurationsTable;
  views: ViewsTable;
  view_flags: ViewFlagsTable;
  view_segments: ViewSegmentsTable;
  oauth_clients: OAuthClientsTable;
  sdk_keys: SdkKeysTable;
  ip_allowlist_entries: IpAllowlistEntriesTable;
  account_settings: AccountSettingsTable;
  announcements: AnnouncementsTable;
  big_segment_exports: BigSegmentExportsTable;
  big_segment_imports: BigSegmentImportsTable;
  holdouts: HoldoutsTable;
  context_instances: ContextInstancesTable;
  context_instance_kinds: ContextInstanceKindsTable;
  ai_tools: AiToolsTable;
  ai_tool_versions: AiToolVersionsTable;
  prompt_snippets: PromptSnippetsTable;
  prompt_snippet_versions: PromptSnippetVersionsTable;
  agent_graphs: AgentGraphsTable;
  agent_optimizations: AgentOptimizationsTable;
  agent_optimization_results: AgentOptimizationResultsTable;
}
