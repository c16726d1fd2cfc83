/** The http target: a trigger API, a Lambda behind API Gateway, or a ZenML pipeline deployment. */
import type { TargetModule } from '../module.js'
import { httpInputs, type HttpInputs } from './inputs.js'
import { resolveHttp, type ResolvedHttp } from './resolve.js'
import { schema, type Config } from './schema.js'

export const http: TargetModule<'http', Config, ResolvedHttp, HttpInputs> = {
  type: 'http',
  schema,
  inputs: httpInputs,
  defaultMaxParallel: 4,
  resolve: resolveHttp,
  connect: async (resolved, context) => (await import('./connect.js')).connectHttp(resolved, context)
}
