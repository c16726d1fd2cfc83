import assert from 'node:assert/strict'
import { test } from 'node:test'
import { resolveParameters } from '../../src/zenml/resolve-parameters.js'

const template = {
  steps: {
    load_data: { parameters: { data_url: 's3://default.csv' } },
    train_model: { parameters: { model_type: 'random_forest', seed: 1 } },
    evaluate: { parameters: { seed: 2 } },
    report: { parameters: null }
  }
}
const what = 'snapshot "production-training"'

test('pipeline-level names go to the one step that carries them; step-qualified names as given', () => {
  assert.deepEqual(
    resolveParameters({ data_url: 's3://x.csv', 'evaluate.seed': 5 }, template, {
      dynamic: false,
      fullSteps: false,
      what
    }),
    {
      steps: { load_data: { parameters: { data_url: 's3://x.csv' } }, evaluate: { parameters: { seed: 5 } } }
    }
  )
})

test('unknown and ambiguous names fail with the candidates', () => {
  assert.throws(
    () => resolveParameters({ lr: 0.1 }, template, { dynamic: false, fullSteps: false, what }),
    /snapshot "production-training" has no parameter "lr"\. Parameters it accepts: load_data\.data_url, train_model\.model_type, train_model\.seed, evaluate\.seed\./
  )
  assert.throws(
    () => resolveParameters({ seed: 3 }, template, { dynamic: false, fullSteps: false, what }),
    /"seed" is ambiguous .*train_model\.seed, evaluate\.seed all take it/
  )
  assert.throws(
    () => resolveParameters({ 'train_model.lr': 3 }, template, { dynamic: false, fullSteps: false, what }),
    /no step parameter "train_model\.lr"/
  )
})

test('dynamic snapshots take pipeline-level parameters as they are', () => {
  assert.deepEqual(
    resolveParameters({ data_url: 'x', anything: 1 }, template, { dynamic: true, fullSteps: false, what }),
    { steps: {}, parameters: { data_url: 'x', anything: 1 } }
  )
})

test('legacy templates get every step parameter, ours overlaid on the template values', () => {
  assert.deepEqual(resolveParameters({ model_type: 'gb' }, template, { dynamic: false, fullSteps: true, what }).steps, {
    load_data: { parameters: { data_url: 's3://default.csv' } },
    train_model: { parameters: { model_type: 'gb', seed: 1 } },
    evaluate: { parameters: { seed: 2 } }
  })
})
