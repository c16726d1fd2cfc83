/**
 * The sagemaker target's signer against AWS's published SigV4 test suite (test/fixtures/sigv4,
 * copied from awslabs/aws-c-auth): each case's request, signed with the case's credentials, region,
 * service and clock, must carry exactly the Authorization header the suite gives.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { signatureHeaders } from '../../src/targets/sagemaker/sigv4.js'

const DIR = join(import.meta.dirname, '../fixtures/sigv4')

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string }
  region: string
  service: string
  timestamp: string
  sign_body: boolean
}

/** A request as the suite writes it: `METHOD path HTTP/1.1`, `Name:value` lines, a blank line, the body. */
function parseRequest(text: string) {
  const [head, ...rest] = text.split('\n\n')
  const [start, ...lines] = head!.split('\n')
  const [method, target] = start!.split(' ')
  const headers: Record<string, string> = {}
  for (const line of lines.filter(Boolean)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon)] = line.slice(colon + 1)
  }
  const host = Object.entries(headers).find(([name]) => name.toLowerCase() === 'host')![1]
  return { method: method!, url: new URL(`https://${host}${target!}`), headers, body: rest.join('\n\n') }
}

const cases = readdirSync(DIR).filter((name) => statSync(join(DIR, name)).isDirectory())

test('the suite has the cases the README names', () => {
  assert.deepEqual(cases.sort(), [
    'get-vanilla',
    'get-vanilla-query-order-key-case',
    'get-vanilla-with-session-token',
    'post-sts-header-before',
    'post-vanilla',
    'post-x-www-form-urlencoded'
  ])
})

for (const name of cases) {
  test(`SigV4 test suite: ${name}`, async () => {
    const context = JSON.parse(readFileSync(join(DIR, name, 'context.json'), 'utf8')) as Context
    const request = parseRequest(readFileSync(join(DIR, name, 'request.txt'), 'utf8'))
    const expected = /^Authorization:(.*)$/m.exec(
      readFileSync(join(DIR, name, 'header-signed-request.txt'), 'utf8')
    )![1]
    const { credentials } = context
    const added = await signatureHeaders(request, {
      credentials: {
        accessKeyId: credentials.access_key_id,
        secretAccessKey: credentials.secret_access_key,
        ...(credentials.token ? { sessionToken: credentials.token } : {})
      },
      region: context.region,
      service: context.service,
      date: new Date(context.timestamp),
      signBody: context.sign_body
    })
    assert.equal(added.authorization, expected)
    assert.equal(added['x-amz-date'], '20150830T123600Z')
  })
}

test('a changed body, header or secret changes the signature', async () => {
  const scope = {
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    region: 'us-east-1',
    service: 'service',
    date: new Date('2015-08-30T12:36:00Z')
  }
  const request = {
    method: 'POST',
    url: new URL('https://example.amazonaws.com/'),
    headers: { host: 'example.amazonaws.com', 'x-amz-target': 'SageMaker.DescribePipeline' },
    body: '{"PipelineName":"train"}'
  }
  const base = (await signatureHeaders(request, scope)).authorization
  assert.notEqual(
    (await signatureHeaders({ ...request, body: '{"PipelineName":"trains"}' }, scope)).authorization,
    base
  )
  const other = { ...request, headers: { ...request.headers, 'x-amz-target': 'SageMaker.StopPipelineExecution' } }
  assert.notEqual((await signatureHeaders(other, scope)).authorization, base)
  const secret = { ...scope, credentials: { ...scope.credentials, secretAccessKey: 'other' } }
  assert.notEqual((await signatureHeaders(request, secret)).authorization, base)
})
