/** The Error a call rejects with, failing the test if it resolves: the target tests check each refusal's words and kind. */
import assert from 'node:assert/strict'

export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof Error, `rejected with an Error, not ${String(error)}`)
    return error
  }
  assert.fail('expected the call to fail')
}
