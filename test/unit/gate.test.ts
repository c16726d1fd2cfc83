import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  describeGateResult,
  evaluateGate,
  parseGate,
  printGate,
  type Gate,
  type GateExpr,
  type GateOp
} from '../../src/core/gate.js'
import { UserError } from '../../src/errors.js'
import type { Metrics } from '../../src/core/metrics.js'

// Taken before any gate is read, and compared at the end of the file.
const prototypeBefore = Object.getOwnPropertyDescriptors(Object.prototype)

const HINT = 'Gates look like "accuracy >= 0.9" or "loss <= baseline * 1.05".'
const OPS: GateOp[] = ['>=', '<=', '>', '<', '==', '!=']
const num = (value: number): GateExpr => ({ kind: 'number', value })
const BASELINE: GateExpr = { kind: 'baseline' }
const bin = (op: '+' | '-' | '*' | '/', left: GateExpr, right: GateExpr): GateExpr => ({
  kind: 'binary',
  op,
  left,
  right
})
const metrics = (entries: Record<string, unknown>): Metrics =>
  Object.assign(Object.create(null) as Metrics, entries) as Metrics

/** The message parseGate throws for a text, failing the test if it parses. */
function refusal(text: string): string {
  try {
    parseGate(text)
  } catch (error) {
    assert.ok(error instanceof UserError, `${JSON.stringify(text)} threw ${String(error)}`)
    assert.ok(error.message.startsWith('Gate "'), error.message)
    assert.ok(error.message.endsWith(HINT), error.message)
    return error.message
  }
  assert.fail(`${JSON.stringify(text)} parsed`)
}

describe('reading gates', () => {
  test('the examples of the docs', () => {
    assert.deepEqual(parseGate('accuracy >= 0.9'), {
      text: 'accuracy >= 0.9',
      metric: 'accuracy',
      op: '>=',
      right: num(0.9),
      usesBaseline: false
    })
    assert.deepEqual(parseGate('accuracy >= baseline - 0.01').right, bin('-', BASELINE, num(0.01)))
    assert.equal(parseGate('accuracy >= baseline - 0.01').usesBaseline, true)
    assert.deepEqual(parseGate('loss <= baseline * 1.05').right, bin('*', BASELINE, num(1.05)))
    assert.equal(parseGate('train::f1 > 0.8').metric, 'train::f1')
    assert.equal(parseGate('eval.val_loss < 1').metric, 'eval.val_loss')
    assert.deepEqual(parseGate('stage == "production"').right, { kind: 'string', value: 'production' })
    assert.equal(parseGate('stage == "production"').usesBaseline, false)
    assert.deepEqual(parseGate('`val-loss` != 3').metric, 'val-loss')
    assert.equal(parseGate('`baseline` < baseline').metric, 'baseline')
    assert.equal(parseGate('__proto__ > 1').metric, '__proto__')
  })

  test('every comparison, with or without spaces', () => {
    for (const op of OPS) {
      assert.equal(parseGate(`a${op}1`).op, op)
      assert.equal(parseGate(`a ${op} -1`).op, op)
    }
    assert.deepEqual(parseGate('a>=-1').right, { kind: 'neg', of: num(1) })
  })

  test('the text is trimmed, whitespace between tokens collapsed, quoted text kept as written', () => {
    const gate = parseGate('  ` a  b `\t==\n\n  "x  \\"y\\"  \\\\"  ')
    assert.equal(gate.text, '` a  b ` == "x  \\"y\\"  \\\\"')
    assert.equal(gate.metric, ' a  b ')
    assert.deepEqual(gate.right, { kind: 'string', value: 'x  "y"  \\' })
  })

  test('numbers', () => {
    const value = (text: string): unknown => (parseGate(`a > ${text}`).right as { value?: number }).value
    assert.equal(value('0.9'), 0.9)
    assert.equal(value('.5'), 0.5)
    assert.equal(value('12'), 12)
    assert.equal(value('1e-3'), 0.001)
    assert.equal(value('2.5E+2'), 250)
    assert.equal(value('5e-324'), 5e-324)
    assert.equal(value('1.7976931348623157e308'), Number.MAX_VALUE)
  })

  test('* and / bind tighter than + and -, both left to right, unary minus tightest', () => {
    assert.deepEqual(parseGate('a > 1 - 2 - 3').right, bin('-', bin('-', num(1), num(2)), num(3)))
    assert.deepEqual(parseGate('a > 1 - (2 - 3)').right, bin('-', num(1), bin('-', num(2), num(3))))
    assert.deepEqual(parseGate('a > 1 + 2 * 3').right, bin('+', num(1), bin('*', num(2), num(3))))
    assert.deepEqual(parseGate('a > 8 / 4 / 2').right, bin('/', bin('/', num(8), num(4)), num(2)))
    assert.deepEqual(parseGate('a > -baseline * 2').right, bin('*', { kind: 'neg', of: BASELINE }, num(2)))
    assert.deepEqual(parseGate('a > --1').right, { kind: 'neg', of: { kind: 'neg', of: num(1) } })
    assert.deepEqual(parseGate('a > ((((1))))').right, num(1))
  })

  test('refusals say what, where, and what a gate looks like', () => {
    const cases: [string, RegExp][] = [
      [
        'accuracy >= baseline -',
        /^Gate "accuracy >= baseline -": expected a number, "baseline" or "\(" at character 23, found the end\. Gates look like/
      ],
      ['', /^Gate "": the gate is empty\./],
      [' \n\t ', /^Gate "": the gate is empty\./],
      ['accuracy', /expected one of >= <= > < == != at character 9, found the end/],
      ['accuracy >=', /expected a number, "baseline" or "\(" at character 12, found the end/],
      ['accuracy = 0.9', /a single "=" at character 10 is not a comparison; write "==" for equals/],
      ['accuracy => 0.9', /write ">=" instead of "=>" at character 10/],
      ['accuracy =< 0.9', /write "<=" instead of "=<" at character 10/],
      ['accuracy === 0.9', /a single "=" at character 12/],
      ['accuracy >= 0.9 extra', /expected the end at character 17, found "extra"/],
      ['accuracy >= 0.9 0.8', /expected the end at character 17, found "0\.8"/],
      ['accuracy >= 0.9)', /expected the end at character 16, found "\)"/],
      ['accuracy >= (0.9', /expected "\)" at character 17, found the end/],
      ['accuracy >= other', /expected a number, "baseline" or "\(" at character 13, found "other"/],
      ['accuracy >= Infinity', /found "Infinity"/],
      ['accuracy >= 1e999', /the number 1e999 at character 13 is too large/],
      ['accuracy >= 1.', /unexpected character "\." at character 14/],
      ['accuracy >= $x', /unexpected character "\$" at character 13/],
      ['accuracy >= 0.9;', /unexpected character ";"/],
      ['accuracy ! 1', /unexpected character "!" at character 10/],
      ['accuracy >= 😀', /unexpected character "😀" at character 13/],
      ['a\u0000 > 1', /^Gate "a\\u0000 > 1": unexpected character "\\u0000" at character 2/],
      ['0.9 <= accuracy', /expected a metric name at character 1, found "0\.9"/],
      ['> 1', /expected a metric name at character 1, found ">"/],
      ['baseline > 1', /"baseline" is the baseline run's value, not a metric; write `baseline` for a metric/],
      ['stage >= "x"', /a string is compared only with == or !=, not >= \(at character 10\)/],
      ['stage < "x"', /a string is compared only with == or !=, not </],
      ['stage == "x" + 1', /expected the end at character 14, found "\+"/],
      ['stage == 1 + "x"', /expected a number, "baseline" or "\(" at character 14/],
      ['stage == "x', /the string at character 10 has no closing quote/],
      ['stage == "x\\n"', /the string at character 10 has an escape other than/],
      ['stage == "a\tb"', /the string at character 10 is not on one line/],
      ['stage == "a\u2028b"', /^Gate "stage == "a\\u2028b"": the string at character 10 is not on one line/],
      ['`val-loss > 1', /the backquoted name at character 1 has no closing backquote/],
      ['`` > 1', /a backquoted name is 1 to 100 characters on one line/],
      [`\`${'x'.repeat(101)}\` > 1`, /a backquoted name is 1 to 100 characters/],
      [`${'x'.repeat(101)} > 1`, /the metric name is 101 characters long, at most 100 are allowed/],
      ['a.1 > 1', /found "\.1"/],
      ['a:b > 1', /unexpected character ":"/],
      [`a > ${'1+'.repeat(99)}1`, /^Gate "a > 1\+1.*…": it is 203 characters long, at most 200 are allowed/],
      [`a > ${'('.repeat(17)}1${')'.repeat(17)}`, /more than 16 levels of "\(" and "-" at character 21/],
      [`a > ${'-'.repeat(17)}1`, /more than 16 levels of "\(" and "-" at character 21/],
      ['process.exit(1)', /expected one of >= <= > < == != at character 13, found "\("/],
      ['a > constructor.constructor("return process")()', /found "constructor\.constructor"/],
      ['a > `${1}`', /found "`\$\{1\}`"/]
    ]
    for (const [text, pattern] of cases) assert.match(refusal(text), pattern, JSON.stringify(text))
  })

  test('the limits themselves are allowed', () => {
    assert.equal(parseGate(`a > ${'('.repeat(16)}1${')'.repeat(16)}`).right.kind, 'number')
    assert.equal(parseGate(`a > ${'-'.repeat(16)}1`).right.kind, 'neg')
    assert.equal(parseGate(`a > ${'1+'.repeat(97)}1`).text.length, 199)
    assert.equal(parseGate(`${'x'.repeat(100)} > 1`).metric.length, 100)
    assert.equal(parseGate(`\`${'-'.repeat(100)}\` > 1`).metric.length, 100)
    // Whitespace is collapsed before the length is counted.
    assert.equal(parseGate(`a ${' '.repeat(500)}> 1`).text, 'a > 1')
  })
})

describe('printing gates', () => {
  test('canonical text: one space around operators, as few parentheses as the grouping needs', () => {
    const print = (text: string): string => printGate(parseGate(text))
    assert.equal(print('accuracy>=baseline-0.01'), 'accuracy >= baseline - 0.01')
    assert.equal(print('a > ((1 * 2)) + (3)'), 'a > 1 * 2 + 3')
    assert.equal(print('a > 1 - (2 - 3)'), 'a > 1 - (2 - 3)')
    assert.equal(print('a > (1 - 2) - 3'), 'a > 1 - 2 - 3')
    assert.equal(print('a > 6 / (2 * 3)'), 'a > 6 / (2 * 3)')
    assert.equal(print('a > -(1 + 2) * -baseline'), 'a > -(1 + 2) * -baseline')
    assert.equal(print('a > - - 1'), 'a > --1')
    assert.equal(print('a > .5e-3'), 'a > 0.0005')
    assert.equal(print('a > 1e21'), 'a > 1e+21')
    assert.equal(print('`val-loss` < 1'), '`val-loss` < 1')
    assert.equal(print('`accuracy` < 1'), 'accuracy < 1')
    assert.equal(print('`baseline` < 1'), '`baseline` < 1')
    assert.equal(print('s == "a\\"b\\\\"'), 's == "a\\"b\\\\"')
  })
})

describe('evaluating gates', () => {
  const run = metrics({ accuracy: 0.871, loss: 0.2, stage: 'staging', text: '0.93', zero: 0 })
  const base = metrics({ accuracy: 0.915, loss: 0.25, stage: 'production', text: '0.9', zero: 0 })
  const evaluate = (text: string, values: Metrics = run) => evaluateGate(parseGate(text), values, base)

  test('a failed gate against the baseline shows the value, the threshold and the baseline', () => {
    const result = evaluate('accuracy >= baseline - 0.01')
    assert.deepEqual(result, {
      gate: 'accuracy >= baseline - 0.01',
      metric: 'accuracy',
      outcome: 'fail',
      value: 0.871,
      threshold: 0.905,
      baseline: 0.915
    })
    assert.equal(describeGateResult(result), 'accuracy >= baseline - 0.01 failed: 0.871 < 0.905 (baseline 0.915)')
  })

  test('passes, and fails that read as the relation that holds', () => {
    const passed = evaluateGate(parseGate('accuracy >= 0.9'), metrics({ accuracy: 0.93 }), undefined)
    assert.deepEqual(passed, {
      gate: 'accuracy >= 0.9',
      metric: 'accuracy',
      outcome: 'pass',
      value: 0.93,
      threshold: 0.9
    })
    assert.equal(describeGateResult(passed), 'accuracy >= 0.9 passed: 0.93')
    assert.equal(describeGateResult(evaluate('loss <= baseline * 1.05')), 'loss <= baseline * 1.05 passed: 0.2')
    assert.equal(describeGateResult(evaluate('loss < 0.1')), 'loss < 0.1 failed: 0.2 > 0.1')
    assert.equal(describeGateResult(evaluate('loss > 0.2')), 'loss > 0.2 failed: 0.2 == 0.2')
    assert.equal(describeGateResult(evaluate('loss != 0.2')), 'loss != 0.2 failed: 0.2 == 0.2')
    assert.equal(describeGateResult(evaluate('loss == 0.1 + 0.2')), 'loss == 0.1 + 0.2 failed: 0.2 < 0.3')
    assert.equal(evaluate('zero == 0').outcome, 'pass')
    // 0.1 + 0.2 is 0.30000000000000004: shown short, and in full only where short would look equal.
    assert.equal(
      describeGateResult(evaluate('x >= 0.1 + 0.2', metrics({ x: 0.3 }))),
      'x >= 0.1 + 0.2 failed: 0.3 < 0.30000000000000004'
    )
    assert.equal(describeGateResult(evaluate('x > 0.9', metrics({ x: 0.9000001 }))), 'x > 0.9 passed: 0.9000001')
    assert.equal(describeGateResult(evaluate('x < 1', metrics({ x: 1 / 3 }))), 'x < 1 passed: 0.333333')
  })

  test('strings are compared with == and != only, exactly', () => {
    const failed = evaluate('stage == "production"')
    assert.deepEqual(failed, {
      gate: 'stage == "production"',
      metric: 'stage',
      outcome: 'fail',
      value: 'staging',
      threshold: 'production'
    })
    assert.equal(describeGateResult(failed), 'stage == "production" failed: "staging" != "production"')
    assert.equal(evaluate('stage != "production"').outcome, 'pass')
    assert.equal(evaluate('stage == "Staging"').outcome, 'fail')
    assert.equal(describeGateResult(evaluate('stage == "staging"')), 'stage == "staging" passed: "staging"')
  })

  test('unknown, with the reason, when the gate cannot be decided', () => {
    // null: no baseline at all.
    const reason = (text: string, values: Metrics = run, baseline: Metrics | null = base) => {
      const result = evaluateGate(parseGate(text), values, baseline ?? undefined)
      assert.equal(result.outcome, 'unknown', text)
      assert.equal(describeGateResult(result), `${text}: unknown, ${result.reason}`)
      return result.reason
    }
    assert.equal(reason('f1 >= 0.9'), 'f1 was not reported by the run')
    assert.equal(
      reason('accuracy >= baseline', run, null),
      'no baseline: main has no completed run of this pipeline with metrics'
    )
    assert.equal(reason('accuracy >= baseline', run, metrics({})), 'the baseline run did not report accuracy')
    assert.equal(reason('text >= 0.9'), 'text is the string "0.93", not a number')
    assert.equal(
      reason('accuracy >= baseline', run, metrics({ accuracy: 'high' })),
      'the baseline run\'s accuracy is the string "high", not a number'
    )
    assert.equal(reason('accuracy == "0.871"'), 'accuracy is the number 0.871, not a string')
    assert.equal(reason('accuracy > 1 / 0'), '1 / 0 works out to Infinity, not a finite number')
    assert.equal(reason('zero > baseline / 0', run), 'baseline / 0 works out to NaN, not a finite number')
    assert.equal(reason('accuracy > 1e308 * 10'), '1e+308 * 10 works out to Infinity, not a finite number')
    assert.equal(reason('nan > 0', metrics({ nan: NaN })), 'nan is the number NaN, not a finite number')
    assert.equal(reason('flag > 0', metrics({ flag: true })), 'flag is a boolean, not a number')
    assert.equal(reason('flag > 0', metrics({ flag: [1] })), 'flag is an object, not a number')
    assert.equal(reason('flag == "x"', metrics({ flag: null })), 'flag is null, not a string')
  })

  test('Object.prototype names are names: only the metrics own properties count', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const gate = parseGate(name === '__proto__' ? '`__proto__` >= 1' : `${name} >= 1`)
      assert.equal(evaluateGate(gate, {}, undefined).reason, `${name} was not reported by the run`)
      assert.equal(evaluateGate(gate, metrics({}), undefined).outcome, 'unknown')
      const own = JSON.parse(`{"${name}": 2}`) as Metrics
      assert.equal(evaluateGate(gate, own, undefined).outcome, 'pass', name)
      assert.equal(evaluateGate(parseGate(`\`${name}\` < baseline`), own, own).outcome, 'fail', name)
    }
    // A getter is not run.
    const getter = {}
    Object.defineProperty(getter, 'x', { enumerable: true, get: () => assert.fail('the getter ran') })
    assert.equal(evaluateGate(parseGate('x > 1'), getter as Metrics, undefined).outcome, 'unknown')
  })

  test('never throws, even on gates and metrics no parse would give', () => {
    const odd = [
      null,
      undefined,
      {},
      { text: 'x', metric: 'a' },
      { text: 'x', metric: 'a', op: '>=', right: { kind: 'nope' }, usesBaseline: false },
      { text: 'x', metric: 'a', op: '__proto__', right: num(1), usesBaseline: false },
      { text: 'x', metric: 'a', op: '>', right: { kind: 'string', value: 'v' }, usesBaseline: false },
      { text: 'x', metric: 'a', op: '>', right: BASELINE, usesBaseline: false }
    ]
    for (const gate of odd)
      for (const values of [null, undefined, 5, 'a', metrics({ a: 1 }), metrics({ a: 'v' })]) {
        const result = evaluateGate(gate as any, values as any, values as any)
        assert.ok(['unknown', 'fail', 'pass'].includes(result.outcome))
        assert.equal(typeof describeGateResult(result), 'string')
      }
    const broken = { text: 'x', metric: 'a', op: '>', right: num(1), usesBaseline: false } as Gate
    assert.equal(evaluateGate(broken, metrics({ a: 'v' }), undefined).outcome, 'unknown')
    const weird = { text: 'x', metric: 'a', op: '>', right: { kind: 'string', value: 'v' }, usesBaseline: false }
    assert.equal(evaluateGate(weird as Gate, metrics({ a: 'v' }), undefined).outcome, 'unknown')
  })
})

describe('generated gates and inputs', () => {
  const sentinel = globalThis as { __gateHit?: unknown }

  // Expressions paired with an independent closure that works out their value.
  type Built = { expr: GateExpr; at: (baseline: number) => number }
  const leaf: fc.Arbitrary<Built> = fc.oneof(
    fc.integer({ min: 0, max: 1000 }).map((value) => ({ expr: num(value), at: () => value })),
    fc
      .double({ min: 0, noNaN: true, noDefaultInfinity: true })
      .map(Math.abs)
      .map((value) => ({ expr: num(value), at: () => value })),
    fc.constant({ expr: BASELINE, at: (baseline: number) => baseline })
  )
  const { expr } = fc.letrec<{ expr: Built }>((tie) => ({
    expr: fc.oneof(
      { maxDepth: 5, depthIdentifier: 'gate-expr' },
      leaf,
      tie('expr').map(({ expr, at }): Built => ({ expr: { kind: 'neg', of: expr }, at: (b) => -at(b) })),
      fc.tuple(fc.constantFrom('+', '-', '*', '/'), tie('expr'), tie('expr')).map(([op, left, right]): Built => ({
        expr: bin(op, left.expr, right.expr),
        at: (b: number) => {
          const [x, y] = [left.at(b), right.at(b)]
          return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y
        }
      }))
    )
  }))
  const uses = (e: GateExpr): boolean =>
    e.kind === 'baseline' ||
    (e.kind === 'neg' && uses(e.of)) ||
    (e.kind === 'binary' && (uses(e.left) || uses(e.right)))
  const plainName = fc
    .array(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), { minLength: 1, maxLength: 4 })
    .chain((segments) =>
      fc
        .array(fc.constantFrom('.', '::'), { minLength: segments.length - 1, maxLength: segments.length - 1 })
        .map((joins) => segments.map((segment, i) => (i ? joins[i - 1] : '') + segment).join(''))
    )
  const oneLine = (s: string): boolean => !/[\p{Cc}\u2028\u2029]/u.test(s)
  const metric = fc.oneof(
    plainName,
    fc.constantFrom('__proto__', 'constructor', 'toString', 'baseline', 'val-loss', 'a b', 'ü', '${x}'),
    fc.string({ minLength: 1, maxLength: 100 }).filter((s) => oneLine(s) && !s.includes('`'))
  )
  const stringValue = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 10 }))
  const numericGate = fc.record({ metric, op: fc.constantFrom(...OPS), built: expr })
  const gates = fc.oneof(
    numericGate.map(({ metric, op, built }) => ({
      gate: { text: '', metric, op, right: built.expr, usesBaseline: uses(built.expr) } as Gate,
      at: built.at
    })),
    fc
      .record({ metric, op: fc.constantFrom<GateOp>('==', '!='), value: stringValue.filter(oneLine) })
      .map(({ metric, op, value }) => ({
        gate: { text: '', metric, op, right: { kind: 'string', value }, usesBaseline: false } as Gate,
        at: undefined
      }))
  )

  test('any text parses to a gate or is refused with a message about the gate, and is never run', () => {
    const pieces = fc.constantFrom(
      'accuracy',
      'baseline',
      'train::f1',
      'a.b',
      '`val-loss`',
      '`',
      '"',
      '"prod"',
      '\\',
      ...OPS,
      '=',
      '=>',
      '!',
      '+',
      '-',
      '*',
      '/',
      '(',
      ')',
      '0.9',
      '.5',
      '1e3',
      '1e999',
      '1e',
      '.',
      '::',
      'process.exit(1)',
      'constructor.constructor("return process")()',
      '__proto__',
      '${}',
      '${globalThis.__gateHit=1}',
      '(globalThis.__gateHit=1)',
      'globalThis.__gateHit',
      ';',
      'eval',
      'Function',
      'NaN',
      'Infinity',
      '\u0000',
      '\u2028',
      'ü',
      '😀',
      'x'.repeat(120)
    )
    const spacing = fc.constantFrom('', ' ', '  ', '\t', '\n')
    const built = fc
      .array(fc.tuple(pieces, spacing), { maxLength: 24 })
      .map((parts) => parts.map(([piece, space]) => piece + space).join(''))
    // Gates that parse, and near misses: printed with other spacing, a piece inserted somewhere.
    const shaped = fc
      .tuple(gates, spacing, fc.array(fc.tuple(fc.nat(), pieces), { maxLength: 2 }))
      .map(([{ gate }, space, inserts]) =>
        inserts.reduce(
          (text, [at, piece]) => {
            const cut = at % (text.length + 1)
            return text.slice(0, cut) + piece + text.slice(cut)
          },
          printGate(gate).replaceAll(' ', space)
        )
      )
    const text = fc.oneof(
      { arbitrary: shaped, weight: 3 },
      built,
      fc.string({ maxLength: 260 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 })
    )
    fc.assert(
      fc.property(text, (source) => {
        let gate: Gate
        try {
          gate = parseGate(source)
        } catch (error) {
          assert.ok(error instanceof Error, String(error))
          assert.ok(error.message.startsWith('Gate "'), error.message)
          assert.ok(!error.message.includes('\n'), error.message)
          return
        } finally {
          assert.equal(sentinel.__gateHit, undefined)
        }
        assert.ok(gate.text.length <= 200 && OPS.includes(gate.op) && gate.metric.length <= 100)
        // Whatever parses prints back to itself, as long as the canonical text fits the limit.
        const printed = printGate(gate)
        if (printed.length <= 200) assert.deepEqual({ ...parseGate(printed), text: gate.text }, gate, printed)
      }),
      { numRuns: 3000 }
    )
    assert.equal(sentinel.__gateHit, undefined)
  })

  test('printed gates read back as the same gate', () => {
    fc.assert(
      fc.property(gates, ({ gate }) => {
        const printed = printGate(gate)
        if (printed.length > 200) {
          assert.match(refusal(printed), /characters long, at most 200 are allowed/)
          return
        }
        const read = parseGate(printed)
        assert.equal(read.text, printed)
        assert.deepEqual({ ...read, text: '' }, gate, printed)
      }),
      { numRuns: 2000 }
    )
  })

  test('evaluation never throws and agrees with a reference computation', () => {
    const RELATIONS: Record<GateOp, (a: number, b: number) => boolean> = {
      '>=': (a, b) => a >= b,
      '<=': (a, b) => a <= b,
      '>': (a, b) => a > b,
      '<': (a, b) => a < b,
      '==': (a, b) => a === b,
      '!=': (a, b) => a !== b
    }
    const value = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(0, -0, 1e-320, 5e-324, 1e308, -1e308, 0.1, 0.2, 0.3),
      stringValue,
      fc.constantFrom(true, null, {}, [1], '0.93', 'NaN', undefined)
    )
    // How a map is built: by defineProperty on a null-prototype or a plain object, from JSON, or by fromEntries.
    const build = (how: number, entries: [string, unknown][]): Metrics => {
      if (how === 2) return JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Metrics
      if (how === 3) return Object.fromEntries(entries) as Metrics
      const map = how === 0 ? (Object.create(null) as Metrics) : ({} as Metrics)
      for (const [key, item] of entries)
        Object.defineProperty(map, key, { value: item, enumerable: true, writable: true, configurable: true })
      return map
    }
    const others = fc.array(fc.tuple(fc.oneof(metric, fc.constantFrom('__proto__', 'constructor')), value), {
      maxLength: 4
    })
    fc.assert(
      fc.property(
        gates,
        value,
        value,
        fc.boolean(),
        others,
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        ({ gate, at }, drawn, theirs, hasBaseline, extra, how, equal) => {
          // Half the time the run reports exactly the right side, to reach ==, <= and >= at the edge.
          const edge = gate.right.kind === 'string' ? gate.right.value : at!(typeof theirs === 'number' ? theirs : NaN)
          const own = equal ? edge : drawn
          const values = build(how, [...extra.filter(([key]) => key !== gate.metric), [gate.metric, own]])
          const baseline = hasBaseline ? build(how, [...extra, [gate.metric, theirs]]) : undefined
          const result = evaluateGate(gate, values, baseline)
          assert.ok(['pass', 'fail', 'unknown'].includes(result.outcome))
          const line = describeGateResult(result)
          assert.ok(line.startsWith(gate.text) && !line.includes('\n'), line)
          // What the reference expects, read back the way the map was built (JSON drops undefined).
          const mine = Object.getOwnPropertyDescriptor(values, gate.metric)?.value as unknown
          const base = baseline && (Object.getOwnPropertyDescriptor(baseline, gate.metric)?.value as unknown)
          let expected: string
          if (gate.right.kind === 'string')
            expected =
              typeof mine !== 'string'
                ? 'unknown'
                : (mine === gate.right.value) === (gate.op === '==')
                  ? 'pass'
                  : 'fail'
          else if (typeof mine !== 'number' || !Number.isFinite(mine)) expected = 'unknown'
          else if (gate.usesBaseline && (typeof base !== 'number' || !Number.isFinite(base))) expected = 'unknown'
          else {
            const threshold = at!(typeof base === 'number' ? base : NaN)
            expected = !Number.isFinite(threshold) ? 'unknown' : RELATIONS[gate.op](mine, threshold) ? 'pass' : 'fail'
            if (expected !== 'unknown') assert.equal(result.threshold, threshold)
          }
          assert.equal(result.outcome, expected, `${printGate(gate)} with ${String(mine)} and ${String(base)}`)
          if (expected === 'unknown') assert.ok(result.reason, 'an unknown outcome says why')
        }
      ),
      { numRuns: 3000 }
    )
  })

  test('Object.prototype is as it was, and nothing was polluted', () => {
    assert.deepEqual(Object.getOwnPropertyDescriptors(Object.prototype), prototypeBefore)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
    assert.equal(sentinel.__gateHit, undefined)
  })
})
