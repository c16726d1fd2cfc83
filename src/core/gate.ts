/**
 * Gates: the quality bars a config sets on a run's metrics, such as `accuracy >= baseline - 0.01`.
 * A gate is read by its own small grammar and never run as code, so all it can do is compare one
 * metric with numbers, a string, or arithmetic over the baseline run's value of the same metric.
 */
import { UserError } from '../errors.js'
import { formatMetric, type MetricValue, type Metrics } from './metrics.js'

export type GateOp = '>=' | '<=' | '>' | '<' | '==' | '!='
export type GateExpr =
  | { kind: 'number'; value: number }
  | { kind: 'baseline' }
  | { kind: 'neg'; of: GateExpr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: GateExpr; right: GateExpr }
export interface Gate {
  /** The source, trimmed, each run of whitespace outside quotes made one space. */
  text: string
  metric: string
  op: GateOp
  right: GateExpr | { kind: 'string'; value: string }
  usesBaseline: boolean
}
export type GateOutcome = 'pass' | 'fail' | 'unknown'
export interface GateResult {
  gate: string
  metric: string
  outcome: GateOutcome
  value?: MetricValue
  /** The right side, worked out. */
  threshold?: MetricValue
  baseline?: MetricValue
  reason?: string
}

const LIMIT = { text: 200, name: 100, depth: 16 } as const
const HINT = 'Gates look like "accuracy >= 0.9" or "loss <= baseline * 1.05".'
const COMPARISONS: readonly string[] = ['>=', '<=', '>', '<', '==', '!=']
const SYMBOLS = ['>=', '<=', '==', '!=', '>', '<', '=', '+', '-', '*', '/', '(', ')']
const WORD = /[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)*/y
const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y
const NAME = /^[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)*$/
// Quoted text is kept as written; only whitespace between tokens is collapsed.
const SPACING = /("(?:[^"\\]|\\[\s\S])*"?|`[^`]*`?)|\s+/g
// Control characters and line separators: each literal, and so each message, stays on one line.
const CONTROL = /[\p{Cc}\u2028\u2029]/u
const NO_BASELINE = 'no baseline: main has no completed run of this pipeline with metrics'

interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'symbol' | 'end'
  text: string
  at: number
  /** A string's or a backquoted name's content; otherwise the text. */
  value: string
}

/** Reads a gate, or throws a UserError that quotes it and says where and what is wrong. */
export function parseGate(source: string): Gate {
  const text = source.replace(SPACING, (_space, quoted?: string) => quoted ?? ' ').trim()
  const problem = (detail: string): UserError => new UserError(`Gate "${shown(text)}": ${detail}. ${HINT}`)
  if (!text) throw problem('the gate is empty')
  if (text.length > LIMIT.text) throw problem(`it is ${text.length} characters long, at most ${LIMIT.text} are allowed`)
  const tokens = tokenize(text, problem)
  let index = 0
  let depth = 0
  let usesBaseline = false
  const peek = (): Token => tokens[index] ?? tokens[tokens.length - 1]!
  const is = (symbol: string): boolean => peek().kind === 'symbol' && peek().text === symbol
  const expected = (what: string): UserError => {
    const token = peek()
    const found = token.kind === 'end' ? 'the end' : JSON.stringify(token.text.slice(0, 40))
    return problem(`expected ${what} at character ${token.at + 1}, found ${found}`)
  }
  // Each "(" and unary "-" is one level deeper; the limit keeps the recursion shallow.
  const nested = (parse: () => GateExpr): GateExpr => {
    if (++depth > LIMIT.depth)
      throw problem(`more than ${LIMIT.depth} levels of "(" and "-" at character ${peek().at + 1}`)
    index++
    const inner = parse()
    depth--
    return inner
  }
  const chain = (next: () => GateExpr, ops: string[]) => (): GateExpr => {
    let left = next()
    while (peek().kind === 'symbol' && ops.includes(peek().text)) {
      const op = tokens[index++]!.text as '+' | '-' | '*' | '/'
      left = { kind: 'binary', op, left, right: next() }
    }
    return left
  }
  const primary = (): GateExpr => {
    const token = peek()
    if (token.kind === 'number' || (token.kind === 'word' && token.text === 'baseline')) {
      index++
      if (token.kind === 'number') return { kind: 'number', value: Number(token.text) }
      usesBaseline = true
      return { kind: 'baseline' }
    }
    if (!is('(')) throw expected('a number, "baseline" or "("')
    const inner = nested(expression)
    if (!is(')')) throw expected('")"')
    index++
    return inner
  }
  const unary = (): GateExpr => (is('-') ? { kind: 'neg', of: nested(unary) } : primary())
  const expression = chain(chain(unary, ['*', '/']), ['+', '-'])

  const first = peek()
  if (first.kind === 'word' && first.text === 'baseline')
    throw problem('"baseline" is the baseline run\'s value, not a metric; write `baseline` for a metric of that name')
  if (first.kind === 'word' && first.text.length > LIMIT.name)
    throw problem(`the metric name is ${first.text.length} characters long, at most ${LIMIT.name} are allowed`)
  if (first.kind !== 'word' && first.kind !== 'quoted') throw expected('a metric name')
  index++
  if (peek().kind !== 'symbol' || !COMPARISONS.includes(peek().text)) throw expected('one of >= <= > < == !=')
  const op = tokens[index++]!.text as GateOp
  let right: Gate['right']
  const string = peek()
  if (string.kind === 'string') {
    if (op !== '==' && op !== '!=')
      throw problem(`a string is compared only with == or !=, not ${op} (at character ${string.at + 1})`)
    right = { kind: 'string', value: string.value }
    index++
  } else right = expression()
  if (peek().kind !== 'end') throw expected('the end')
  return { text, metric: first.value, op, right, usesBaseline }
}

function tokenize(text: string, problem: (detail: string) => UserError): Token[] {
  const tokens: Token[] = []
  let at = 0
  const push = (kind: Token['kind'], end: number, value = text.slice(at, end)): void => {
    tokens.push({ kind, text: text.slice(at, end), at, value })
    at = end
  }
  const sticky = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at
    return pattern.exec(text)?.[0]
  }
  while (at < text.length) {
    const where = `at character ${at + 1}`
    const char = text[at]
    const word = sticky(WORD)
    const number = sticky(NUMBER)
    if (char === ' ') at++
    else if (word) push('word', at + word.length)
    else if (number) {
      if (!Number.isFinite(Number(number))) throw problem(`the number ${number} ${where} is too large`)
      push('number', at + number.length)
    } else if (char === '`') {
      const end = text.indexOf('`', at + 1)
      if (end < 0) throw problem(`the backquoted name ${where} has no closing backquote`)
      const name = text.slice(at + 1, end)
      if (!name || name.length > LIMIT.name || CONTROL.test(name))
        throw problem(`a backquoted name is 1 to ${LIMIT.name} characters on one line (${where})`)
      push('quoted', end + 1, name)
    } else if (char === '"') {
      let value = ''
      let end = at + 1
      for (; text[end] !== '"'; end++) {
        let next = text[end]
        if (next === undefined) throw problem(`the string ${where} has no closing quote`)
        if (next === '\\') {
          next = text[++end]
          if (next !== '"' && next !== '\\') throw problem(`the string ${where} has an escape other than \\" or \\\\`)
        } else if (CONTROL.test(next)) throw problem(`the string ${where} is not on one line`)
        value += next
      }
      push('string', end + 1, value)
    } else {
      const symbol = SYMBOLS.find((s) => text.startsWith(s, at))
      if (text.startsWith('=>', at) || text.startsWith('=<', at))
        throw problem(`write "${text[at + 1]}=" instead of "=${text[at + 1]}" ${where}`)
      if (symbol === '=') throw problem(`a single "=" ${where} is not a comparison; write "==" for equals`)
      if (!symbol)
        throw problem(`unexpected character ${JSON.stringify(String.fromCodePoint(text.codePointAt(at)!))} ${where}`)
      push('symbol', at + symbol.length)
    }
  }
  tokens.push({ kind: 'end', text: '', at, value: '' })
  return tokens
}

/** The gate on one line, for a message: control characters escaped, cut at the length limit. */
function shown(text: string): string {
  const cut = text.length > LIMIT.text ? `${text.slice(0, LIMIT.text)}…` : text
  return cut.replace(new RegExp(CONTROL, 'gu'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * Canonical text for a gate, which parseGate reads back to the same gate (text aside) while it fits
 * the 200-character limit: a gate written tight, such as `a>1e9+1e9`, prints longer than it was.
 */
export function printGate(gate: Gate): string {
  const metric = NAME.test(gate.metric) && gate.metric !== 'baseline' ? gate.metric : `\`${gate.metric}\``
  const right =
    gate.right.kind === 'string' ? `"${gate.right.value.replace(/["\\]/g, '\\$&')}"` : printExpression(gate.right)
  return `${metric} ${gate.op} ${right}`
}

// Binding strength: + - bind least, then * /, then a unary minus, then numbers and baseline.
function printExpression(expr: GateExpr, least = 0): string {
  let text: string
  let strength: number
  if (expr.kind === 'number') [text, strength] = [String(expr.value), 3]
  else if (expr.kind === 'baseline') [text, strength] = ['baseline', 3]
  else if (expr.kind === 'neg') [text, strength] = [`-${printExpression(expr.of, 2)}`, 2]
  else {
    strength = expr.op === '+' || expr.op === '-' ? 0 : 1
    // Left-associative: a right operand of the same strength needs parentheses to keep its grouping.
    text = `${printExpression(expr.left, strength)} ${expr.op} ${printExpression(expr.right, strength + 1)}`
  }
  return strength < least ? `(${text})` : text
}

function compute(expr: GateExpr, baseline: number): number {
  if (expr.kind === 'number') return expr.value
  if (expr.kind === 'baseline') return baseline
  if (expr.kind === 'neg') return -compute(expr.of, baseline)
  const [a, b] = [compute(expr.left, baseline), compute(expr.right, baseline)]
  return expr.op === '+' ? a + b : expr.op === '-' ? a - b : expr.op === '*' ? a * b : expr.op === '/' ? a / b : NaN
}

/** An own data property only: a name such as `__proto__` is a name, and no getter runs. */
function read(metrics: unknown, name: string): unknown {
  if (metrics === null || typeof metrics !== 'object' || !Object.hasOwn(metrics, name)) return undefined
  return Object.getOwnPropertyDescriptor(metrics, name)?.value
}

function mismatch(who: string, value: unknown, want: 'number' | 'string'): string | undefined {
  if (want === 'string' ? typeof value === 'string' : Number.isFinite(value)) return undefined
  const is =
    typeof value === 'string'
      ? `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value)}`
      : typeof value === 'number'
        ? `the number ${formatMetric(value)}`
        : value === null
          ? 'null'
          : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`
  return `${who} is ${is}, not a ${want === 'number' && typeof value === 'number' ? 'finite number' : want}`
}

/** Pass, fail, or unknown with the reason; never throws, whatever the gate and the metrics. */
export function evaluateGate(gate: Gate, metrics: Metrics, baseline: Metrics | undefined): GateResult {
  const result: GateResult = { gate: String(gate?.text), metric: String(gate?.metric), outcome: 'unknown' }
  const unknown = (reason: string): GateResult => ({ ...result, reason })
  try {
    const { metric, op, right } = gate
    const value = read(metrics, metric)
    if (value === undefined) return unknown(`${metric} was not reported by the run`)
    if (typeof value === 'string' || typeof value === 'number') result.value = value
    if (right.kind === 'string') {
      const wrong =
        mismatch(metric, value, 'string') ??
        (op === '==' || op === '!=' ? undefined : 'a string is compared only with == or !=')
      if (wrong) return unknown(wrong)
      result.threshold = right.value
      return { ...result, outcome: (value === right.value) === (op === '==') ? 'pass' : 'fail' }
    }
    const wrong = mismatch(metric, value, 'number')
    if (wrong) return unknown(wrong)
    let base = NaN
    if (gate.usesBaseline) {
      if (baseline === undefined) return unknown(NO_BASELINE)
      const reported = read(baseline, metric)
      if (reported === undefined) return unknown(`the baseline run did not report ${metric}`)
      if (typeof reported === 'string' || typeof reported === 'number') result.baseline = reported
      const wrongBase = mismatch(`the baseline run's ${metric}`, reported, 'number')
      if (wrongBase) return unknown(wrongBase)
      base = reported as number
    }
    const threshold = compute(right, base)
    if (!Number.isFinite(threshold))
      return unknown(`${printExpression(right)} works out to ${String(threshold)}, not a finite number`)
    result.threshold = threshold
    const holds = compare(value as number, op, threshold)
    return holds === undefined
      ? unknown(`${String(op)} is not a comparison`)
      : { ...result, outcome: holds ? 'pass' : 'fail' }
  } catch {
    return unknown('the gate could not be evaluated')
  }
}

function compare(a: number, op: GateOp, b: number): boolean | undefined {
  const answers: Record<GateOp, boolean> = {
    '>=': a >= b,
    '<=': a <= b,
    '>': a > b,
    '<': a < b,
    '==': a === b,
    '!=': a !== b
  }
  return Object.hasOwn(answers, op) ? answers[op] : undefined
}

/** One line: `accuracy >= baseline - 0.01 failed: 0.871 < 0.905 (baseline 0.915)`. */
export function describeGateResult(result: GateResult): string {
  const { gate, outcome, value, threshold, baseline } = result
  if (outcome !== 'pass' && outcome !== 'fail') return `${gate}: unknown, ${result.reason ?? 'no reason was given'}`
  // Six significant digits can make two different numbers look equal; then both are shown in full.
  const blurred = typeof value === 'number' && value !== threshold && show(value) === show(threshold)
  const [shownValue, shownThreshold] = blurred ? [String(value), String(threshold)] : [show(value), show(threshold)]
  if (outcome === 'pass') return `${gate} passed: ${shownValue}`
  // The relation that does hold, so a failed >= reads <, and a failed > reads < or ==.
  const numbers = typeof value === 'number' && typeof threshold === 'number' && value !== threshold
  const relation = numbers ? (value < threshold ? '<' : '>') : value === threshold ? '==' : '!='
  const base = baseline === undefined ? '' : ` (baseline ${show(baseline)})`
  return `${gate} failed: ${shownValue} ${relation} ${shownThreshold}${base}`
}
const show = (value: MetricValue | undefined): string =>
  typeof value === 'string' ? JSON.stringify(value) : formatMetric(value)
