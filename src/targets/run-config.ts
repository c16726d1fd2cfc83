/**
 * The ZenML YAML run config for a request: pipeline-level names under `parameters:`,
 * step-qualified ones (`load_data.data_url`) under `steps.<step>.parameters`. Written with
 * the yaml package, so any value, newline or `$()` included, stays a plain string.
 */
import { stringify } from 'yaml'

export function buildRunConfig(parameters: Record<string, unknown>, runName: string): string {
  const pipelineParameters: Record<string, unknown> = {}
  const steps: Record<string, { parameters: Record<string, unknown> }> = {}
  for (const [name, value] of Object.entries(parameters)) {
    const dot = name.indexOf('.')
    if (dot === -1) pipelineParameters[name] = value
    else {
      const step = name.slice(0, dot)
      steps[step] ??= { parameters: {} }
      steps[step].parameters[name.slice(dot + 1)] = value
    }
  }
  // Double-quoted strings: every byte is escaped the same way for any YAML reader (ZenML
  // parses with PyYAML, which rejects a raw tab in a plain scalar that the yaml package emits).
  return stringify(
    {
      run_name: runName,
      ...(Object.keys(pipelineParameters).length > 0 ? { parameters: pipelineParameters } : {}),
      ...(Object.keys(steps).length > 0 ? { steps } : {})
    },
    { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }
  )
}
