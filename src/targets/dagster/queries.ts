/**
 * The GraphQL operations the dagster target sends, as plain strings (Dagster 1.13's schema, printed
 * by dagster_graphql.schema.create_schema()). Every field that can fail is a union: the answer's
 * __typename says which member came, and every error member implements Error { message }.
 */

/** The job exists and the run config fits its config schema: before any run of the step starts. */
export const PREPARE = `query PipelineTriggerPrepare($selector: PipelineSelector!, $runConfigData: RunConfigData) {
  pipelineOrError(params: $selector) { __typename ... on Pipeline { name } ... on Error { message } }
  isPipelineConfigValid(pipeline: $selector, mode: "default", runConfigData: $runConfigData) {
    __typename
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message }
  }
}`

/**
 * The code locations a server has, each with its load status and either its jobs or the error it
 * failed to load with: why a job was not found (a location still loading, failed, or another name).
 */
export const WORKSPACE = `query PipelineTriggerWorkspace {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name loadStatus
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { repositories { name pipelines { name } } }
          ... on PythonError { message cause { message } }
        }
      }
    }
    ... on Error { message }
  }
}`

export const LAUNCH = `mutation PipelineTriggerLaunch($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message }
  }
}`

export const RUN = `query PipelineTriggerRun($runId: ID!) {
  runOrError(runId: $runId) { __typename ... on Run { runId status } ... on Error { message } }
}`

/** The runs our tag marks: whether a start whose answer was lost made one. */
export const FIND = `query PipelineTriggerFind($filter: RunsFilter!) {
  runsOrError(filter: $filter, limit: 1) {
    __typename
    ... on Runs { results { runId status } }
    ... on Error { message }
  }
}`

export const TERMINATE = `mutation PipelineTriggerTerminate($runId: String!) {
  terminateRun(runId: $runId, terminatePolicy: SAFE_TERMINATE) {
    __typename
    ... on TerminateRunFailure { message run { status } }
    ... on Error { message }
  }
}`

const METADATA = `metadataEntries {
  __typename label
  ... on FloatMetadataEntry { floatValue floatRepr }
  ... on IntMetadataEntry { intValue intRepr }
  ... on TextMetadataEntry { text }
  ... on BoolMetadataEntry { boolValue }
  ... on JsonMetadataEntry { jsonString }
}`

/** A run's events, a page at a time: outputs and materializations carry metrics, failures their reason. */
export const EVENTS = `query PipelineTriggerEvents($runId: ID!, $afterCursor: String) {
  logsForRun(runId: $runId, afterCursor: $afterCursor, limit: 1000) {
    __typename
    ... on EventConnection {
      cursor hasMore
      events {
        __typename
        ... on ExecutionStepOutputEvent { stepKey ${METADATA} }
        ... on MaterializationEvent { stepKey ${METADATA} }
        ... on ExecutionStepFailureEvent { stepKey error { message cause { message } } }
        ... on RunFailureEvent { message }
      }
    }
    ... on Error { message }
  }
}`
