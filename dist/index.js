import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   VH: () => (/* binding */ preview),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   u: () => (/* binding */ quoteServer),
/* harmony export */   yo: () => (/* binding */ UserError)
/* harmony export */ });
/**
 * An error the user can fix. Its message names the field, the value and the fix, so
 * main.ts can print it as is; any other error is a bug and is reported as one.
 */
class UserError extends Error {
    name = 'UserError';
}
/** A short, single-line, safely quoted preview of a value for error messages; a cut one says how long it was. */
function preview(value, max = 80) {
    let text;
    try {
        text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
    }
    catch {
        text = String(value);
    }
    return text.length > max ? `${text.slice(0, max - 1)}… (${text.length} characters)` : text;
}
/** Every form a server may echo a secret in: as is, JSON-escaped, URL-encoded, base64 (both alphabets), hex. */
function encodings(secret) {
    const bytes = Buffer.from(secret, 'utf8');
    const base64 = bytes.toString('base64');
    return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), base64, base64.replace(/=+$/, ''), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
}
/** Replaces every secret, in every encoding, with ***. Apply before cutting a text, so no part of one survives. */
function redact(text, secrets) {
    let result = text;
    for (const secret of secrets) {
        if (!secret || secret.length < 4)
            continue;
        for (const form of new Set(encodings(secret)))
            result = result.split(form).join('***');
    }
    return result;
}
/** A server's own words for a message: one line, at most `max` characters, without a closing period (the message adds its own). */
function quoteServer(text, max = 300) {
    const line = (text.split('\n')[0] ?? '').trim().replace(/[.\s]+$/, '');
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ }),

/***/ 6297:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ SUPPORTED_EVENTS),
/* harmony export */   g: () => (/* binding */ ZERO_SHA)
/* harmony export */ });
/** One normalised shape for every GitHub event the action understands. */
const SUPPORTED_EVENTS = [
    'push',
    'pull_request',
    'pull_request_target',
    'merge_group',
    'schedule',
    'workflow_dispatch',
    'workflow_call',
    'repository_dispatch',
    'workflow_run'
];
const ZERO_SHA = /^0+$/;


/***/ }),

/***/ 9407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(3916);
/* harmony import */ var _event_trigger_event_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(6297);
/* harmony import */ var _report_outputs_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(5468);
/* harmony import */ var _report_set_outputs_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(4057);
/* harmony import */ var _runner_commands_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5426);
/**
 * The entry: small on purpose. An event the action does not handle is answered here, without
 * loading the planner, the YAML and schema libraries or any target (the runner starts the action
 * on every event of a workflow, so this is most of what a busy repository pays for it).
 */





// A rejection that escapes run() must still fail the step, never leave it green.
process.on('unhandledRejection', (reason) => _runner_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .setFailed */ .C1((0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(reason)));
const event = process.env.GITHUB_EVENT_NAME ?? '';
const fanIn = _runner_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4('fan-in-dir') !== '' || _runner_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4('fan-in-matrix') !== '';
if (!fanIn && !_event_trigger_event_js__WEBPACK_IMPORTED_MODULE_3__/* .SUPPORTED_EVENTS */ .H.includes(event)) {
    _runner_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .notice */ .lm(`Event ${JSON.stringify(event)} is not handled, so nothing was triggered. Handled events: ${_event_trigger_event_js__WEBPACK_IMPORTED_MODULE_3__/* .SUPPORTED_EVENTS */ .H.join(', ')}.`);
    (0,_report_set_outputs_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutputs */ .n)((0,_report_outputs_js__WEBPACK_IMPORTED_MODULE_4__/* .buildOutputs */ .JZ)({ requests: [], skipped: [], warnings: [] }, [], undefined), _report_set_outputs_js__WEBPACK_IMPORTED_MODULE_0__/* .stepDirectory */ .i);
}
else {
    const { run } = await Promise.all(/* import() */[__nccwpck_require__.e(954), __nccwpck_require__.e(667)]).then(__nccwpck_require__.bind(__nccwpck_require__, 9667));
    await run();
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 5468:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   JZ: () => (/* binding */ buildOutputs),
/* harmony export */   LZ: () => (/* binding */ fanInOutputs),
/* harmony export */   gY: () => (/* binding */ fitOutputs),
/* harmony export */   k$: () => (/* binding */ changedFilesJson)
/* harmony export */ });
/* unused harmony exports OUTPUT_FILE_LIMIT, PLAN_FILE_LIMIT, OUTPUT_BUDGET_UTF16_BYTES, planJson */
/** Changed files kept in the `changed-files` output; `changed-files-path` has them all. */
const OUTPUT_FILE_LIMIT = 1000;
/** Files listed per request in the `plan` output. */
const PLAN_FILE_LIMIT = 100;
/**
 * GitHub allows 1 MB of outputs per job and counts them in UTF-16 (two bytes a code unit, ASCII
 * included). All outputs together stay within this many UTF-16 bytes, a margin under 1 MiB left
 * for the other steps of the job.
 */
const OUTPUT_BUDGET_UTF16_BYTES = 800_000;
/** The outputs that can be moved to a file when they do not fit, largest first. */
const SPILLABLE = ['changed-files', 'plan', 'runs', 'matrix'];
const utf16Bytes = (name, value) => 2 * (name.length + value.length);
/**
 * Fits all outputs together into OUTPUT_BUDGET_UTF16_BYTES: while they are over it, the largest
 * spillable output is written whole to a file and holds `{"truncated": true, "bytes", "path"}`
 * instead (bytes: its UTF-8 size on disk).
 */
function fitOutputs(outputs, writeWhole, budget = OUTPUT_BUDGET_UTF16_BYTES) {
    const fitted = { ...outputs };
    const cut = [];
    const total = () => Object.entries(fitted).reduce((sum, [name, value]) => sum + utf16Bytes(name, value), 0);
    for (;;) {
        const size = total();
        if (size <= budget)
            break;
        const largest = SPILLABLE.filter((name) => !fitted[name].startsWith('{"truncated":true')).sort((a, b) => fitted[b].length - fitted[a].length)[0];
        if (!largest || fitted[largest].length < 100)
            break;
        const path = writeWhole(largest, outputs[largest]);
        const bytes = Buffer.byteLength(outputs[largest]);
        fitted[largest] = JSON.stringify({ truncated: true, bytes, path });
        cut.push(`Output ${largest} is ${bytes} bytes (${utf16Bytes(largest, outputs[largest])} as GitHub counts them, in UTF-16), and all outputs together came to ${size} of the ${budget} this action keeps under GitHub's 1 MB per job; it points to ${path}, which has it whole.`);
    }
    return { outputs: fitted, cut };
}
function changedFilesJson(changes, limit = Infinity) {
    return (changes?.files ?? [])
        .slice(0, limit)
        .map((f) => ({ path: f.path, status: f.status, ...(f.previousPath !== undefined ? { 'previous-path': f.previousPath } : {}) }));
}
/** Doubles `{` and `}` in every string, so placeholder rendering gives the same value back. */
function escapeBraces(value) {
    if (typeof value === 'string')
        return value.replace(/[{}]/g, (brace) => brace + brace);
    if (Array.isArray(value))
        return value.map(escapeBraces);
    if (value !== null && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeBraces(v)]));
    return value;
}
function planJson(plan, changes) {
    return {
        ...(changes ? { changes: { complete: changes.complete, base: changes.base, head: changes.head, description: changes.description, count: changes.files.length } } : {}),
        requests: plan.requests.map((r) => ({
            index: r.index,
            pipeline: r.pipeline,
            'pipeline-name': r.pipelineName,
            target: r.target,
            parameters: r.parameters,
            reason: r.reason,
            ...(r.files ? { files: r.files.slice(0, PLAN_FILE_LIMIT), 'files-count': r.files.length } : {}),
            'run-name': r.runName,
            'idempotency-key': r.idempotencyKey,
            'pipeline-context': r.chain
        })),
        skipped: plan.skipped,
        warnings: plan.warnings
    };
}
function buildOutputs(plan, results, changes, changedFilesPath = '') {
    const runs = (results ?? []).map(({ request, state }) => ({
        pipeline: request.pipelineName,
        target: request.target,
        'run-id': state.runId ?? null,
        'run-url': state.runUrl ?? null,
        status: state.status,
        parameters: request.parameters
    }));
    const first = results?.[0]?.state;
    return {
        triggered: String(runs.length > 0),
        runs: JSON.stringify(runs),
        plan: JSON.stringify(planJson(plan, changes)),
        'changed-files': JSON.stringify(changedFilesJson(changes, OUTPUT_FILE_LIMIT)),
        'changed-files-count': String(changes?.files.length ?? 0),
        'changed-files-path': changedFilesPath,
        'run-id': first?.runId ?? '',
        'run-url': first?.runUrl ?? '',
        'pipeline-context': plan.context ? JSON.stringify(plan.context) : '',
        status: results === undefined ? (plan.requests.length > 0 ? 'dry_run' : '') : (first?.status ?? ''),
        matrix: JSON.stringify({
            include: plan.requests.map((r) => ({
                index: r.index,
                pipeline: r.pipeline,
                target: r.target,
                'run-name': r.runName,
                'idempotency-key': r.idempotencyKey,
                // A JSON string, ready for the `parameters` input of the fan-out job. Braces in values are
                // doubled because that input renders placeholders: a file named `{sha}.csv` must stay one.
                parameters: JSON.stringify(escapeBraces(r.parameters))
            }))
        })
    };
}
/** The fan-in job's outputs: every run of the fan-out, in plan order, each with its request index. */
function fanInOutputs(collected, failures) {
    const runs = collected.flatMap((entry) => (entry.runs ?? []).map((run) => ({ index: entry.index, ...run })));
    const first = runs[0];
    return {
        triggered: String(runs.length > 0),
        runs: JSON.stringify(runs),
        plan: '',
        'changed-files': '[]',
        'changed-files-count': '0',
        'changed-files-path': '',
        'run-id': first?.['run-id'] ?? '',
        'run-url': first?.['run-url'] ?? '',
        status: failures.length > 0 ? 'failed' : runs.some((run) => run.status === 'running') ? 'running' : runs.length > 0 ? 'completed' : '',
        matrix: '',
        'pipeline-context': ''
    };
}


/***/ }),

/***/ 4057:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ stepDirectory),
/* harmony export */   n: () => (/* binding */ setOutputs)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _runner_commands_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(5426);
/* harmony import */ var _outputs_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(5468);
/** Sets the step's outputs; an output too large for GitHub's budget goes whole to a file in RUNNER_TEMP. */





/** A fresh directory in RUNNER_TEMP for this step's files. */
function stepDirectory() {
    const base = process.env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)();
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(base, { recursive: true });
    return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(base, 'pipeline-trigger-'));
}
/** `dir` is made only when an output has to go to a file. */
function setOutputs(outputs, dir) {
    const fitted = (0,_outputs_js__WEBPACK_IMPORTED_MODULE_4__/* .fitOutputs */ .gY)(outputs, (name, value) => {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir(), `${name}.json`);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(path, value);
        return path;
    });
    for (const message of fitted.cut)
        _runner_commands_js__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(message);
    for (const [name, value] of Object.entries(fitted.outputs))
        _runner_commands_js__WEBPACK_IMPORTED_MODULE_3__/* .setOutput */ .uH(name, value);
}


/***/ }),

/***/ 5426:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Vt: () => (/* binding */ getBooleanInput),
  V4: () => (/* binding */ getInput),
  q3: () => (/* binding */ getMultilineInput),
  pq: () => (/* binding */ info),
  lm: () => (/* binding */ notice),
  C1: () => (/* binding */ setFailed),
  uH: () => (/* binding */ setOutput),
  Pq: () => (/* binding */ setSecret),
  $e: () => (/* binding */ warning)
});

// UNUSED EXPORTS: error

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
// EXTERNAL MODULE: external "os"
var external_os_ = __nccwpck_require__(857);
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
// EXTERNAL MODULE: external "fs"
var external_fs_ = __nccwpck_require__(9896);
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_.appendFileSync(filePath, `${toCommandValue(message)}${external_os_.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_.EOL}${convertedValue}${external_os_.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: ./src/runner/commands.ts
/**
 * The runner's workflow commands, written by @actions/core's own modules (command.js,
 * file-command.js; summary.js in src/report/write-summary.ts). Why not `import '@actions/core'`: its index also loads its OIDC
 * client, and with it @actions/http-client and undici, about 0.9 MB evaluated at every start; that
 * was most of the start-up of a step that triggers nothing, and the action never asks for an OIDC
 * token. The functions below are the index's thin wrappers, with its names and behaviour, over
 * the same modules (the version is pinned in package.json; the e2e tests read what they write).
 */




function getInput(name, options = {}) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options.required && !value)
        throw new Error(`Input required and not supplied: ${name}`);
    return options.trimWhitespace === false ? value : value.trim();
}
function getMultilineInput(name, options = {}) {
    const lines = getInput(name, options)
        .split('\n')
        .filter((line) => line !== '');
    return options.trimWhitespace === false ? lines : lines.map((line) => line.trim());
}
/** YAML 1.2 core-schema booleans, as the runner documents them for inputs. */
function getBooleanInput(name, options = {}) {
    const value = getInput(name, options);
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
function setOutput(name, value) {
    if (process.env.GITHUB_OUTPUT)
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    process.stdout.write(external_node_os_.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
/** Masks the value in the log from here on. */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
function info(message) {
    process.stdout.write(message + external_node_os_.EOL);
}
function notice(message) {
    issueCommand('notice', toCommandProperties({}), message);
}
function warning(message) {
    issueCommand('warning', toCommandProperties({}), message);
}
function error(message) {
    issueCommand('error', toCommandProperties({}), message);
}
/** Fails the step: exit code 1 when the process ends, and the message as an error annotation. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(9407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 

//# sourceMappingURL=index.js.map