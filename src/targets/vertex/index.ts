/** The vertex target: a Vertex AI Pipelines job through the aiplatform.v1 REST API. */
import type { TargetModule } from '../module.js'
import { vertexInputs, type VertexInputs } from './inputs.js'
import { resolveVertex, type ResolvedVertex } from './resolve.js'
import { schema, type Config } from './schema.js'

export const vertex: TargetModule<'vertex', Config, ResolvedVertex, VertexInputs> = {
  type: 'vertex',
  schema,
  inputs: vertexInputs,
  defaultMaxParallel: 4,
  resolve: resolveVertex,
  connect: async (resolved, context) => (await import('./connect.js')).connectVertex(resolved, context)
}
