export const id = 667;
export const ids = [667];
export const modules = {

/***/ 9667:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./src/runner/commands.ts + 4 modules
var commands = __webpack_require__(5426);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/event/read-event.ts
/**
 * Reads the event the runner delivered (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH and the GITHUB_*
 * variables) into an EventContext. The action reads it itself, rather than through
 * @actions/github's context, which parses the file when it is imported: an empty, truncated,
 * UTF-16 or `null` event file then crashes with a stack trace before any of our code runs. Here
 * each of those is one clear error that names the file.
 */


function readPayload(path) {
    if (!path)
        return {};
    let bytes;
    try {
        bytes = (0,external_node_fs_.readFileSync)(path);
    }
    catch (error) {
        throw new errors/* UserError */.yo(`The event file GITHUB_EVENT_PATH=${JSON.stringify(path)} cannot be read (${error.code ?? error.message}). Run the action in a GitHub Actions job, or point GITHUB_EVENT_PATH at the event JSON.`);
    }
    const fix = 'It must hold the event JSON exactly as GitHub delivered it (UTF-8).';
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new errors/* UserError */.yo(`The event file ${path} is UTF-16 (${bytes.length} bytes). ${fix}`);
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '')
        throw new errors/* UserError */.yo(`The event file ${path} is empty. ${fix}`);
    let payload;
    try {
        payload = JSON.parse(text);
    }
    catch (error) {
        throw new errors/* UserError */.yo(`The event file ${path} is not valid JSON (${error.message}; ${bytes.length} bytes). ${fix}`);
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
        throw new errors/* UserError */.yo(`The event file ${path} holds ${(0,errors/* preview */.VH)(payload)}, not a JSON object. ${fix}`);
    }
    return payload;
}
function readEvent(env) {
    const attempt = Number(env.GITHUB_RUN_ATTEMPT);
    return {
        eventName: env.GITHUB_EVENT_NAME ?? '',
        payload: readPayload(env.GITHUB_EVENT_PATH),
        sha: env.GITHUB_SHA ?? '',
        ref: env.GITHUB_REF ?? '',
        repository: env.GITHUB_REPOSITORY ?? '',
        runId: /^\d+$/.test(env.GITHUB_RUN_ID ?? '') ? env.GITHUB_RUN_ID : '',
        runAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
        serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
        workflow: env.GITHUB_WORKFLOW ?? '',
        ...(env.GITHUB_WORKFLOW_REF ? { workflowRef: env.GITHUB_WORKFLOW_REF } : {})
    };
}

// EXTERNAL MODULE: ./src/event/trigger-event.ts
var trigger_event = __webpack_require__(6297);
;// CONCATENATED MODULE: ./src/clock.ts
/**
 * The one clock: every wait in the action goes through it, so a test can replace time itself,
 * and the one step-wide deadline that `timeout` sets.
 */

const realClock = {
    now: Date.now,
    sleep: (ms, signal) => new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    }),
    random: Math.random
};
/** The step's `timeout` ran out while a call was in flight. */
class DeadlineExceeded extends errors/* UserError */.yo {
    name = 'DeadlineExceeded';
}
/**
 * The step's one deadline. Its signal aborts when `timeout` runs out; every request, start and
 * poll is bound to it, so nothing can outlive the step.
 */
class Deadline {
    clock;
    ms;
    at;
    controller = new AbortController();
    timer = new AbortController();
    constructor(clock, ms) {
        this.clock = clock;
        this.ms = ms;
        this.at = clock.now() + ms;
        void clock.sleep(ms, this.timer.signal).then(() => {
            if (!this.timer.signal.aborted)
                this.controller.abort(new DeadlineExceeded(`timeout (${formatDuration(ms)}) ran out`));
        });
    }
    get signal() {
        return this.controller.signal;
    }
    get expired() {
        return this.controller.signal.aborted;
    }
    remaining() {
        return Math.max(0, this.at - this.clock.now());
    }
    /** Stops the timer once the step is done, so it keeps no process alive. */
    dispose() {
        this.timer.abort();
    }
}
/** 4m 10s, 1h 2m, 900ms: how durations read in the log. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    const total = Math.round(ms / 1000);
    const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
    if (h > 0)
        return `${h}h${m ? ` ${m}m` : ''}`;
    if (m > 0)
        return `${m}m${s ? ` ${s}s` : ''}`;
    return `${s}s`;
}

;// CONCATENATED MODULE: ./src/http/url.ts
/** https only, except loopback (or when explicitly allowed), so a key never crosses a network in clear text. */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
function isLoopback(url) {
    return LOOPBACK.has(url.hostname);
}
function checkUrl(url, field, allowInsecure = false) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new errors/* UserError */.yo(`${field}: ${JSON.stringify(url)} is not a URL. Give a full URL, e.g. https://api.example.com/trigger.`);
    }
    if (parsed.username || parsed.password) {
        throw new errors/* UserError */.yo(`${field}: the URL carries a user name or password; keys go in their own inputs (api-key, zenml-api-key), from secrets, never in a URL that logs may show.`);
    }
    if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && (isLoopback(parsed) || allowInsecure)))
        return parsed;
    throw new errors/* UserError */.yo(`${field}: ${JSON.stringify(url)} must use https (http is allowed only on loopback, or with allow-insecure-http), so keys are never sent in clear text.`);
}
/** A URL a server gave (a Location header, a status URL field), read against the URL it answered for. */
function serverGivenUrl(value, base, what) {
    try {
        return new URL(value, base);
    }
    catch {
        throw new errors/* UserError */.yo(`${String(base)} answered with ${what} ${(0,errors/* preview */.VH)(value)}, which is not a URL. Fix: make the receiver return an absolute or path-relative URL there.`);
    }
}

;// CONCATENATED MODULE: ./src/config/resolve-targets.ts
/**
 * The one resolved configuration: each target the plan uses, with its config file keys laid over
 * the action inputs, secrets read from the environment (and masked), URLs checked and every
 * default filled in. Inline mode goes through the same path (its config has one target whose
 * keys all come from the inputs). After this, nothing reads Settings: each target gets exactly
 * what it needs, typed here once.
 */


/** Remote targets only take requests; the command target runs the pipeline on the runner's own CPUs. */
const DEFAULT_MAX_PARALLEL = { remote: 4, command: 1 };
const DEFAULT_BODY = { pipeline_name: '{pipeline}', parameters: '{parameters}' };
const DEPLOYMENT_BODY = { parameters: '{parameters}', run_name: '{run_name}' };
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A secret that travels in a header must be one line of Latin-1 text; the error names the field, never the value. */
function headerSafe(target, field, secret) {
    if (secret !== undefined && /[^\t\x20-\x7e\x80-\xff]/.test(secret)) {
        throw new errors/* UserError */.yo(`Target ${target}: ${field} holds a line break or a character an HTTP header cannot carry (${secret.length} characters). Fix: store the secret without a trailing newline or spaces around it.`);
    }
    return secret;
}
/** Reads an `env:NAME` secret reference and masks it; undefined when there is no reference. */
function secretFromEnv(target, field, reference, secrets) {
    if (!reference)
        return undefined;
    const name = reference.slice('env:'.length);
    const value = Object.hasOwn(secrets.env, name) ? (secrets.env[name] ?? '') : '';
    if (!value)
        throw new errors/* UserError */.yo(`Target ${target}: the environment variable ${name} (${field}: ${reference}) is empty. Set it in the step's env: from a secret.`);
    secrets.mask(value);
    return value;
}
function zenmlServer(name, config, defaults, secrets) {
    const url = config.url ?? defaults.zenml.url;
    if (!url)
        throw new errors/* UserError */.yo(`Target ${name}: no ZenML server. Set url in its config, or the zenml-url input.`);
    const apiKey = secretFromEnv(name, 'api-key', config['api-key'], secrets) ?? defaults.zenml.apiKey;
    if (!apiKey)
        throw new errors/* UserError */.yo(`Target ${name}: no API key. Pass zenml-api-key from a secret, or set api-key: env:NAME in its config.`);
    checkUrl(url, config.url ? `Target ${name} url` : 'Input zenml-url');
    return { url, apiKey, project: config.project ?? defaults.zenml.project };
}
function resolveTarget(name, config, defaults, secrets) {
    const maxParallel = config['max-parallel'] ?? defaults.maxParallel ?? (config.type === 'command' ? DEFAULT_MAX_PARALLEL.command : DEFAULT_MAX_PARALLEL.remote);
    switch (config.type) {
        case 'command': {
            const { url, apiKey, project } = defaults.zenml;
            return {
                type: 'command',
                name,
                maxParallel,
                run: config.run,
                configArg: config['config-arg'] ?? '--config',
                workingDirectory: config['working-directory'] ?? '.',
                ...(url && apiKey ? { server: { url: checkUrl(url, 'Input zenml-url').href.replace(/\/+$/, ''), apiKey, project } } : {})
            };
        }
        case 'zenml':
            return {
                type: 'zenml',
                name,
                maxParallel,
                server: zenmlServer(name, config, defaults, secrets),
                ...(config.snapshot ? { snapshot: config.snapshot } : {}),
                ...(config.template ? { template: config.template } : {}),
                ...(config.stack ? { stack: config.stack } : {}),
                tags: [...defaults.zenml.tags, ...(config.tags ?? [])],
                ...((config['enable-cache'] ?? defaults.zenml.enableCache) !== undefined ? { enableCache: config['enable-cache'] ?? defaults.zenml.enableCache } : {}),
                cancelOnTimeout: config['cancel-on-timeout'] ?? defaults.zenml.cancelOnTimeout
            };
        case 'http': {
            const http = defaults.http;
            const rawUrl = config.url ?? http.url;
            if (!rawUrl)
                throw new errors/* UserError */.yo(`Target ${name}: no URL. Set url in its config, or the http-url input.`);
            const allowInsecureHttp = config['allow-insecure-http'] ?? http.allowInsecureHttp;
            const base = checkUrl(rawUrl, config.url ? `Target ${name} url` : 'http-url', allowInsecureHttp);
            const preset = config.preset ?? http.preset;
            const apiKey = headerSafe(name, config['api-key'] ? `api-key (${config['api-key']})` : 'the api-key input', secretFromEnv(name, 'api-key', config['api-key'], secrets) ?? (http.apiKey || undefined));
            const signingSecret = secretFromEnv(name, 'signing-secret', config['signing-secret'], secrets) ?? (http.signingSecret || undefined);
            const apiKeyHeader = config['api-key-header'] ?? (preset === 'zenml-deployment' ? 'Authorization' : http.apiKeyHeader);
            if (!HEADER_NAME.test(apiKeyHeader)) {
                throw new errors/* UserError */.yo(`Input api-key-header: ${JSON.stringify(apiKeyHeader)} is not a header name. Fix: one token of letters, digits and !#$%&'*+.^_\`|~- (no spaces), e.g. X-API-Key.`);
            }
            return {
                type: 'http',
                name,
                maxParallel,
                url: preset === 'zenml-deployment' ? new URL(`${base.href.replace(/\/+$/, '')}/invoke`) : base,
                ...(preset ? { preset } : {}),
                ...(apiKey ? { apiKey } : {}),
                apiKeyHeader,
                ...(signingSecret ? { signingSecret } : {}),
                body: config.body ?? http.body ?? (preset === 'zenml-deployment' ? DEPLOYMENT_BODY : DEFAULT_BODY),
                allowInsecureHttp,
                statusUrlField: config['status-url-field'] ?? http.statusUrlField,
                ...(config['run-id-field'] ? { runIdField: config['run-id-field'] } : {}),
                ...(config['run-url-field'] ? { runUrlField: config['run-url-field'] } : {})
            };
        }
        case 'workflow': {
            const github = defaults.github;
            const repository = config.repo ?? github.repository;
            const [owner = '', repo = ''] = repository.split('/');
            const token = headerSafe(name, config.token ? `token (${config.token})` : 'the token input', secretFromEnv(name, 'token', config.token, secrets) ?? github.token) ?? '';
            if (!token)
                throw new errors/* UserError */.yo(`Target ${name}: no token. Leave the token input at its default (github.token), or set token: env:NAME to a token that may start workflows in ${repository}.`);
            const event = config.event ?? 'workflow_dispatch';
            // This repository runs on this run's branch by default; another one on its default branch.
            const ref = config.ref ?? (repository === github.repository && github.refName ? github.refName : undefined);
            return {
                type: 'workflow',
                name,
                maxParallel,
                owner,
                repo,
                event,
                ...(config.workflow ? { workflow: config.workflow } : {}),
                ...(event === 'workflow_dispatch' && ref ? { ref } : {}),
                ...(config['event-type'] ? { eventType: config['event-type'] } : {}),
                token,
                apiUrl: checkUrl(github.apiUrl, 'GITHUB_API_URL').href.replace(/\/+$/, ''),
                cancelOnTimeout: config['cancel-on-timeout'] ?? github.cancelOnTimeout
            };
        }
    }
}
/** Resolves every target the plan uses, once each, before anything starts. */
function resolveTargets(used, defaults, secrets) {
    const resolved = new Map();
    for (const [name, config] of used)
        if (!resolved.has(name))
            resolved.set(name, resolveTarget(name, config, defaults, secrets));
    return resolved;
}

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
;// CONCATENATED MODULE: ./src/retry.ts

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
/** An error worth another try: the answer was lost or the server asked us to come back. */
class TransientError extends errors/* UserError */.yo {
    retryAfterMs;
    name = 'TransientError';
    transient = true;
    constructor(message, retryAfterMs) {
        super(message);
        this.retryAfterMs = retryAfterMs;
    }
}
/** True for TransientError and for any error that says it is transient (e.g. a ZenML 503). */
function isTransient(error) {
    return error instanceof Error && error.transient === true;
}
const BASE_MS = 500;
const CAP_MS = 20_000;
const MAX_ATTEMPTS = 5;
/** Milliseconds to wait, from a Retry-After header value; undefined when absent or unreadable. */
function retryAfterMs(value, now) {
    if (!value)
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
function backoffMs(attempt, random) {
    return Math.floor(random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt));
}
/** Calls `call(attempt)` until it succeeds, the error is final, the attempts are spent or the deadline is near. */
async function retry(call, options) {
    const { clock, deadline } = options;
    const retryable = options.retryable ?? isTransient;
    for (let attempt = 0;; attempt++) {
        try {
            return await call(attempt);
        }
        catch (error) {
            if (!retryable(error) || attempt + 1 >= (options.attempts ?? MAX_ATTEMPTS))
                throw error;
            const wait = error.retryAfterMs ?? backoffMs(attempt, clock.random);
            if (wait >= deadline.remaining())
                throw error;
            options.onRetry?.(error, wait);
            await clock.sleep(wait, deadline.signal);
            if (deadline.expired)
                throw error;
        }
    }
}

;// CONCATENATED MODULE: ./src/targets/target.ts
const RUN_STATUSES = (/* unused pure expression or super */ null && (['completed', 'failed', 'running', 'timed_out', 'cancelled', 'not_started']));
/** A final status ends the wait; no flag of the target's overrides that. */
const isFinal = (status) => status !== 'running';
/** What a step counts as success: the run completed, or it goes on and the step does not wait for it. */
const isSuccess = (status) => status === 'completed' || status === 'running';

;// CONCATENATED MODULE: ./src/execute/execute.ts
/**
 * The one executor: every planned request is prepared, then started under its target's
 * max-parallel, then followed, all under the step's one deadline. Targets only start, report and
 * cancel; waiting, polling, retrying, fail-fast and cancelling live here.
 * - Runs are followed concurrently; results come back in plan order, whatever order they end in.
 * - Each run is polled after clamp(20 % of its age, 1 s, 30 s): a short run is noticed quickly,
 *   a long one is not hammered. A target that learns of a change itself (a process exits) wakes
 *   its run's wait at once.
 * - A run that does the work inside this job (command) holds its slot until it ends and is
 *   stopped when the deadline passes; it cannot outlive the step.
 */





const MIN_POLL_MS = 1_000;
const MAX_POLL_MS = 30_000;
const PROGRESS_EVERY_MS = 30_000;
/** Time a cancel may take after the deadline: stopping a run is worth a few seconds past it. */
const CANCEL_GRACE_MS = 15_000;
/** The wait before the next poll of a run this old: a fifth of its age, within 1 s and 30 s. */
function nextPollMs(ageMs) {
    return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Math.round(ageMs * 0.2)));
}
/** A run succeeded when it completed, or when it is still going and the step does not wait for it. */
const succeeded = (result) => isSuccess(result.state.status);
const label = (run) => `#${run.request.index} ${run.request.pipelineName}`;
const ids = (handle, state) => {
    const runId = state?.runId ?? handle?.runId;
    const runUrl = state?.runUrl ?? handle?.runUrl;
    return { ...(runId ? { runId } : {}), ...(runUrl ? { runUrl } : {}) };
};
async function executePlan(requests, targetFor, options) {
    const { clock, deadline, log } = options;
    const begun = clock.now();
    const limits = new Map();
    const limit = (target) => {
        if (!limits.has(target))
            limits.set(target, (0,p_limit/* default */.A)(target.maxParallel));
        return limits.get(target);
    };
    const runs = requests.map((request) => ({ request, target: targetFor(request) }));
    /** Fail-fast: no new starts after the first failure, and (with consent) cancel what still runs. */
    let stopReason;
    const cancelAll = new AbortController();
    const onRetry = (what) => (error, ms) => log.info(`${what}: ${error.message}; trying again in ${(ms / 1000).toFixed(1)}s.`);
    // Every request is checked before any starts: nothing is triggered on half-understood input.
    const prepared = await Promise.allSettled(runs.map((run) => limit(run.target)(async () => {
        if (run.target.prepare)
            await retry(() => run.target.prepare(run.request, deadline.signal), { clock, deadline, onRetry: onRetry(`Preparing ${label(run)}`) });
    })));
    const refused = prepared.find((outcome) => outcome.status === 'rejected');
    if (refused)
        throw refused.reason;
    const say = (run, word, extra = '') => {
        if (word === run.said)
            return;
        run.said = word;
        log.info(`${label(run)}: ${word}${extra}`);
    };
    const finish = (run, state) => {
        run.state = state;
        run.endedAt = clock.now();
        say(run, state.status, `${state.message ? ` (${state.message})` : ''}${run.startedAt !== undefined ? ` after ${formatDuration(run.endedAt - run.startedAt)}` : ''}`);
        if (options.failFast && !stopReason && (state.status === 'failed' || state.status === 'timed_out')) {
            stopReason = `fail-fast stopped new starts after ${label(run)} ${state.status}`;
            if (options.cancelOnFailFast)
                cancelAll.abort();
        }
    };
    /** Stops a run with a few seconds of grace, even past the deadline. */
    const stopRun = async (run) => {
        const grace = new Deadline(clock, CANCEL_GRACE_MS);
        try {
            await retry(() => run.target.cancel(run.handle, grace.signal), { clock, deadline: grace, onRetry: onRetry(`Stopping ${label(run)}`) });
            return undefined;
        }
        catch (error) {
            return (0,errors/* errorMessage */.gJ)(error);
        }
        finally {
            grace.dispose();
        }
    };
    /** One more status read, with a few seconds of grace: a run that ended just now is reported as it ended, not as cancelled or timed out. */
    const lastLook = async (run) => {
        const grace = new Deadline(clock, CANCEL_GRACE_MS);
        try {
            const state = await run.target.status(run.handle, grace.signal);
            return isFinal(state.status) ? { ...ids(run.handle), ...state } : undefined;
        }
        catch {
            return undefined;
        }
        finally {
            grace.dispose();
        }
    };
    const timedOut = async (run) => {
        const ended = await lastLook(run);
        if (ended)
            return finish(run, ended);
        const base = { status: 'timed_out', ...ids(run.handle, run.state) };
        const what = `still ${run.state?.detail ?? 'running'} when timeout (${formatDuration(deadline.ms)}) ran out`;
        if (run.target.cancel && (run.target.cancelOnTimeout || run.target.inRunner)) {
            const problem = await stopRun(run);
            const message = problem ? `${what}, and stopping it failed (${problem}); stop it by hand` : `${what}, so it was stopped${run.target.inRunner ? '' : ' (cancel-on-timeout)'}`;
            return finish(run, { ...base, message });
        }
        finish(run, { ...base, message: `${what}; it goes on${run.target.cancel ? ' (set cancel-on-timeout to stop it)' : ''}` });
    };
    /** The run a lost answer may have made, if the target can look it up. */
    const lookUp = async (run, signal) => {
        const found = await run.target.find?.(run.request, signal);
        if (found)
            log.info(`${label(run)}: the answer to starting it was lost, but the run exists (${found.runId ?? run.request.runName}); not starting it again.`);
        return found;
    };
    const start = async (run) => {
        const { request, target } = run;
        log.attempt(request);
        run.startedAt = clock.now();
        try {
            run.handle = await retry(async (attempt) => {
                // After a lost answer, a target that cannot dedupe first proves the run does not exist yet.
                const found = attempt > 0 ? await lookUp(run, deadline.signal) : undefined;
                if (found)
                    return found;
                try {
                    return await target.start(request, deadline.signal);
                }
                catch (error) {
                    // A refusal after a lost answer (ZenML's 409 for a taken run name) can mean the first try made the run after all.
                    if (attempt > 0 && !isTransient(error))
                        return (await lookUp(run, deadline.signal)) ?? Promise.reject(error);
                    throw error;
                }
            }, {
                clock,
                deadline,
                retryable: (error) => isTransient(error) && (target.dedupesStarts || target.find !== undefined),
                onRetry: onRetry(`Starting ${label(run)}${target.dedupesStarts ? ' (the same Idempotency-Key, so at most one run)' : ''}`)
            });
        }
        catch (error) {
            if (deadline.expired || error instanceof DeadlineExceeded) {
                finish(run, { status: 'timed_out', message: `timeout (${formatDuration(deadline.ms)}) ran out while it was starting; it may have started` });
                return false;
            }
            const found = isTransient(error) ? await lookUp(run, deadline.signal).catch(() => undefined) : undefined;
            if (!found) {
                const lost = isTransient(error) ? '; no answer came, so the run may have started anyway: check the target before you re-run' : '';
                finish(run, { status: 'failed', message: `${(0,errors/* errorMessage */.gJ)(error)}${lost}` });
                return false;
            }
            run.handle = found;
        }
        const { runId, runUrl } = ids(run.handle);
        say(run, 'started', runId ? ` run ${runId}${runUrl ? ` ${runUrl}` : ''}` : '');
        return true;
    };
    const follow = async (run) => {
        const { target } = run;
        const handle = run.handle;
        if (handle.settled)
            return finish(run, { ...ids(handle), ...handle.settled });
        if (!options.wait && !target.inRunner)
            return finish(run, { status: 'running', ...ids(handle), message: 'not followed (wait: false); its outcome is unknown to this step' });
        let changed = handle.changed;
        let pollAfter = 0;
        // A run its target cannot cancel is followed to its end even after fail-fast.
        const interrupt = target.cancel ? AbortSignal.any([deadline.signal, cancelAll.signal]) : deadline.signal;
        for (;;) {
            const wait = new AbortController();
            const delay = Math.max(nextPollMs(clock.now() - run.startedAt), pollAfter);
            const woke = await Promise.race([clock.sleep(delay, AbortSignal.any([interrupt, wait.signal])).then(() => 'timer'), ...(changed ? [changed.then(() => 'changed')] : [])]);
            wait.abort();
            if (woke === 'changed')
                changed = undefined;
            if (deadline.expired)
                return timedOut(run);
            if (target.cancel && cancelAll.signal.aborted) {
                const ended = await lastLook(run);
                if (ended)
                    return finish(run, ended);
                const problem = await stopRun(run);
                return finish(run, { status: 'cancelled', ...ids(handle, run.state), message: `${stopReason}${problem ? `; stopping it failed (${problem}), stop it by hand` : ', so it was stopped'}` });
            }
            let state;
            try {
                state = await target.status(handle, deadline.signal);
            }
            catch (error) {
                if (deadline.expired || error instanceof DeadlineExceeded)
                    return timedOut(run);
                if (isTransient(error)) {
                    log.info(`${label(run)}: ${error.message}; asking again at the next poll.`);
                    pollAfter = error.retryAfterMs ?? 0;
                    continue;
                }
                return finish(run, { status: 'failed', ...ids(handle, run.state), message: (0,errors/* errorMessage */.gJ)(error) });
            }
            if (isFinal(state.status))
                return finish(run, { ...ids(handle), ...state });
            run.state = { ...ids(handle), ...state };
            say(run, state.detail ?? state.status);
            pollAfter = state.pollAfterMs ?? 0;
        }
    };
    const execute = async (run) => {
        const started = await limit(run.target)(async () => {
            const notStarted = stopReason ?? (deadline.expired ? `timeout (${formatDuration(deadline.ms)}) ran out before it could start` : undefined);
            if (notStarted) {
                finish(run, { status: 'not_started', message: notStarted });
                return false;
            }
            if (!(await start(run)))
                return false;
            // A run inside this job holds its slot (the runner's CPUs) until it ends.
            if (run.target.inRunner)
                await follow(run);
            return true;
        });
        if (started && !run.target.inRunner)
            await follow(run);
    };
    const progress = reportProgress(runs, options, begun);
    try {
        await Promise.all(runs.map(execute));
    }
    finally {
        progress.abort();
    }
    const results = runs.map((run) => ({ request: run.request, state: run.state, durationMs: (run.endedAt ?? clock.now()) - (run.startedAt ?? run.endedAt ?? clock.now()) }));
    for (const result of results)
        log.finished(result);
    return results;
}
/** Every 30 s while runs are followed: one line of counts, e.g. `3 running, 2 completed, 0 failed (4m 10s)`. */
function reportProgress(runs, options, begun) {
    const done = new AbortController();
    if (!options.wait && !runs.some((run) => run.target.inRunner))
        return done;
    const { clock, log } = options;
    void (async () => {
        for (;;) {
            await clock.sleep(PROGRESS_EVERY_MS, done.signal);
            if (done.signal.aborted)
                return;
            const count = (test) => runs.filter(test).length;
            const waiting = count((run) => run.startedAt === undefined && run.state === undefined);
            const running = count((run) => run.startedAt !== undefined && (run.state === undefined || !isFinal(run.state.status)));
            const completed = count((run) => run.state?.status === 'completed');
            const failed = count((run) => run.state !== undefined && isFinal(run.state.status) && run.state.status !== 'completed');
            log.info(`${running} running, ${completed} completed, ${failed} failed${waiting ? `, ${waiting} waiting to start` : ''} (${formatDuration(clock.now() - begun)})`);
        }
    })();
    return done;
}

;// CONCATENATED MODULE: ./src/execute/fan-in.ts
/**
 * Fan-in: after a fan-out (one job per planned request, see .github/workflows/fan-out.yml),
 * gathers what every job triggered into one list. Each job saved its `runs` output as
 * `<index>.json`; the plan job's `matrix` says which indexes to expect, so a job that died
 * before saving anything shows up as missing instead of vanishing from the report.
 */




const FIX = 'Set fan-in-matrix to the plan job\'s matrix output, and fan-in-dir to the directory the trigger jobs\' <index>.json files were downloaded to.';
function expectedRequests(matrixText) {
    let matrix;
    try {
        matrix = JSON.parse(matrixText);
    }
    catch {
        throw new errors/* UserError */.yo(`Input fan-in-matrix: ${(0,errors/* preview */.VH)(matrixText)} is not JSON. ${FIX}`);
    }
    const include = matrix?.include;
    if (!Array.isArray(include))
        throw new errors/* UserError */.yo(`Input fan-in-matrix: ${(0,errors/* preview */.VH)(matrixText)} has no include list. ${FIX}`);
    return include.map((entry, i) => {
        if (typeof entry?.index !== 'number' || typeof entry.pipeline !== 'string') {
            throw new errors/* UserError */.yo(`Input fan-in-matrix: include[${i}] is ${(0,errors/* preview */.VH)(entry)}, without a numeric index and a pipeline. ${FIX}`);
        }
        return { index: entry.index, pipeline: entry.pipeline, target: String(entry.target ?? ''), runName: String(entry['run-name'] ?? '') };
    });
}
function readRuns(path) {
    let data;
    try {
        data = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch (error) {
        throw new errors/* UserError */.yo(`Fan-in: ${path} is not JSON (${error.message}). It must hold a trigger job's runs output unchanged.`);
    }
    if (!Array.isArray(data) || data.some((run) => typeof run?.status !== 'string')) {
        throw new errors/* UserError */.yo(`Fan-in: ${path} is ${(0,errors/* preview */.VH)(data)}, not a runs list. It must hold a trigger job's runs output unchanged.`);
    }
    return data;
}
function collectFanIn(dir, matrixText) {
    const expected = expectedRequests(matrixText);
    if (!(0,external_node_fs_.existsSync)(dir)) {
        // Every trigger job failing before it saved a result leaves nothing to download.
        return expected;
    }
    const known = new Set(expected.map((e) => e.index));
    const strays = (0,external_node_fs_.readdirSync)(dir).filter((name) => name.endsWith('.json') && !known.has(Number(name.slice(0, -'.json'.length))));
    if (strays.length > 0)
        throw new errors/* UserError */.yo(`Fan-in: ${strays.map((s) => JSON.stringify(s)).join(', ')} in ${dir} match no request of fan-in-matrix. ${FIX}`);
    return expected.map((entry) => {
        const path = (0,external_node_path_.join)(dir, `${entry.index}.json`);
        return (0,external_node_fs_.existsSync)(path) ? { ...entry, runs: readRuns(path) } : entry;
    });
}
/** A request fails the fan-in when its job saved nothing or one of its runs did not succeed (failed, timed out, cancelled, not started). */
function fanInFailures(collected) {
    return collected.flatMap((entry) => {
        if (!entry.runs)
            return [`#${entry.index} ${entry.pipeline}: no result (its job failed before triggering, or was cancelled)`];
        return entry.runs.filter((run) => !isSuccess(run.status)).map((run) => `#${entry.index} ${run.pipeline}: ${run.status}`);
    });
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./node_modules/minimatch/dist/esm/index.js + 8 modules
var esm = __webpack_require__(1138);
;// CONCATENATED MODULE: ./src/plan/glob-pattern.ts
/**
 * Globs with named captures: `data/{dataset}/**\/*.csv`. Matching is minimatch's, with
 * `{name}` read as `*`; captures are then read off the aligned path segment.
 *
 * minimatch options, and why:
 * - dot: `data/**` must match `data/.hidden` too, as GitHub's `on.push.paths` does;
 * - nobrace: `{…}` is our capture syntax, so brace lists are refused instead of expanded;
 * - noext, nocomment, nonegate: `(`, `#` and `!` in file names stay literal (we handle `!` ourselves).
 */


const MINIMATCH_OPTIONS = { dot: true, nobrace: true, noext: true, nocomment: true, nonegate: true };
/** Placeholders every request has; a capture may not reuse these names. */
const BUILT_IN_PLACEHOLDERS = ['path', 'dir', 'name', 'stem', 'ext', 'sha', 'ref'];
const BRACE = /\\.|\{([^{}]*)\}/g;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GLOB_CHARS = /[*?[\]\\]/;
function escapeRegex(text) {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
/** Compiles one glob (without a leading `!`). Throws a UserError that explains the fix. */
function compileGlob(glob) {
    if (glob.startsWith('/')) {
        throw new errors/* UserError */.yo(`glob ${JSON.stringify(glob)} starts with "/": paths are relative to the repository root, write ${JSON.stringify(glob.replace(/^\/+/, ''))}.`);
    }
    const captureNames = [];
    const minimatchSource = glob.replace(BRACE, (whole, name) => {
        if (name === undefined)
            return whole; // an escaped character such as \{
        if (!IDENTIFIER.test(name)) {
            throw new errors/* UserError */.yo(`glob ${JSON.stringify(glob)}: ${whole} is not a capture. Captures are {identifier}; brace lists like {a,b} are not supported, so write one glob per alternative.`);
        }
        if (BUILT_IN_PLACEHOLDERS.includes(name)) {
            throw new errors/* UserError */.yo(`glob ${JSON.stringify(glob)}: capture {${name}} clashes with the built-in placeholder {${name}}; rename it, e.g. {dataset}.`);
        }
        if (captureNames.includes(name)) {
            throw new errors/* UserError */.yo(`glob ${JSON.stringify(glob)}: capture {${name}} appears twice; give each capture its own name.`);
        }
        captureNames.push(name);
        return '*';
    });
    const matcher = new esm/* Minimatch */.VR(minimatchSource, MINIMATCH_OPTIONS);
    // minimatch resolves `.`, `..` and empty segments (`a/../b` matches `b`), so such a glob gets no shortcut.
    const plain = !minimatchSource.split('/').some((part) => part === '' || part === '.' || part === '..');
    const segment = plain ? literalSegment(minimatchSource) : undefined;
    const captures = captureNames.length > 0 ? captureSegments(glob) : [];
    return {
        source: glob,
        captureNames,
        prefix: plain ? literalPrefix(glob) : '',
        ...(segment !== undefined ? { segment } : {}),
        match(path) {
            if (!matcher.match(path))
                return undefined;
            const values = {};
            const segments = path.split('/');
            for (const { index, regex } of captures) {
                const segment = segments[index >= 0 ? index : segments.length + index];
                const found = segment === undefined ? null : regex.exec(segment);
                if (!found?.groups)
                    return undefined; // a capture never matches an empty string
                Object.assign(values, found.groups);
            }
            return values;
        }
    };
}
/**
 * A segment of the glob that is plain text: every matching path has it as one of its segments
 * (`**` may stand for any number of segments, but never for part of a literal one). minimatch 11
 * no longer compiles a glob to a RegExp, so the planner uses this to look up candidate files in
 * an index instead of testing every file against every glob. Undefined when there is none.
 */
function literalSegment(minimatchSource) {
    return minimatchSource
        .split('/')
        .filter((segment) => !/[*?[\]\\]/.test(segment))
        .sort((a, b) => b.length - a.length)[0];
}
/** The leading segments without wildcards, escapes or captures, each followed by `/`. */
function literalPrefix(glob) {
    const segments = glob.split('/');
    let prefix = '';
    for (const segment of segments.slice(0, -1)) {
        if (/[*?[\]\\{]/.test(segment))
            break;
        prefix += `${segment}/`;
    }
    return prefix;
}
/** Works out which path segment each capture reads, and how. */
function captureSegments(glob) {
    const segments = glob.split('/');
    const firstGlobstar = segments.indexOf('**');
    const lastGlobstar = segments.lastIndexOf('**');
    const result = [];
    segments.forEach((segment, i) => {
        if (!segment.includes('{') || !/\{[A-Za-z_]/.test(segment.replace(/\\./g, '')))
            return;
        let index;
        if (firstGlobstar === -1 || i < firstGlobstar)
            index = i;
        else if (i > lastGlobstar)
            index = i - segments.length;
        else {
            throw new errors/* UserError */.yo(`glob ${JSON.stringify(glob)}: a capture between two ** cannot be located; move it before the first or after the last **.`);
        }
        let pattern = '';
        let last = 0;
        for (const found of segment.matchAll(BRACE)) {
            const literal = segment.slice(last, found.index);
            if (GLOB_CHARS.test(literal.replace(/\\./g, ''))) {
                throw new errors/* UserError */.yo(`glob ${JSON.stringify(glob)}: the segment ${JSON.stringify(segment)} mixes a capture with wildcards; only literal text may surround a capture in its segment.`);
            }
            pattern += escapeRegex(literal.replace(/\\(.)/g, '$1'));
            pattern += found[1] === undefined ? escapeRegex(found[0].slice(1)) : `(?<${found[1]}>.+)`;
            last = found.index + found[0].length;
        }
        const tail = segment.slice(last);
        if (GLOB_CHARS.test(tail.replace(/\\./g, ''))) {
            throw new errors/* UserError */.yo(`glob ${JSON.stringify(glob)}: the segment ${JSON.stringify(segment)} mixes a capture with wildcards; only literal text may surround a capture in its segment.`);
        }
        pattern += escapeRegex(tail.replace(/\\(.)/g, '$1'));
        result.push({ index, regex: new RegExp(`^${pattern}$`, 's') });
    });
    return result;
}
function compilePathMatcher(globs, ignore = []) {
    const ordered = globs.map((glob) => glob.startsWith('!') ? { negated: true, pattern: compileGlob(glob.slice(1)) } : { negated: false, pattern: compileGlob(glob) });
    if (!ordered.some((entry) => !entry.negated)) {
        throw new errors/* UserError */.yo(`globs ${JSON.stringify(globs)} only exclude; add a glob that includes files, e.g. "data/**".`);
    }
    const ignored = ignore.map((glob) => compileGlob(glob));
    const included = ordered.filter((entry) => !entry.negated).map((entry) => entry.pattern);
    const segments = included.map((pattern) => pattern.segment);
    return {
        prefixes: [...new Set(included.map((pattern) => pattern.prefix))],
        ...(segments.every((segment) => segment !== undefined) ? { segments: [...new Set(segments)] } : {}),
        match(path) {
            let captures;
            for (const { negated, pattern } of ordered) {
                const found = pattern.match(path);
                if (found)
                    captures = negated ? undefined : found;
            }
            if (!captures || ignored.some((pattern) => pattern.match(path)))
                return undefined;
            return captures;
        }
    };
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./src/config/schema.ts
/**
 * The config file's schema: one zod definition gives the TypeScript types, the runtime
 * validation and the published JSON Schema (`schema/pipeline-triggers.schema.json`).
 */

const parameterName = schemas/* string */.YjP()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, {
    message: 'a parameter name is an identifier, optionally step-qualified (e.g. data_url or load_data.data_url)'
});
/** Parameter values are whatever YAML can say; strings may hold {placeholders}. */
const parametersSchema = schemas/* record */.g1P(parameterName, schemas/* unknown */.L5J())
    .describe('Pipeline parameters. Strings may use {path} {dir} {name} {stem} {ext} {sha} {ref} and glob captures.');
const inputSpec = schemas/* strictObject */.rej({
    parameter: parameterName.optional().describe('The parameter that receives the input (default: the input name).'),
    type: schemas/* enum */.k5n(['string', 'number', 'boolean', 'choice']).optional().describe('How the value is checked and converted.'),
    options: schemas/* array */.YOg(schemas/* string */.YjP()).optional().describe('The allowed values of a choice input.'),
    required: schemas/* boolean */.zMY().optional().describe('Fail when the event does not carry this input.')
})
    .describe('How one dispatch input becomes a parameter.');
const inputMappingSchema = schemas/* record */.g1P(schemas/* string */.YjP().min(1), schemas/* union */.KCZ([parameterName, inputSpec]))
    .describe('Dispatch input name → parameter name, or a typed spec.');
const globList = schemas/* union */.KCZ([schemas/* string */.YjP().min(1), schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1)]);
const fileStatuses = ['added', 'modified', 'deleted', 'renamed', 'copied', 'type-changed'];
const pathRule = schemas/* strictObject */.rej({
    glob: globList.describe('Glob(s) a changed file must match; `!` lines exclude, later lines win. `{name}` captures part of one path segment.'),
    ignore: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).optional().describe('Globs that exclude a file whatever the other globs say.'),
    each: schemas/* enum */.k5n(['file', 'directory', 'all']).optional().describe('One run per file (default), per directory, or one run for all files.'),
    'path-parameter': parameterName.optional().describe('The parameter that receives the path (the list of paths with each: all).'),
    statuses: schemas/* array */.YOg(schemas/* enum */.k5n(fileStatuses)).min(1).optional().describe('Which changes count (default: all but deleted).'),
    parameters: parametersSchema.optional()
})
    .describe('A rule that turns matching changed files into runs.');
const sincePaths = schemas/* array */.YOg(pathRule)
    .min(1)
    .optional()
    .describe('Changed-file rules over the files changed since the last successful run of this workflow on this branch.');
const changeEvent = schemas/* strictObject */.rej({
    branches: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1).optional().describe('Branch globs (the pushed branch, or the pull request base branch).'),
    'branches-ignore': schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1).optional().describe('Branch globs that never fire (not together with branches).'),
    tags: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1).optional().describe('Tag globs (push only).'),
    paths: schemas/* array */.YOg(pathRule).min(1).optional().describe('Changed-file rules. Without it, every matching event triggers one run.'),
    parameters: parametersSchema.optional()
});
const inputsSchema = schemas/* union */.KCZ([schemas/* literal */.euz('all'), inputMappingSchema])
    .describe('`all` maps every input to the parameter of the same name; otherwise input name → parameter name or typed spec.');
const requireUpstream = schemas/* boolean */.zMY()
    .optional()
    .describe('Refuse to run without an upstream identity: the event must carry a pipeline-context from an upstream trigger (workflow_run: always has its upstream run). Stops "whatever is latest" runs.');
const dispatchEvent = schemas/* strictObject */.rej({
    inputs: inputsSchema.optional(),
    'require-upstream': requireUpstream,
    parameters: parametersSchema.optional(),
    paths: sincePaths
});
const scheduleEntry = schemas/* strictObject */.rej({
    cron: schemas/* string */.YjP().min(1).optional().describe('The cron line, exactly as in the workflow `on.schedule`. Without it: any schedule.'),
    parameters: parametersSchema.optional(),
    paths: sincePaths
});
const repositoryDispatchEvent = schemas/* strictObject */.rej({
    types: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1).optional().describe('The event types (`action`) that trigger; default all.'),
    inputs: inputsSchema.optional().describe('client_payload key → parameter (`all`: every key of the same name).'),
    'require-upstream': requireUpstream,
    parameters: parametersSchema.optional(),
    paths: sincePaths
});
const WORKFLOW_CONCLUSIONS = ['success', 'failure', 'cancelled', 'skipped', 'timed_out', 'action_required', 'neutral', 'stale', 'startup_failure'];
const workflowRunEvent = schemas/* strictObject */.rej({
    workflows: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1).optional().describe('The upstream workflows (their name:) that fire this rule. Default: any the workflow listens to.'),
    conclusions: schemas/* array */.YOg(schemas/* enum */.k5n(WORKFLOW_CONCLUSIONS))
        .min(1)
        .optional()
        .describe('The upstream conclusions that fire this rule. Default: success only.'),
    branches: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1).optional().describe('Globs of the upstream run\'s branch (head_branch).'),
    'allow-forks': schemas/* boolean */.zMY().optional().describe('Also fire for an upstream run that built a fork (a pull request from another repository). Default false: a fork\'s branch name and commit are not this repository\'s.'),
    'require-upstream': requireUpstream,
    parameters: parametersSchema.optional().describe('Parameters; strings may use {upstream.run_id} {upstream.sha} {upstream.workflow} {upstream.conclusion} {upstream.html_url} {upstream.branch}.')
});
const onSchema = schemas/* strictObject */.rej({
    schedule: schemas/* array */.YOg(scheduleEntry).min(1).optional().describe('One entry per cron line; the line that fired picks its entry.'),
    workflow_dispatch: dispatchEvent.optional().describe('The "Run workflow" form: its inputs become parameters.'),
    workflow_call: dispatchEvent.optional().describe('A call as a reusable workflow: its inputs (through the workflow-inputs input) become parameters.'),
    repository_dispatch: repositoryDispatchEvent.optional().describe('An API dispatch: client_payload keys become parameters.'),
    push: changeEvent.optional().describe('A push: branch and tag filters, then changed-file rules.'),
    pull_request: changeEvent.omit({ tags: true }).optional().describe('A pull request (and pull_request_target): its changed files against the base.'),
    merge_group: changeEvent.omit({ tags: true, branches: true, 'branches-ignore': true }).optional().describe('A merge queue group: its changed files against the base.'),
    workflow_run: workflowRunEvent.optional().describe('An upstream workflow completed: a downstream pipeline, gated by its conclusion, with its identity as {upstream.*} placeholders.')
})
    .describe('The events that trigger this pipeline, with per-event parameters.');
const maxParallel = schemas/* number */.aig()
    .int()
    .min(1)
    .max(256)
    .optional()
    .describe('How many of this target\'s requests start at once (default: the max-parallel input, else 4; 1 for command, which runs on the runner\'s CPUs).');
const commandTarget = schemas/* strictObject */.rej({
    type: schemas/* literal */.euz('command').describe('Runs the pipeline inside the runner.'),
    run: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).min(1).describe('argv of the command, no shell: e.g. [python, run.py].'),
    'config-arg': schemas/* string */.YjP().min(1).optional().describe('The flag before the run config path (default --config).'),
    'working-directory': schemas/* string */.YjP().min(1).optional().describe('Where the command runs, relative to the workspace.'),
    'max-parallel': maxParallel
})
    .describe('Runs the pipeline inside the runner with a ZenML YAML run config.');
const zenmlTarget = schemas/* strictObject */.rej({
    type: schemas/* literal */.euz('zenml').describe('Runs a snapshot or run template through the ZenML server REST API.'),
    snapshot: schemas/* string */.YjP().min(1).optional().describe('Snapshot name or id (ZenML ≥0.90); default: the newest runnable named snapshot of the pipeline.'),
    template: schemas/* string */.YjP().min(1).optional().describe('Legacy run template name or id (ZenML 0.63–0.85).'),
    stack: schemas/* string */.YjP().min(1).optional().describe('Only snapshots on this stack.'),
    url: schemas/* string */.YjP().min(1).optional().describe('The server URL (https; http only on loopback). Default: the zenml-url input.'),
    project: schemas/* string */.YjP().min(1).optional().describe('The ZenML project. Default: the project input.'),
    'api-key': schemas/* string */.YjP()
        .regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, { message: 'write env:NAME, the environment variable that holds the key; secrets never go in this file' })
        .optional()
        .describe('env:NAME: the environment variable with the service-account key. Default: the zenml-api-key input.'),
    tags: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).optional().describe('Extra run tags for this target.'),
    'enable-cache': schemas/* boolean */.zMY().optional().describe('Override the snapshot\'s step caching.'),
    'cancel-on-timeout': schemas/* boolean */.zMY().optional().describe('Stop the run when timeout runs out.'),
    'max-parallel': maxParallel
})
    .describe('Runs a snapshot or run template on a ZenML server (by default the one of the zenml-url and zenml-api-key inputs).');
const envRef = schemas/* string */.YjP()
    .regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, { message: 'write env:NAME, the environment variable that holds the secret; secrets never go in this file' });
const httpTarget = schemas/* strictObject */.rej({
    type: schemas/* literal */.euz('http').describe('POSTs a signed JSON trigger to a URL.'),
    url: schemas/* string */.YjP().min(1).optional().describe('The trigger URL (https; http only on loopback). Default: the http-url input.'),
    preset: schemas/* enum */.k5n(['zenml-deployment']).optional().describe('zenml-deployment: POST <url>/invoke with {parameters, run_name} and a Bearer key.'),
    'api-key': envRef.optional().describe('env:NAME with the API key. Default: the api-key input.'),
    'api-key-header': schemas/* string */.YjP()
        .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { message: 'a header name is one token of letters, digits and !#$%&\'*+.^_`|~- (no spaces), e.g. X-API-Key' })
        .optional()
        .describe('The header for the key (default X-API-Key; Authorization means Bearer).'),
    'signing-secret': envRef.optional().describe('env:NAME with the HMAC secret. Default: the signing-secret input.'),
    body: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()).optional().describe('Body template; "{parameters}" alone is the parameters object.'),
    'allow-insecure-http': schemas/* boolean */.zMY().optional().describe('Allow http:// to a host that is not loopback (the key would travel in clear text).'),
    'status-url-field': schemas/* string */.YjP().min(1).optional().describe('The reply field with the status URL of a 202 (default status_url; the Location header wins).'),
    'run-id-field': schemas/* string */.YjP().min(1).optional().describe('The reply field with the run id (default run_id, then id).'),
    'run-url-field': schemas/* string */.YjP().min(1).optional().describe('The reply field with the run URL (default run_url).'),
    'max-parallel': maxParallel
})
    .describe('Calls a trigger API, a Lambda behind API Gateway, or a ZenML pipeline deployment.');
const workflowTarget = schemas/* strictObject */.rej({
    type: schemas/* literal */.euz('workflow').describe('Starts another GitHub Actions workflow and can wait for it.'),
    repo: schemas/* string */.YjP()
        .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: 'write owner/name, e.g. ml-org/ml-eval' })
        .optional()
        .describe('owner/name of the repository with the workflow. Default: this repository.'),
    workflow: schemas/* string */.YjP()
        .regex(/^([A-Za-z0-9_.-]+\.ya?ml|\d+)$/, { message: 'write the workflow file name under .github/workflows (e.g. evaluate.yml) or its numeric id' })
        .optional()
        .describe('workflow_dispatch: the workflow file under .github/workflows (e.g. evaluate.yml), or its id.'),
    ref: schemas/* string */.YjP().min(1).optional().describe('workflow_dispatch: the branch or tag to run. Default: this run\'s branch in this repository, the default branch in another.'),
    event: schemas/* enum */.k5n(['workflow_dispatch', 'repository_dispatch'])
        .optional()
        .describe('workflow_dispatch (default; inputs checked against the workflow file) or repository_dispatch (parameters in client_payload; runs on the default branch).'),
    'event-type': schemas/* string */.YjP().min(1).max(100).optional().describe('repository_dispatch: the event type the receiving workflow listens for (on.repository_dispatch.types).'),
    token: schemas/* string */.YjP()
        .regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, { message: 'write env:NAME, the environment variable that holds the token; secrets never go in this file' })
        .optional()
        .describe('env:NAME with a token that may start workflows there. Default: the token input (github.token, this repository only).'),
    'cancel-on-timeout': schemas/* boolean */.zMY().optional().describe('Cancel the workflow run when timeout runs out.'),
    'max-parallel': maxParallel
})
    .superRefine((target, context) => {
    const event = target.event ?? 'workflow_dispatch';
    if (event === 'workflow_dispatch' && !target.workflow)
        context.addIssue({ code: 'custom', path: ['workflow'], message: 'a workflow_dispatch target needs workflow: the file name under .github/workflows, e.g. evaluate.yml' });
    if (event === 'repository_dispatch' && !target['event-type'])
        context.addIssue({ code: 'custom', path: ['event-type'], message: 'a repository_dispatch target needs event-type: the type the receiving workflow lists under on.repository_dispatch.types' });
    if (event === 'repository_dispatch' && (target.workflow || target.ref)) {
        context.addIssue({ code: 'custom', path: [target.workflow ? 'workflow' : 'ref'], message: 'repository_dispatch runs every workflow that listens for event-type, on the default branch; remove workflow and ref, or use event: workflow_dispatch' });
    }
})
    .describe('Starts a workflow in this or another repository (workflow_dispatch or repository_dispatch), with the parameters as its inputs, and can wait for its run.');
const targetSchema = schemas/* discriminatedUnion */.gMt('type', [commandTarget, zenmlTarget, httpTarget, workflowTarget]);
const pipelineSchema = schemas/* strictObject */.rej({
    target: schemas/* string */.YjP().min(1).describe('The name of a target under `targets`.'),
    pipeline: schemas/* string */.YjP().min(1).optional().describe('The pipeline name on the target (default: this key).'),
    snapshot: schemas/* string */.YjP().min(1).optional().describe('zenml targets: the snapshot for this pipeline (overrides the target\'s).'),
    template: schemas/* string */.YjP().min(1).optional().describe('zenml targets: the legacy run template for this pipeline (overrides the target\'s).'),
    parameters: parametersSchema.optional().describe('Default parameters of every run.'),
    on: onSchema
});
const configSchema = schemas/* strictObject */.rej({
    $schema: schemas/* string */.YjP().optional(),
    version: schemas/* literal */.euz(1).describe('The config format version.'),
    targets: schemas/* record */.g1P(schemas/* string */.YjP().min(1), targetSchema).describe('Named places where pipelines run.'),
    pipelines: schemas/* record */.g1P(schemas/* string */.YjP().min(1), pipelineSchema).describe('The pipelines and the events that trigger them.')
})
    .describe('pipeline-trigger config: which events start which pipelines, where, with which parameters.');

;// CONCATENATED MODULE: ./src/config/parse-config.ts
/**
 * Parses and validates a config file. Every error names the file, the line and column, the
 * key path, what was found and how to fix it, and nothing is triggered when any is found.
 */




function formatPath(path) {
    // A key of a path is the user's text: a huge one is cut, with its size.
    const name = (key) => (String(key).length > 60 ? (0,errors/* preview */.VH)(String(key), 60) : String(key));
    return path.reduce((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${name(key)}` : name(key)), '');
}
class Locator {
    doc;
    lines;
    file;
    constructor(doc, lines, file) {
        this.doc = doc;
        this.lines = lines;
        this.file = file;
    }
    /** `file:line:col` of the deepest node that exists on the path (or of an unknown key). */
    at(path, key) {
        for (let depth = path.length; depth >= 0; depth--) {
            const node = this.doc.getIn(path.slice(0, depth), true);
            if (!node?.range)
                continue;
            let offset = node.range[0];
            if (key !== undefined && depth === path.length && (0,dist/* isMap */.jh)(node)) {
                const pair = node.items.find((item) => (0,dist/* isScalar */.jn)(item.key) && item.key.value === key);
                if (pair && (0,dist/* isScalar */.jn)(pair.key) && pair.key.range)
                    offset = pair.key.range[0];
            }
            const { line, col } = this.lines.linePos(offset);
            return `${this.file}:${line}:${col}`;
        }
        return this.file;
    }
}
/** The keys the schema allows for the object at `path` (for "did you mean"). */
function allowedKeys(schema, path) {
    const unwrap = (s) => {
        const def = s._zod.def;
        if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default')
            return unwrap(def.innerType);
        if (def.type === 'union')
            return def.options.flatMap(unwrap);
        return [s];
    };
    let current = unwrap(schema);
    for (const key of path) {
        current = current.flatMap((s) => {
            const def = s._zod.def;
            if (def.type === 'object') {
                const child = def.shape[String(key)];
                return child ? unwrap(child) : [];
            }
            if (def.type === 'record')
                return unwrap(def.valueType);
            if (def.type === 'array')
                return unwrap(def.element);
            return [];
        });
    }
    return [...new Set(current.flatMap((s) => (s._zod.def.type === 'object' ? Object.keys(s._zod.def.shape) : [])))];
}
function editDistance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.length];
}
function unknownKeyFix(key, allowed) {
    // A key much longer than any allowed one is no typo of them (and would cost a long comparison).
    const closest = key.length > 100 ? undefined : allowed
        .map((candidate) => ({ candidate, distance: editDistance(key, candidate) }))
        .sort((x, y) => x.distance - y.distance)[0];
    const suggestion = closest && closest.distance <= Math.max(2, key.length / 3) ? `did you mean ${JSON.stringify(closest.candidate)}? ` : '';
    return `Fix: ${suggestion}allowed here: ${allowed.filter((k) => k !== '$schema').join(', ')}.`;
}
function describeIssue(issue, data) {
    const value = issue.path.reduce((node, key) => node?.[key], data);
    switch (issue.code) {
        case 'unrecognized_keys':
            return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.slice(0, 5).map((k) => (0,errors/* preview */.VH)(k)).join(', ')}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}. ${unknownKeyFix(issue.keys[0], allowedKeys(configSchema, issue.path))}`;
        case 'invalid_type':
            if (value === undefined)
                return `missing. Fix: add it (${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}).`;
            return `${issue.message}, got ${(0,errors/* preview */.VH)(value)}.`;
        default:
            return `${issue.message}, got ${(0,errors/* preview */.VH)(value)}.`;
    }
}
function parseConfig(text, file) {
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const error = doc.errors[0];
        const pos = error.linePos?.[0];
        throw new errors/* UserError */.yo(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    refuseProtoKeys(doc, lineCounter, file);
    let data;
    try {
        data = doc.toJS({ maxAliasCount: 100 });
    }
    catch (error) {
        // An alias bomb or an alias to nothing: the YAML library's message names no file.
        throw new errors/* UserError */.yo(`${file}: ${error.message.split('\n')[0]} Fix: write the values out instead of YAML aliases (at most 100).`);
    }
    const locate = new Locator(doc, lineCounter, file);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new errors/* UserError */.yo(`${file}: expected a mapping with version, targets and pipelines, got ${(0,errors/* preview */.VH)(data)}.`);
    }
    const result = configSchema.safeParse(data);
    if (!result.success) {
        const messages = result.error.issues.slice(0, 10).map((issue) => {
            const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
            return `${locate.at(issue.path, key)}: ${formatPath(issue.path) || '(top level)'}: ${describeIssue(issue, data)}`;
        });
        const more = result.error.issues.length > 10 ? `\n(and ${result.error.issues.length - 10} more)` : '';
        throw new errors/* UserError */.yo(`Invalid config file:\n${messages.join('\n')}${more}`);
    }
    checkReferences(result.data, (path, message) => new errors/* UserError */.yo(`Invalid config file:\n${locate.at(path)}: ${formatPath(path)}: ${message}`));
    return result.data;
}
/**
 * A `__proto__` key would become the object's prototype and vanish without a word; it is refused
 * where it stands. `where` names the file or input in the message.
 */
function refuseProtoKeys(doc, lineCounter, where) {
    (0,dist/* visit */.YR)(doc, {
        Pair(_, pair) {
            if ((0,dist/* isScalar */.jn)(pair.key) && pair.key.value === '__proto__') {
                const pos = pair.key.range ? lineCounter.linePos(pair.key.range[0]) : undefined;
                throw new errors/* UserError */.yo(`${where}${pos ? `:${pos.line}:${pos.col}` : ''}: __proto__ cannot be a key here (JavaScript would take it for the object's prototype). Fix: rename it.`);
            }
        }
    });
}
/** Checks what the schema cannot: target names and glob syntax. */
function checkReferences(config, fail) {
    const targetNames = Object.keys(config.targets);
    for (const [name, pipeline] of Object.entries(config.pipelines)) {
        // Own names only: a target called "constructor" must be defined, not found on Object.prototype.
        if (!Object.hasOwn(config.targets, pipeline.target)) {
            throw fail(['pipelines', name, 'target'], `no target named ${JSON.stringify(pipeline.target)}. Fix: use one of ${targetNames.map((t) => JSON.stringify(t)).join(', ') || '(none defined: add one under targets)'}.`);
        }
        const ruleLists = [
            ...['push', 'pull_request', 'merge_group', 'workflow_dispatch', 'workflow_call', 'repository_dispatch'].map((event) => [['pipelines', name, 'on', event, 'paths'], pipeline.on[event]?.paths]),
            ...(pipeline.on.schedule ?? []).map((entry, i) => [['pipelines', name, 'on', 'schedule', i, 'paths'], entry.paths])
        ];
        for (const [path, rules] of ruleLists) {
            rules?.forEach((rule, i) => {
                try {
                    compilePathMatcher(typeof rule.glob === 'string' ? [rule.glob] : rule.glob, rule.ignore);
                }
                catch (error) {
                    throw fail([...path, i, 'glob'], error.message);
                }
            });
        }
    }
}

;// CONCATENATED MODULE: ./src/inputs/duration.ts
/** Parses durations such as `90s`, `30m`, `1h30m` or `500ms` into milliseconds. */
const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;
function parseDuration(text) {
    const match = DURATION.exec(text.trim());
    if (!match || text.trim() === '')
        return undefined;
    const [, h, m, s, ms] = match;
    const total = Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s + Number(ms ?? 0) * UNIT_MS.ms;
    return total > 0 ? total : undefined;
}

;// CONCATENATED MODULE: ./src/inputs/settings.ts
/**
 * Reads the action inputs into one typed, validated Settings object. This is the only
 * module that calls core.getInput; everything after it works with plain data.
 */





const EACH_MODES = ['file', 'directory', 'all'];
const TARGET_TYPES = ['command', 'zenml', 'http'];
const ON_INCOMPLETE = ['fail', 'warn', 'all'];
/**
 * The defaults of action.yml, applied when an input is empty. The runner fills them in
 * itself; the CLI and an empty `with:` value need them here. A test keeps both in sync.
 */
const INPUT_DEFAULTS = {
    config: '.github/pipeline-triggers.yml',
    each: 'file',
    'dispatch-inputs': 'all',
    'on-incomplete': 'fail',
    project: 'default',
    'cancel-on-timeout': 'false',
    'api-key-header': 'X-API-Key',
    'allow-insecure-http': 'false',
    'status-url-field': 'status_url',
    'dry-run': 'false',
    'max-runs': '20',
    'max-depth': '4',
    wait: 'true',
    timeout: '6h',
    'fail-fast': 'false',
    'cancel-on-fail-fast': 'false'
};
/** Node timers wait at most 2^31-1 ms (about 24.8 days); a longer one would fire at once. */
const MAX_TIMEOUT_MS = 24 * 24 * 3_600_000;
function input(name) {
    const value = commands/* getInput */.V4(name);
    return value !== '' ? value : (INPUT_DEFAULTS[name] ?? '');
}
function booleanInput(name) {
    // getBooleanInput validates the YAML 1.2 booleans; an empty value falls back to the default.
    return commands/* getInput */.V4(name) === '' ? INPUT_DEFAULTS[name] === 'true' : commands/* getBooleanInput */.Vt(name);
}
function oneOf(name, value, allowed) {
    if (allowed.includes(value))
        return value;
    throw new errors/* UserError */.yo(`Input ${name}: ${(0,errors/* preview */.VH)(value)} is not supported. Use one of: ${allowed.join(', ')}.`);
}
/** Parses a YAML/JSON mapping input; the error names the input and the line. */
function parseMappingInput(name, text) {
    if (text.trim() === '')
        return {};
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { prettyErrors: true, lineCounter });
    const error = doc.errors[0];
    if (error) {
        throw new errors/* UserError */.yo(`Input ${name} is not valid YAML or JSON: ${error.message.split('\n')[0]} Write a mapping, one "name: value" per line, e.g. "model_type: random_forest".`);
    }
    refuseProtoKeys(doc, lineCounter, `Input ${name}`);
    let value;
    try {
        value = doc.toJS({ maxAliasCount: 100 });
    }
    catch (failure) {
        throw new errors/* UserError */.yo(`Input ${name}: ${failure.message.split('\n')[0]} Write a plain mapping, without YAML aliases.`);
    }
    if (value === null || value === undefined)
        return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new errors/* UserError */.yo(`Input ${name} must be a mapping such as "model_type: random_forest", got ${(0,errors/* preview */.VH)(value)}.`);
    }
    return value;
}
function parseWorkflowInputs(text) {
    if (text.trim() === '')
        return undefined;
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw new errors/* UserError */.yo(`Input workflow-inputs must be JSON (set it to the expression toJSON(inputs)): ${error.message}.`);
    }
    if (value === null)
        return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new errors/* UserError */.yo(`Input workflow-inputs must be a JSON object (toJSON(inputs)), got ${(0,errors/* preview */.VH)(value)}.`);
    }
    // toJSON(inputs) is {} outside a call (a push in a workflow that also has inputs): not a call.
    return Object.keys(value).length === 0 ? undefined : value;
}
function positiveInteger(name, text) {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < 1) {
        throw new errors/* UserError */.yo(`Input ${name}: ${(0,errors/* preview */.VH)(text)} is not a whole number of at least 1.`);
    }
    return value;
}
function settings_maxParallel(text) {
    if (text === '')
        return {};
    const value = positiveInteger('max-parallel', text);
    if (value > 256)
        throw new errors/* UserError */.yo(`Input max-parallel: ${(0,errors/* preview */.VH)(text)} is more than 256. Use a smaller number; a job rarely gains from more.`);
    return { maxParallel: value };
}
function requestIndex(text) {
    if (text === '')
        return {};
    if (!/^\d+$/.test(text))
        throw new errors/* UserError */.yo(`Input request-index: ${(0,errors/* preview */.VH)(text)} is not a request index. Set it to the matrix entry's index (matrix.index).`);
    return { requestIndex: Number(text) };
}
function fanIn(dir, matrix) {
    if (dir === '' && matrix === '')
        return {};
    if (dir === '' || matrix === '') {
        throw new errors/* UserError */.yo(`Inputs fan-in-dir and fan-in-matrix go together: ${dir === '' ? 'fan-in-dir is empty; give the directory the trigger jobs\' results were downloaded to' : 'fan-in-matrix is empty; give the plan job\'s matrix output'}.`);
    }
    return { fanIn: { dir, matrix } };
}
/** @param mask register secrets with the runner; false in the CLI, where ::add-mask:: would print them. */
function readSettings(mask = true) {
    const token = commands/* getInput */.V4('token');
    if (token && mask)
        commands/* setSecret */.Pq(token);
    const zenmlApiKey = commands/* getInput */.V4('zenml-api-key');
    if (zenmlApiKey && mask)
        commands/* setSecret */.Pq(zenmlApiKey);
    const apiKey = commands/* getInput */.V4('api-key');
    const signingSecret = commands/* getInput */.V4('signing-secret');
    for (const secret of [apiKey, signingSecret])
        if (secret && mask)
            commands/* setSecret */.Pq(secret);
    const httpBody = commands/* getInput */.V4('http-body');
    const preset = commands/* getInput */.V4('http-preset').trim();
    const zenmlUrl = commands/* getInput */.V4('zenml-url').trim();
    // A dry run connects to nothing, so it needs no key: a fan-out plan job can go without the secret.
    const keyMissingButUnused = zenmlApiKey === '' && booleanInput('dry-run');
    if ((zenmlUrl === '') !== (zenmlApiKey === '') && !keyMissingButUnused) {
        throw new errors/* UserError */.yo(`Inputs zenml-url and zenml-api-key go together: ${zenmlUrl ? 'zenml-api-key is empty; pass the service-account key from a secret' : 'zenml-url is empty; give the server URL, e.g. https://zenml.example.com'}.`);
    }
    const config = input('config');
    const dispatchInputsText = input('dispatch-inputs').trim();
    const targetText = commands/* getInput */.V4('target').trim();
    const timeoutText = input('timeout');
    const timeoutMs = parseDuration(timeoutText);
    if (timeoutMs === undefined) {
        throw new errors/* UserError */.yo(`Input timeout: ${(0,errors/* preview */.VH)(timeoutText)} is not a duration. Write it like 90s, 30m or 1h30m.`);
    }
    if (timeoutMs > MAX_TIMEOUT_MS) {
        throw new errors/* UserError */.yo(`Input timeout: ${(0,errors/* preview */.VH)(timeoutText)} is longer than 24 days, the most a timer can wait. GitHub stops a job after 6 hours (5 days self-hosted); write 6h or less.`);
    }
    return {
        config,
        configIsDefault: config === INPUT_DEFAULTS.config,
        target: targetText === '' ? undefined : oneOf('target', targetText, TARGET_TYPES),
        pipeline: commands/* getInput */.V4('pipeline').trim(),
        parameters: parseMappingInput('parameters', commands/* getInput */.V4('parameters')),
        paths: commands/* getMultilineInput */.q3('paths'),
        pathParameter: commands/* getInput */.V4('path-parameter').trim(),
        each: oneOf('each', input('each').trim(), EACH_MODES),
        dispatchInputs: dispatchInputsText === 'all' ? 'all' : parseMappingInput('dispatch-inputs', dispatchInputsText),
        workflowInputs: parseWorkflowInputs(commands/* getInput */.V4('workflow-inputs')),
        // One argument per line; only the whitespace around a line is dropped, never split further.
        command: commands/* getInput */.V4('command', { trimWhitespace: false })
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter((line) => line !== ''),
        onIncomplete: oneOf('on-incomplete', input('on-incomplete').trim(), ON_INCOMPLETE),
        dryRun: booleanInput('dry-run'),
        maxRuns: positiveInteger('max-runs', input('max-runs')),
        pipelineContext: commands/* getInput */.V4('pipeline-context').trim(),
        ...requestIndex(commands/* getInput */.V4('request-index').trim()),
        ...fanIn(commands/* getInput */.V4('fan-in-dir').trim(), commands/* getInput */.V4('fan-in-matrix').trim()),
        maxDepth: positiveInteger('max-depth', input('max-depth')),
        wait: booleanInput('wait'),
        timeoutMs,
        ...settings_maxParallel(commands/* getInput */.V4('max-parallel').trim()),
        failFast: booleanInput('fail-fast'),
        cancelOnFailFast: booleanInput('cancel-on-fail-fast'),
        token,
        zenmlUrl,
        zenmlApiKey,
        project: input('project').trim(),
        snapshot: commands/* getInput */.V4('snapshot').trim(),
        template: commands/* getInput */.V4('template').trim(),
        stack: commands/* getInput */.V4('stack').trim(),
        runName: commands/* getInput */.V4('run-name').trim(),
        tags: commands/* getMultilineInput */.q3('tags'),
        ...(commands/* getInput */.V4('enable-cache') === '' ? {} : { enableCache: commands/* getBooleanInput */.Vt('enable-cache') }),
        cancelOnTimeout: booleanInput('cancel-on-timeout'),
        http: {
            url: commands/* getInput */.V4('http-url').trim(),
            apiKey,
            apiKeyHeader: input('api-key-header').trim(),
            signingSecret,
            ...(httpBody.trim() ? { body: parseMappingInput('http-body', httpBody) } : {}),
            allowInsecureHttp: booleanInput('allow-insecure-http'),
            statusUrlField: input('status-url-field').trim(),
            ...(preset ? { preset: oneOf('http-preset', preset, ['zenml-deployment']) } : {})
        }
    };
}
/** The inputs that act as defaults for every target of their type (a config file's keys win). */
function targetDefaults(settings) {
    return {
        ...(settings.maxParallel !== undefined ? { maxParallel: settings.maxParallel } : {}),
        zenml: {
            url: settings.zenmlUrl,
            apiKey: settings.zenmlApiKey,
            project: settings.project,
            tags: settings.tags,
            ...(settings.enableCache !== undefined ? { enableCache: settings.enableCache } : {}),
            cancelOnTimeout: settings.cancelOnTimeout
        },
        http: settings.http,
        github: {
            token: settings.token,
            apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
            repository: process.env.GITHUB_REPOSITORY ?? '',
            refName: refName(process.env.GITHUB_REF ?? ''),
            cancelOnTimeout: settings.cancelOnTimeout
        }
    };
}
/** refs/heads/main → main, refs/tags/v1 → v1; a pull request's merge ref is no ref a dispatch can run. */
function refName(ref) {
    return /^refs\/(heads|tags)\//.test(ref) ? ref.replace(/^refs\/(heads|tags)\//, '') : '';
}

;// CONCATENATED MODULE: ./src/github/octokit.ts
async function loadOctokit(token, options, plugins = {}) {
    const [github, { throttling }, { retry }] = await Promise.all([__webpack_require__.e(/* import() */ 758).then(__webpack_require__.bind(__webpack_require__, 1758)), Promise.all(/* import() */[__webpack_require__.e(251), __webpack_require__.e(856)]).then(__webpack_require__.bind(__webpack_require__, 6856)), Promise.all(/* import() */[__webpack_require__.e(251), __webpack_require__.e(735)]).then(__webpack_require__.bind(__webpack_require__, 9735))]);
    return plugins.retry ? github.getOctokit(token, options, retry, throttling) : github.getOctokit(token, options, throttling);
}

;// CONCATENATED MODULE: ./src/changes/github-api.ts
/**
 * The GitHub REST calls the changed-file fallback needs, through @actions/github's Octokit with
 * the retry plugin (transient 5xx and network errors) and the throttling plugin (primary and
 * secondary rate limits, honouring Retry-After). GITHUB_API_URL decides the server, as on GHES.
 */


/** GitHub's documented ceilings: 3,000 files for a pull request, 300 per compare, 250 commits per compare. */
const API_LIMITS = { pullFiles: 3000, compareFiles: 300, compareCommits: 250, commitFiles: 3000 };
/** Turns a permission or not-found answer into a message that names the missing scope. */
async function api(what, scope, call) {
    try {
        return await call();
    }
    catch (error) {
        const status = error.status;
        if (status === 401 || status === 403 || status === 404) {
            throw new errors/* UserError */.yo(`GitHub API: HTTP ${status} while ${what}: ${error.message}. Fix: grant the job \`permissions: {${scope}}\` (README, section Permissions), or add actions/checkout so git can answer.`);
        }
        throw error;
    }
}
/** How many times a rate-limited request waits and tries again. */
const RATE_LIMIT_RETRIES = 2;
function createChangesApi(token, repository, log) {
    const [owner, repo] = repository.split('/');
    const client = loadOctokit(token, {
        throttle: {
            onRateLimit: (retryAfter, options, _o, retryCount) => {
                log(`GitHub API rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s.`);
                return retryCount < RATE_LIMIT_RETRIES;
            },
            onSecondaryRateLimit: (retryAfter, options, _o, retryCount) => {
                log(`GitHub API secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s.`);
                return retryCount < RATE_LIMIT_RETRIES;
            }
        }
    }, { retry: true });
    const toFile = (f) => ({
        filename: f.filename,
        status: f.status,
        ...(f.previous_filename ? { previousFilename: f.previous_filename } : {})
    });
    return {
        async pullFiles(pullNumber) {
            const octokit = await client;
            return api(`listing the files of pull request #${pullNumber}`, 'pull-requests: read', async () => {
                const files = [];
                for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: 100 })) {
                    files.push(...page.data.map(toFile));
                }
                return files;
            });
        },
        async compare(base, head) {
            // No paging parameters: then GitHub returns up to 250 commits and the files (with paging, 100 commits a page).
            const octokit = await client;
            const { data } = await api(`comparing ${base}...${head}`, 'contents: read', () => octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}` }));
            return { files: (data.files ?? []).map(toFile), commits: data.commits.map((c) => c.sha), totalCommits: data.total_commits };
        },
        async lastSuccessfulRun(workflowFile, branch, excludeRunId) {
            const octokit = await client;
            const { data } = await api(`listing the runs of ${workflowFile}`, 'actions: read', () => octokit.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: workflowFile, branch, status: 'success', per_page: 10 }));
            const run = data.workflow_runs.find((r) => String(r.id) !== excludeRunId);
            return run ? { id: String(run.id), headSha: run.head_sha } : undefined;
        },
        async commitFiles(sha) {
            // A commit's files come 300 to a page, up to 3,000; each page repeats the commit itself.
            const files = [];
            const octokit = await client;
            for (let page = 1; files.length < API_LIMITS.commitFiles; page++) {
                const { data } = await api(`reading commit ${sha}`, 'contents: read', () => octokit.rest.repos.getCommit({ owner, repo, ref: sha, per_page: 300, page }));
                files.push(...(data.files ?? []).map(toFile));
                if ((data.files ?? []).length < 300)
                    break;
            }
            return files;
        }
    };
}

;// CONCATENATED MODULE: ./src/changes/api-changes.ts


const STATUS = {
    added: 'added',
    removed: 'deleted',
    modified: 'modified',
    renamed: 'renamed',
    copied: 'copied',
    changed: 'type-changed',
    unchanged: undefined
};
function toChangedFiles(files) {
    return files.flatMap((f) => {
        const status = STATUS[f.status];
        if (!status)
            return [];
        return [{ path: f.filename, status, ...(f.previousFilename && (status === 'renamed' || status === 'copied') ? { previousPath: f.previousFilename } : {}) }];
    });
}
/**
 * Folds per-commit changes, oldest first, into the change of the whole range: a file added then
 * modified is added, added then removed is gone, renamed twice keeps its first name.
 */
function foldCommits(commits) {
    const state = new Map();
    for (const files of commits) {
        for (const file of files) {
            const earlier = state.get(file.path);
            if (file.status === 'renamed' && file.previousPath !== undefined) {
                const origin = state.get(file.previousPath);
                state.delete(file.previousPath);
                const firstName = origin?.previousPath ?? file.previousPath;
                if (origin?.status === 'added' || origin?.status === 'copied')
                    state.set(file.path, { path: file.path, status: 'added' });
                else if (firstName === file.path)
                    state.set(file.path, { path: file.path, status: 'modified' }); // renamed back
                else
                    state.set(file.path, { path: file.path, status: 'renamed', previousPath: firstName });
            }
            else if (file.status === 'deleted') {
                if (earlier?.status === 'added' || earlier?.status === 'copied')
                    state.delete(file.path); // never existed at the base
                else if (earlier?.status === 'renamed' && earlier.previousPath !== undefined) {
                    state.delete(file.path);
                    state.set(earlier.previousPath, { path: earlier.previousPath, status: 'deleted' });
                }
                else
                    state.set(file.path, { path: file.path, status: 'deleted' });
            }
            else if (file.status === 'added') {
                state.set(file.path, earlier?.status === 'deleted' ? { path: file.path, status: 'modified' } : file);
            }
            else if (!earlier || earlier.status === 'deleted') {
                state.set(file.path, file);
            } // modified after added / renamed / copied keeps the earlier status
        }
    }
    return [...state.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
class ApiChanges {
    api;
    log;
    constructor(api, log) {
        this.api = api;
        this.log = log;
    }
    async forEvent(event) {
        if (event.kind === 'pull_request' && event.pullRequest) {
            const { number, changedFiles, baseSha, headSha } = event.pullRequest;
            const files = toChangedFiles(await this.api.pullFiles(number));
            const complete = changedFiles !== undefined ? files.length >= changedFiles : files.length < API_LIMITS.pullFiles;
            const description = `pull request #${number} from the API: ${files.length}${changedFiles !== undefined ? ` of ${changedFiles}` : ''} files${complete ? '' : ` (the API lists at most ${API_LIMITS.pullFiles})`}`;
            return this.result(files, complete, baseSha, headSha, description);
        }
        if (event.kind === 'merge_group' && event.mergeGroup) {
            return this.compare(event.mergeGroup.baseSha, event.mergeGroup.headSha, 'merge group');
        }
        if (event.kind === 'push' && event.push) {
            const { before, after, created, deleted } = event.push;
            if (deleted)
                return this.result([], true, before, before, 'the push deleted the ref');
            if (event.isTag)
                return this.result([], false, after, after, `tag ${event.refName}: finding the previous tag needs a git checkout`);
            if (created) {
                if (!event.defaultBranch)
                    throw new errors/* UserError */.yo('A new branch was pushed without a git checkout and without repository.default_branch in the event; add actions/checkout before this step.');
                return this.compare(event.defaultBranch, after, `new branch (compared with ${event.defaultBranch})`);
            }
            return this.compare(before, after, 'push');
        }
        return undefined;
    }
    /** The changes between two commits (schedule and dispatch rules with paths). */
    between(base, head, what) {
        return this.compare(base, head, what);
    }
    async compare(base, head, what) {
        const range = `${base.slice(0, 12)}...${head.slice(0, 12)}`;
        const comparison = await this.api.compare(base, head);
        if (comparison.files.length < API_LIMITS.compareFiles) {
            return this.result(toChangedFiles(comparison.files), true, base, head, `${what}: ${range} from the compare API`);
        }
        // Compare stops at 300 files: walk the commits and fold their changes.
        this.log(`The compare API stops at ${API_LIMITS.compareFiles} files; walking ${comparison.commits.length} commits one by one.`);
        let complete = comparison.totalCommits <= comparison.commits.length;
        const perCommit = [];
        for (const sha of comparison.commits) {
            const files = await this.api.commitFiles(sha);
            if (files.length >= API_LIMITS.commitFiles)
                complete = false;
            perCommit.push(toChangedFiles(files));
        }
        const missing = complete ? '' : ` (incomplete: ${comparison.totalCommits} commits, the API lists ${comparison.commits.length}, at most ${API_LIMITS.commitFiles} files each)`;
        return this.result(foldCommits(perCommit), complete, base, head, `${what}: ${range}, ${comparison.commits.length} commits walked through the API${missing}`);
    }
    result(files, complete, base, head, description) {
        this.log(`Changed files: ${files.length} (${description}).`);
        return { files, complete, base, head, description };
    }
}

;// CONCATENATED MODULE: ./src/changes/name-status.ts
const name_status_STATUS = {
    A: 'added',
    M: 'modified',
    D: 'deleted',
    R: 'renamed',
    C: 'copied',
    T: 'type-changed'
};
const strict = new TextDecoder('utf-8', { fatal: true });
/**
 * The NUL-terminated fields, each decoded as UTF-8 or undefined when it is not valid UTF-8.
 * One decode of the whole output when it is valid (nearly always); field by field otherwise.
 */
function decodeFields(output) {
    const end = output.lastIndexOf(0) + 1;
    try {
        return end === 0 ? [] : strict.decode(output.subarray(0, end - 1)).split('\0');
    }
    catch {
        const fields = [];
        for (let start = 0, stop = output.indexOf(0); stop !== -1; start = stop + 1, stop = output.indexOf(0, start)) {
            try {
                fields.push(strict.decode(output.subarray(start, stop)));
            }
            catch {
                fields.push(undefined);
            }
        }
        return fields;
    }
}
/**
 * @returns the files, and how many names were not valid UTF-8: those cannot be passed on
 * faithfully as JSON text, so they are left out and the caller marks the list incomplete.
 */
function parseNameStatus(output) {
    const fields = decodeFields(output);
    const files = [];
    let invalidNames = 0;
    for (let i = 0; i < fields.length;) {
        const code = fields[i++] ?? '';
        const letter = code.charAt(0);
        const status = name_status_STATUS[letter];
        if (!status) {
            // U (unmerged) and X (unknown) cannot occur between two commits; fail loudly if they do.
            throw new Error(`git diff reported an unexpected status ${JSON.stringify(code)}`);
        }
        if (letter === 'R' || letter === 'C') {
            const previousPath = fields[i++];
            const path = fields[i++];
            if (i > fields.length)
                throw new Error('git diff output ended inside a rename record');
            if (previousPath === undefined || path === undefined)
                invalidNames++;
            else
                files.push({ path, status, previousPath });
        }
        else {
            const path = fields[i++];
            if (i > fields.length)
                throw new Error('git diff output ended inside a record');
            if (path === undefined)
                invalidNames++;
            else
                files.push({ path, status });
        }
    }
    if (invalidNames > 0)
        files.invalidNames = invalidNames;
    return files;
}

;// CONCATENATED MODULE: ./src/changes/changed-files.ts
/**
 * Which files an event changed, from git. Base selection (and why):
 * - push: `before..after`, two-dot, which needs only the two commits, so a depth-1 checkout
 *   fetches `before` at depth 1 and nothing else;
 * - push of a new branch (`before` all zeros): from the merge-base with the default branch
 *   (the whole tree when the default branch itself is created);
 * - forced push: from the merge-base of the old and new tips, so a rebase does not report
 *   everything upstream did; the default branch's merge-base when the old tip is gone;
 * - pull request: three-dot, merge-base(base, head)..head, as GitHub shows it;
 * - merge_group: base_sha..head_sha;
 * - tag push: from the nearest earlier tag among the tagged commit's ancestors ("no base"
 *   and no files when there is none);
 * - deleted branches: no files.
 * Merge-bases deepen geometrically from depth 1 with a bounded number of fetches.
 */


/** Depths tried, one fetch each, before a final unshallow. */
const DEEPEN_STEPS = [16, 128, 1024];
/** git cannot answer here (no repository, or a fetch failed); the GitHub API may. */
class GitUnavailable extends errors/* UserError */.yo {
    name = 'GitUnavailable';
}
class GitChanges {
    git;
    log;
    constructor(git, log) {
        this.git = git;
        this.log = log;
    }
    /** The change set of a push, pull request or merge group; undefined for other events. */
    async forEvent(event) {
        if (event.kind === 'push' && event.push) {
            const { before, after, created, deleted, forced } = event.push;
            if (deleted)
                return this.none(before, 'the push deleted the ref');
            await this.checkRepository();
            if (event.isTag)
                return this.tagPush(event.refName, after);
            if (created)
                return this.newBranch(event, after);
            if (forced)
                return this.forcedPush(event, before, after);
            await this.ensureCommits([before, after]);
            return this.diff(before, after, `push: ${changed_files_short(before)}..${changed_files_short(after)}`);
        }
        if (event.kind === 'pull_request' && event.pullRequest) {
            const { baseSha, headSha } = event.pullRequest;
            await this.checkRepository();
            const mergeBase = await this.mergeBase(baseSha, headSha);
            if (!mergeBase) {
                throw new errors/* UserError */.yo(`Pull request: base ${changed_files_short(baseSha)} and head ${changed_files_short(headSha)} share no history, so the changed files cannot be listed. Fix: rebase the branch onto ${event.pullRequest.baseRef || 'the base branch'}, or use rules without paths for this event.`);
            }
            return this.diff(mergeBase, headSha, `pull request: ${changed_files_short(baseSha)}...${changed_files_short(headSha)} (merge-base ${changed_files_short(mergeBase)})`);
        }
        if (event.kind === 'merge_group' && event.mergeGroup) {
            const { baseSha, headSha } = event.mergeGroup;
            await this.checkRepository();
            await this.ensureCommits([baseSha, headSha]);
            return this.diff(baseSha, headSha, `merge group: ${changed_files_short(baseSha)}..${changed_files_short(headSha)}`);
        }
        return undefined;
    }
    /** The changes between two commits, two-dot (schedule and dispatch rules with paths). */
    async between(base, head, what) {
        await this.checkRepository();
        await this.ensureCommits([base, head]);
        return this.diff(base, head, `${what}: ${changed_files_short(base)}..${changed_files_short(head)}`);
    }
    none(sha, why) {
        this.log(`Changed files: none (${why}).`);
        return { files: [], complete: true, base: sha, head: sha, description: why };
    }
    async newBranch(event, after) {
        const defaultBranch = event.defaultBranch;
        if (!defaultBranch || defaultBranch === event.refName) {
            // The default branch itself was created: everything in it is new.
            await this.ensureCommits([after]);
            const emptyTree = await this.emptyTree();
            return this.diff(emptyTree, after, `new default branch ${event.refName}: every file in ${changed_files_short(after)}`);
        }
        const defaultTip = await this.fetchBranchTip(defaultBranch);
        const mergeBase = await this.mergeBase(defaultTip, after);
        if (!mergeBase) {
            throw new errors/* UserError */.yo(`New branch ${event.refName} shares no history with ${defaultBranch}, so the changed files cannot be listed. Fix: branch from ${defaultBranch}, or use rules without paths for this event.`);
        }
        return this.diff(mergeBase, after, `new branch: ${defaultBranch}...${changed_files_short(after)} (merge-base ${changed_files_short(mergeBase)})`);
    }
    async tagPush(tag, after) {
        // Checkouts fetch no tags, so ask origin which tags exist and which commits they point at.
        const listing = await this.git.run(['ls-remote', '--tags', 'origin']);
        if (listing.code !== 0)
            throw fetchError(['the tag list'], listing.stderr);
        const tagsByCommit = new Map();
        const peeled = new Map();
        for (const line of listing.stdout.toString('utf8').split('\n')) {
            const [sha, ref] = line.split('\t');
            if (!sha || !ref?.startsWith('refs/tags/'))
                continue;
            const name = ref.slice('refs/tags/'.length);
            if (name.endsWith('^{}'))
                peeled.set(name.slice(0, -3), sha);
            else if (!peeled.has(name))
                peeled.set(name, sha); // annotated tags are replaced by their ^{} line
        }
        for (const [name, sha] of peeled)
            if (name !== tag && !tagsByCommit.has(sha))
                tagsByCommit.set(sha, name);
        if (tagsByCommit.size === 0)
            return this.none(after, `tag ${tag}: no earlier tag to compare with (no base)`);
        await this.ensureCommits([after]);
        for (const deepen of [undefined, ...DEEPEN_STEPS.map((d) => `--depth=${d}`), '--unshallow']) {
            if (deepen) {
                if (!(await this.isShallow()))
                    break;
                const fetched = await this.git.run(['fetch', '--no-tags', '--no-recurse-submodules', '--refmap=', deepen, 'origin', after]);
                if (fetched.code !== 0)
                    throw fetchError([after], fetched.stderr);
            }
            const history = await this.git.run(['rev-list', after]);
            // Strict ancestors only: another tag on the same commit (a moved `v1`) is not an earlier release.
            const previous = history.stdout.toString('utf8').split('\n').find((sha) => sha !== after && tagsByCommit.has(sha));
            if (previous)
                return this.diff(previous, after, `tag ${tag}: since the previous tag ${tagsByCommit.get(previous)} (${changed_files_short(previous)})`);
        }
        return this.none(after, `tag ${tag}: no earlier tag among its ancestors (no base)`);
    }
    async forcedPush(event, before, after) {
        const oldTipFetched = await this.tryFetch(before);
        const mergeBase = oldTipFetched ? await this.mergeBase(before, after) : undefined;
        if (mergeBase) {
            return this.diff(mergeBase, after, `forced push: merge-base of old tip ${changed_files_short(before)} and ${changed_files_short(after)} (${changed_files_short(mergeBase)})`);
        }
        this.log(`The old tip ${changed_files_short(before)} is gone or unrelated; comparing with the default branch instead.`);
        return this.newBranch(event, after);
    }
    async diff(base, head, description) {
        const result = await this.git.run(['diff', '--name-status', '-z', '-M', '-C', '--no-ext-diff', '--no-textconv', base, head, '--']);
        if (result.code !== 0)
            throw new Error(`git diff ${base} ${head} failed: ${result.stderr}`);
        const parsed = parseNameStatus(result.stdout);
        const files = [...parsed];
        const invalid = parsed.invalidNames ?? 0;
        const fullDescription = invalid > 0 ? `${description}; ${invalid} file name(s) are not valid UTF-8 and were left out` : description;
        this.log(`Changed files: ${files.length} (${fullDescription}).`);
        return { files, complete: invalid === 0, base, head, description: fullDescription };
    }
    /** Whether the clone was shallow when the action started: fetches keep a full clone full. */
    shallowAtStart;
    /** One git call: is this a repository, and is the clone shallow. */
    async checkRepository() {
        const result = await this.git.run(['rev-parse', '--git-dir', '--is-shallow-repository']);
        if (result.code !== 0) {
            throw new GitUnavailable(`The workspace is not a git repository (${result.stderr}). Add actions/checkout before this step; any fetch-depth works, the action fetches what it needs.`);
        }
        this.shallowAtStart = result.stdout.toString('utf8').trim().split('\n').at(-1) === 'true';
    }
    async hasCommit(sha) {
        return (await this.git.run(['cat-file', '-e', `${sha}^{commit}`])).code === 0;
    }
    /** The commits not in the object store, asked in one git call. */
    async missingCommits(shas) {
        const result = await this.git.run(['cat-file', '--batch-check'], Buffer.from(shas.map((sha) => `${sha}^{commit}\n`).join('')));
        if (result.code !== 0)
            throw new GitUnavailable(`git cat-file failed (${result.stderr}).`);
        const answers = result.stdout.toString('utf8').split('\n');
        return shas.filter((_, i) => !/ commit \d+$/.test(answers[i] ?? ''));
    }
    async tryFetch(sha) {
        if (await this.hasCommit(sha))
            return true;
        const result = await this.git.run(await this.fetchArgs([sha]));
        return result.code === 0 && (await this.hasCommit(sha));
    }
    /**
     * A fetch of exact commits that changes nothing but the object store: no refs (--refmap=),
     * and --depth=1 only in a clone that is shallow already, so a full clone stays full.
     */
    async fetchArgs(what) {
        const depth = (this.shallowAtStart ?? (await this.isShallow())) ? ['--depth=1'] : [];
        return ['fetch', '--no-tags', '--no-recurse-submodules', '--refmap=', ...depth, 'origin', ...what];
    }
    async ensureCommits(shas) {
        const missing = await this.missingCommits(shas);
        if (missing.length === 0)
            return;
        this.log(`Fetching ${missing.map(changed_files_short).join(', ')} at depth 1.`);
        const result = await this.git.run(await this.fetchArgs(missing));
        if (result.code !== 0)
            throw fetchError(missing, result.stderr);
    }
    /** The default branch's tip, asked of origin (ls-remote), so no ref is created or moved. */
    async fetchBranchTip(branch) {
        const listing = await this.git.run(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`]);
        if (listing.code !== 0)
            throw fetchError([`refs/heads/${branch}`], listing.stderr);
        const tip = listing.stdout.toString('utf8').split('\t')[0]?.trim();
        if (!tip)
            throw new errors/* UserError */.yo(`The default branch ${branch} does not exist on origin, so a new branch cannot be compared with it. Check repository.default_branch.`);
        await this.ensureCommits([tip]);
        return tip;
    }
    /** The merge-base of two commits, deepening a shallow clone step by step; undefined if none. */
    async mergeBase(a, b) {
        await this.ensureCommits([a, b]);
        const steps = [...DEEPEN_STEPS.map((depth) => [`--depth=${depth}`]), ['--unshallow']];
        for (let step = 0;; step++) {
            const result = await this.git.run(['merge-base', a, b]);
            if (result.code === 0)
                return result.stdout.toString('utf8').trim();
            const deepen = steps[step];
            if (!deepen || !(await this.isShallow()))
                return undefined;
            this.log(`No merge-base of ${changed_files_short(a)} and ${changed_files_short(b)} yet; fetching with ${deepen[0]}.`);
            const fetched = await this.git.run(['fetch', '--no-tags', '--no-recurse-submodules', '--refmap=', ...deepen, 'origin', a, b]);
            if (fetched.code !== 0)
                throw fetchError([a, b], fetched.stderr);
        }
    }
    async isShallow() {
        return (await this.git.run(['rev-parse', '--is-shallow-repository'])).stdout.toString('utf8').trim() === 'true';
    }
    async emptyTree() {
        // The empty tree's id depends on the repository's hash algorithm, so ask git.
        const result = await this.git.run(['hash-object', '-t', 'tree', '/dev/null']);
        return result.stdout.toString('utf8').trim();
    }
}
function changed_files_short(sha) {
    return sha.slice(0, 12);
}
function fetchError(what, stderr) {
    return new GitUnavailable(`git fetch of ${what.map(changed_files_short).join(', ')} from origin failed: ${stderr || 'no message'}. ` +
        'The action fetches the commits it compares: keep the checkout credentials (actions/checkout persist-credentials: true, the default) and grant contents: read (README, section Permissions).');
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(1260);
;// CONCATENATED MODULE: ./src/changes/git.ts
/**
 * A small adapter over @actions/exec for git: argv only (never a shell), output as bytes,
 * LC_ALL=C, no prompts, and never a change to the user's git config.
 *
 * With a token, git authenticates to the GitHub server with it through configuration passed in
 * the git process's own environment (GIT_CONFIG_COUNT): never on a command line, never written to
 * disk. Workflows can therefore check out with `persist-credentials: false`, and a pipeline the
 * action runs later finds no token in `.git/config`. An empty value first clears any header the
 * checkout persisted, so git never sends two.
 */

function createGit(cwd, auth) {
    const env = {};
    for (const [key, value] of Object.entries(process.env))
        if (value !== undefined)
            env[key] = value;
    if (auth?.token) {
        // Appended after any GIT_CONFIG_* entries the job already sets.
        const first = Number(env.GIT_CONFIG_COUNT) > 0 ? Number(env.GIT_CONFIG_COUNT) : 0;
        const key = `http.${auth.serverUrl.replace(/\/+$/, '')}/.extraheader`;
        Object.assign(env, {
            GIT_CONFIG_COUNT: String(first + 2),
            [`GIT_CONFIG_KEY_${first}`]: key,
            [`GIT_CONFIG_VALUE_${first}`]: '',
            [`GIT_CONFIG_KEY_${first + 1}`]: key,
            [`GIT_CONFIG_VALUE_${first + 1}`]: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${auth.token}`).toString('base64')}`
        });
    }
    Object.assign(env, {
        LC_ALL: 'C',
        GIT_TERMINAL_PROMPT: '0', // a missing credential fails at once instead of hanging the job
        GIT_HTTP_LOW_SPEED_LIMIT: '1000', // a stalled fetch fails after a minute instead of hanging
        GIT_HTTP_LOW_SPEED_TIME: '60'
    });
    return {
        async run(args, input) {
            const stdout = [];
            const stderr = [];
            const code = await exec/* exec */.m('git', args, {
                cwd,
                env,
                silent: true,
                ignoreReturnCode: true,
                ...(input ? { input } : {}),
                listeners: { stdout: (data) => stdout.push(data), stderr: (data) => stderr.push(data) }
            });
            return { code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8').trim() };
        }
    };
}

;// CONCATENATED MODULE: ./src/config/inline-config.ts
/**
 * Inline mode: the action inputs describe one pipeline on one target, triggered by every
 * supported event. The result is an ordinary Config, so planning has one code path.
 */




const INLINE_TARGET = 'inputs';
function inlineTarget(settings) {
    const type = settings.target ?? (settings.command.length > 0 ? 'command' : settings.http.url ? 'http' : settings.zenmlUrl ? 'zenml' : undefined);
    if (type === undefined) {
        throw new errors/* UserError */.yo(`Nothing to trigger: no config file at ${settings.config} and no target inputs. Either add the config file, set zenml-url and zenml-api-key (target zenml), or set the command input (one argument per line, e.g. "python" and "run.py").`);
    }
    if (type === 'http') {
        if (!settings.http.url)
            throw new errors/* UserError */.yo('Target http needs the http-url input: the trigger endpoint, e.g. https://api.example.com/trigger.');
        return { type: 'http' };
    }
    if (type === 'zenml') {
        if (!settings.zenmlUrl)
            throw new errors/* UserError */.yo('Target zenml needs the inputs zenml-url and zenml-api-key (from a secret).');
        return {
            type: 'zenml',
            ...(settings.snapshot ? { snapshot: settings.snapshot } : {}),
            ...(settings.template ? { template: settings.template } : {}),
            ...(settings.stack ? { stack: settings.stack } : {})
        };
    }
    if (settings.command.length === 0) {
        throw new errors/* UserError */.yo('Input command is empty but target is command. Give the argv that runs the pipeline, one argument per line, e.g. "python" and "examples/pipelines/run.py".');
    }
    return { type: 'command', run: settings.command };
}
function validated(name, schema, value) {
    const result = schema.safeParse(value);
    if (result.success)
        return result.data;
    const issue = result.error.issues[0];
    throw new errors/* UserError */.yo(`Input ${name}: ${formatPath(issue.path) || 'value'}: ${issue.message}.`);
}
function inlineConfig(settings) {
    if (settings.pipeline === '') {
        throw new errors/* UserError */.yo('Input pipeline is empty. Name the pipeline to trigger, e.g. "training_pipeline".');
    }
    if (settings.pathParameter !== '' && settings.paths.length === 0) {
        throw new errors/* UserError */.yo(`Input path-parameter is ${JSON.stringify(settings.pathParameter)} but paths is empty. Add the globs of the files that should become runs, e.g. "data/**".`);
    }
    const target = inlineTarget(settings);
    const parameters = validated('parameters', parametersSchema, settings.parameters);
    const inputs = settings.dispatchInputs === 'all' ? 'all' : validated('dispatch-inputs', inputMappingSchema, settings.dispatchInputs);
    let paths;
    if (settings.paths.length > 0) {
        try {
            compilePathMatcher(settings.paths);
        }
        catch (error) {
            throw new errors/* UserError */.yo(`Input paths: ${error.message}`);
        }
        paths = [{ glob: settings.paths, each: settings.each, ...(settings.pathParameter ? { 'path-parameter': settings.pathParameter } : {}) }];
    }
    const changes = paths ? { paths } : {};
    return {
        version: 1,
        targets: { [INLINE_TARGET]: target },
        pipelines: {
            [settings.pipeline]: {
                target: INLINE_TARGET,
                pipeline: settings.pipeline,
                parameters,
                on: {
                    schedule: [{}],
                    workflow_dispatch: { inputs },
                    workflow_call: { inputs },
                    repository_dispatch: { inputs },
                    push: changes,
                    pull_request: changes,
                    merge_group: changes
                }
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/config/load-config.ts
/**
 * Chooses between the config file and inline mode, and reads the file. The default file's
 * absence means inline mode; a path the user set must exist.
 */





/** Inputs that only make sense without a config file. */
function inlineInputsGiven(settings) {
    const given = [];
    if (settings.target)
        given.push('target');
    if (settings.command.length > 0)
        given.push('command');
    if (settings.paths.length > 0)
        given.push('paths');
    if (settings.pathParameter)
        given.push('path-parameter');
    return given;
}
function loadConfig(settings, workspace) {
    const path = (0,external_node_path_.isAbsolute)(settings.config) ? settings.config : (0,external_node_path_.join)(workspace, settings.config);
    const inline = inlineInputsGiven(settings);
    if (inline.length > 0) {
        if (!settings.configIsDefault) {
            throw new errors/* UserError */.yo(`Inputs ${inline.join(', ')} describe an inline pipeline, but config is set to ${JSON.stringify(settings.config)}. Use one or the other: move them into the config file, or remove the config input.`);
        }
        const notice = (0,external_node_fs_.existsSync)(path) ? `Inputs ${inline.join(', ')} describe the pipeline, so ${settings.config} is not read.` : undefined;
        return { config: inlineConfig(settings), ...(notice ? { notice } : {}) };
    }
    if (!(0,external_node_fs_.existsSync)(path)) {
        if (!settings.configIsDefault) {
            throw new errors/* UserError */.yo(`Input config: ${JSON.stringify(settings.config)} does not exist in the workspace. Check the path, and that actions/checkout ran before this step.`);
        }
        return { config: inlineConfig(settings) };
    }
    const config = parseConfig((0,external_node_fs_.readFileSync)(path, 'utf8'), settings.config);
    if (settings.pipeline && !Object.hasOwn(config.pipelines, settings.pipeline)) {
        throw new errors/* UserError */.yo(`Input pipeline: ${JSON.stringify(settings.pipeline)} is not a pipeline in ${settings.config}. Use one of: ${Object.keys(config.pipelines).join(', ')}.`);
    }
    return { config, file: settings.config };
}

;// CONCATENATED MODULE: ./src/plan/chain.ts
/**
 * The chain guard. Every trigger carries a chain context {root, depth, chain}: where the
 * chain started, how many triggers deep it is, and which pipelines it has triggered. A
 * pipeline that triggers pipelines that trigger pipelines can loop or fan out without end;
 * refusing a pipeline already in the chain, or a depth at max-depth, stops that before any
 * call is made.
 */

/** The name of the workflow input / client_payload key that carries the context between workflows. */
const CHAIN_INPUT = 'pipeline-context';
const DEFAULT_MAX_DEPTH = 4;
const MAX_ENTRY_LENGTH = 256;
/**
 * Reads a context sent by an upstream trigger. `where` names its source in errors. An invalid
 * context is an error, not a fresh start: ignoring it would switch the guard off.
 */
function parseChainContext(value, where) {
    if (value === undefined || value === null || value === '')
        return undefined;
    const fix = `Pass it on unchanged from the upstream step's pipeline-context output, or leave it empty at the start of a chain.`;
    let data = value;
    if (typeof value === 'string') {
        try {
            data = JSON.parse(value);
        }
        catch {
            throw new errors/* UserError */.yo(`${where}: ${(0,errors/* preview */.VH)(value)} is not JSON. ${fix}`);
        }
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new errors/* UserError */.yo(`${where}: ${(0,errors/* preview */.VH)(value)} is not a JSON object {root, depth, chain}. ${fix}`);
    }
    const { root, depth, chain } = data;
    if (typeof root !== 'string' || root === '' || root.length > MAX_ENTRY_LENGTH) {
        throw new errors/* UserError */.yo(`${where}: root is ${(0,errors/* preview */.VH)(root)}; it must be a non-empty string of at most ${MAX_ENTRY_LENGTH} characters. ${fix}`);
    }
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0) {
        throw new errors/* UserError */.yo(`${where}: depth is ${(0,errors/* preview */.VH)(depth)}; it must be a whole number of at least 0. ${fix}`);
    }
    if (!Array.isArray(chain) || chain.some((entry) => typeof entry !== 'string' || entry.length > MAX_ENTRY_LENGTH)) {
        throw new errors/* UserError */.yo(`${where}: chain is ${(0,errors/* preview */.VH)(chain)}; it must be a list of pipeline names. ${fix}`);
    }
    return { root, depth, chain: chain };
}
/** The context a triggered run receives: one level deeper, with its pipeline appended. */
function extendChain(incoming, pipelines) {
    const chain = [...incoming.chain];
    for (const pipeline of pipelines)
        if (!chain.includes(pipeline))
            chain.push(pipeline);
    return { root: incoming.root, depth: incoming.depth + 1, chain };
}
/** Refuses a pipeline already in the chain (a cycle) or a chain already max-depth deep. */
function guardChain(incoming, pipeline, maxDepth) {
    if (incoming.chain.includes(pipeline)) {
        throw new errors/* UserError */.yo(`Chain guard: ${JSON.stringify(pipeline)} is already in this chain (${[...incoming.chain, pipeline].join(' → ')}), so triggering it again would loop. Nothing was triggered. Fix: remove the trigger that leads back to ${JSON.stringify(pipeline)}, or start a new chain by leaving pipeline-context empty.`);
    }
    if (incoming.depth >= maxDepth) {
        throw new errors/* UserError */.yo(`Chain guard: this chain is already ${incoming.depth} triggers deep (${incoming.chain.join(' → ')}), and max-depth is ${maxDepth}. Nothing was triggered. Fix: raise max-depth if the chain is meant to be this long.`);
    }
}

;// CONCATENATED MODULE: ./src/event/normalize-event.ts
/**
 * Turns the runner's event (name, payload, environment) into a TriggerEvent. Pure: main.ts
 * passes @actions/github's context, the CLI passes a payload read from a file.
 */



const obj = (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {});
const str = (value) => (typeof value === 'string' ? value : '');
function shortRef(ref) {
    if (ref.startsWith('refs/tags/'))
        return { name: ref.slice('refs/tags/'.length), isTag: true };
    if (ref.startsWith('refs/heads/'))
        return { name: ref.slice('refs/heads/'.length), isTag: false };
    return { name: ref, isTag: false };
}
function requireSha(value, field, eventName) {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value)) {
        throw new errors/* UserError */.yo(`The ${eventName} event payload has no valid ${field} (got ${(0,errors/* preview */.VH)(value)}); is GITHUB_EVENT_PATH the event GitHub delivered?`);
    }
    return value;
}
/**
 * @param workflowInputs the `workflow-inputs` input (toJSON(inputs)). Inside a reusable workflow
 *   it is the only way to see workflow_call inputs, because the payload is the caller's event.
 * @param pipelineContext the `pipeline-context` input; otherwise a dispatch input or
 *   client_payload key of that name carries the upstream chain context.
 */
function normalizeEvent(context, workflowInputs, pipelineContext = '') {
    const event = normalizeKind(context, workflowInputs);
    const fromEvent = event.inputs?.[CHAIN_INPUT];
    const chain = pipelineContext.trim() !== ''
        ? parseChainContext(pipelineContext, 'Input pipeline-context')
        : parseChainContext(fromEvent, event.kind === 'repository_dispatch' ? `client_payload.${CHAIN_INPUT}` : `The ${CHAIN_INPUT} input of the ${event.name} event`);
    if (chain)
        return { ...event, chain };
    // A workflow_run continues the upstream run's chain: it is the first link, and its URL the root.
    // (Its own pipeline-context, if it had one, reaches this step only through the pipeline-context input.)
    if (event.upstream)
        return { ...event, chain: { root: event.upstream.htmlUrl || `${context.serverUrl}/${event.repository}/actions/runs/${event.upstream.runId}`, depth: 1, chain: [`workflow:${event.upstream.workflow}`] } };
    return event;
}
function normalizeKind(context, workflowInputs) {
    const payload = context.payload;
    const repositoryJson = obj(payload.repository);
    const repository = context.repository || str(repositoryJson.full_name);
    const { name: refName, isTag } = shortRef(context.ref);
    const base = {
        name: context.eventName,
        repository,
        sha: context.sha || str(payload.after),
        ref: context.ref,
        refName,
        isTag,
        defaultBranch: str(repositoryJson.default_branch) || undefined,
        run: {
            id: context.runId,
            attempt: context.runAttempt,
            serverUrl: context.serverUrl,
            workflow: context.workflow,
            ...(context.workflowRef ? { workflowRef: context.workflowRef } : {})
        }
    };
    if (workflowInputs !== undefined && context.eventName !== 'workflow_dispatch') {
        // Called as a reusable workflow: plan with workflow_call rules, whatever the caller's event.
        return { ...base, kind: 'workflow_call', inputs: workflowInputs };
    }
    switch (context.eventName) {
        case 'push': {
            const before = str(payload.before);
            const after = str(payload.after) || context.sha;
            const deleted = payload.deleted === true || trigger_event/* ZERO_SHA */.g.test(after);
            return {
                ...base,
                kind: 'push',
                sha: deleted ? context.sha : requireSha(after, 'after', 'push'),
                push: {
                    before: requireSha(before, 'before', 'push'),
                    after,
                    created: payload.created === true || trigger_event/* ZERO_SHA */.g.test(before),
                    deleted,
                    forced: payload.forced === true
                }
            };
        }
        case 'pull_request':
        case 'pull_request_target': {
            const pr = obj(payload.pull_request);
            const baseJson = obj(pr.base);
            const headJson = obj(pr.head);
            const headRef = str(headJson.ref);
            return {
                ...base,
                kind: 'pull_request',
                refName: headRef || refName,
                pullRequest: {
                    number: typeof pr.number === 'number' ? pr.number : Number(payload.number),
                    baseSha: requireSha(str(baseJson.sha), 'pull_request.base.sha', context.eventName),
                    headSha: requireSha(str(headJson.sha), 'pull_request.head.sha', context.eventName),
                    baseRef: str(baseJson.ref),
                    headRef,
                    ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {})
                }
            };
        }
        case 'merge_group': {
            const group = obj(payload.merge_group);
            return {
                ...base,
                kind: 'merge_group',
                mergeGroup: {
                    baseSha: requireSha(str(group.base_sha), 'merge_group.base_sha', 'merge_group'),
                    headSha: requireSha(str(group.head_sha), 'merge_group.head_sha', 'merge_group'),
                    headRef: str(group.head_ref)
                }
            };
        }
        case 'schedule':
            return { ...base, kind: 'schedule', cron: str(payload.schedule) || undefined };
        case 'workflow_dispatch':
            // Typed values from toJSON(inputs) win over the payload, whose booleans are strings.
            return { ...base, kind: 'workflow_dispatch', inputs: workflowInputs ?? obj(payload.inputs) };
        case 'repository_dispatch':
            return { ...base, kind: 'repository_dispatch', dispatchType: str(payload.action), inputs: obj(payload.client_payload) };
        case 'workflow_run': {
            const run = obj(payload.workflow_run);
            const id = typeof run.id === 'number' || typeof run.id === 'string' ? String(run.id) : '';
            if (!/^\d+$/.test(id)) {
                throw new errors/* UserError */.yo(`The workflow_run event payload has no workflow_run.id (got ${JSON.stringify(run.id ?? null)}), so the upstream run is unknown and nothing was triggered. Is GITHUB_EVENT_PATH the event GitHub delivered?`);
            }
            return {
                ...base,
                kind: 'workflow_run',
                upstream: {
                    runId: id,
                    sha: requireSha(str(run.head_sha), 'workflow_run.head_sha', 'workflow_run'),
                    workflow: str(run.name),
                    conclusion: str(run.conclusion),
                    htmlUrl: str(run.html_url),
                    branch: str(run.head_branch),
                    headRepository: str(obj(run.head_repository).full_name)
                }
            };
        }
        default:
            return base;
    }
}

;// CONCATENATED MODULE: ./src/plan/coerce.ts
/**
 * How a workflow input's text becomes a number or a boolean, one rule for both directions: the
 * inputs a dispatch brings in (src/plan/dispatch-inputs.ts) and the inputs the workflow target
 * sends (src/github/workflow-inputs.ts). undefined means the value is not of that type.
 */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
function asNumber(value) {
    if (typeof value === 'number' && Number.isFinite(value))
        return value;
    // 1e400 is a number in form but Infinity in value, which JSON would send as null.
    const number = typeof value === 'string' && NUMBER.test(value.trim()) ? Number(value.trim()) : undefined;
    return number !== undefined && Number.isFinite(number) ? number : undefined;
}
function asBoolean(value) {
    if (typeof value === 'boolean')
        return value;
    if (value === 'true' || value === 'false')
        return value === 'true';
    return undefined;
}

;// CONCATENATED MODULE: ./src/plan/dispatch-inputs.ts


const dispatch_inputs_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
function convert(name, value, spec, where) {
    const fail = (expected) => {
        throw new errors/* UserError */.yo(`${where}: input ${JSON.stringify(name)} is ${(0,errors/* preview */.VH)(value)}, ${expected}. Nothing was triggered; dispatch again with a valid value.`);
    };
    switch (spec.type) {
        case undefined:
            return value;
        case 'string':
            if (typeof value === 'object' && value !== null)
                return fail('not a string');
            return String(value);
        case 'number':
            return asNumber(value) ?? fail('not a number');
        case 'boolean':
            return asBoolean(value) ?? fail('not a boolean (true or false)');
        case 'choice': {
            const text = typeof value === 'string' ? value : fail('not one of the choices');
            if (spec.options && !spec.options.includes(text))
                return fail(`not one of the choices ${spec.options.map((o) => JSON.stringify(o)).join(', ')}`);
            return text;
        }
    }
}
/** Maps inputs to parameters. `where` names the rule in error messages. */
function mapInputs(mapping, inputs, where) {
    const parameters = {};
    const ignored = [];
    if (mapping === undefined)
        return { parameters, ignored: Object.keys(inputs) };
    if (mapping === 'all') {
        for (const [name, value] of Object.entries(inputs)) {
            // Names such as `dry-run` cannot be pipeline parameters; they stay workflow-only inputs.
            if (dispatch_inputs_IDENTIFIER.test(name))
                parameters[name] = value;
            else
                ignored.push(name);
        }
        return { parameters, ignored };
    }
    for (const [name, entry] of Object.entries(mapping)) {
        const spec = typeof entry === 'string' ? { parameter: entry } : entry;
        // An optional input left empty in the dispatch form arrives as "": it means "not given".
        if (inputs[name] === undefined || inputs[name] === null || inputs[name] === '') {
            if (spec.required)
                throw new errors/* UserError */.yo(`${where}: the required input ${JSON.stringify(name)} is missing from the event. Dispatch again with it set.`);
            continue;
        }
        parameters[spec.parameter ?? name] = convert(name, inputs[name], spec, where);
    }
    ignored.push(...Object.keys(inputs).filter((name) => !(name in mapping)));
    return { parameters, ignored };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/plan/idempotency.ts

/** JSON with object keys sorted at every level, so equal values hash equally. */
function canonicalJson(value) {
    return JSON.stringify(value, (_key, v) => v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v);
}
/**
 * A hash of (repository, workflow run, attempt, pipeline, target, parameters). A retry inside
 * one attempt reuses the key, so a target that dedupes runs it once; re-running the job
 * (a new attempt) is the user asking for a new run and gets a new key.
 */
function idempotencyKey(scope) {
    const hash = (0,external_node_crypto_.createHash)('sha256')
        .update(canonicalJson([scope.repository, scope.runId, scope.runAttempt, scope.pipeline, scope.target, scope.parameters]))
        .digest('hex');
    return `pt-${hash.slice(0, 32)}`;
}

;// CONCATENATED MODULE: ./src/plan/placeholders.ts
/**
 * `{placeholder}` templates in config-authored parameter values. `{{` and `}}` stand for
 * literal braces. Only text the user wrote in the config or the `parameters` input is
 * rendered; values that come from the event (dispatch inputs, file names) are data and
 * are never rendered again, so a file named `{sha}` stays `{sha}`.
 */


// A name may have one dotted part ({upstream.run_id}).
const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}/g;
function renderTemplate(template, values, where) {
    return template.replace(TOKEN, (token, name) => {
        if (token === '{{')
            return '{';
        if (token === '}}')
            return '}';
        const value = Object.hasOwn(values, name) ? values[name] : undefined;
        if (value === undefined) {
            const known = Object.keys(values).sort();
            throw new errors/* UserError */.yo(`${where}: unknown placeholder {${name}} in ${JSON.stringify(template)}. Available here: ${known.map((k) => `{${k}}`).join(' ') || 'none'}. Write {{${name}}} for a literal brace.`);
        }
        return value;
    });
}
/** Renders every string inside a parameters value (mappings and lists included). */
function renderParameters(parameters, values, where) {
    const render = (value, path) => {
        if (typeof value === 'string')
            return renderTemplate(value, values, path);
        if (Array.isArray(value))
            return value.map((item, i) => render(item, `${path}[${i}]`));
        if (value !== null && typeof value === 'object') {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, `${path}.${k}`)]));
        }
        return value;
    };
    return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, render(value, `${where}.${key}`)]));
}
/** {path} {dir} {name} {stem} {ext} of a file or directory path. `ext` has no dot. */
function pathPlaceholders(path) {
    const name = external_node_path_.posix.basename(path);
    const dot = name.lastIndexOf('.');
    const hasExt = dot > 0; // `.env` is a stem, not an extension
    return {
        path,
        dir: external_node_path_.posix.dirname(path),
        name,
        stem: hasExt ? name.slice(0, dot) : name,
        ext: hasExt ? name.slice(dot + 1) : ''
    };
}

;// CONCATENATED MODULE: ./src/plan/plan.ts
/**
 * Planning, pure: (event, changed files, config) → the runs to trigger. No I/O and no clock,
 * so the same inputs always give the same requests in the same order. Dry-run stops here.
 *
 * Parameters are merged in this order, later wins: the pipeline's defaults (plus the
 * `parameters` input), then the event's parameters (schedule entry, dispatch inputs), then the
 * changed-file rule's parameters and its path parameter.
 */







/** Unique per workflow run, attempt and request, so a replayed request cannot run twice under one name. */
const DEFAULT_RUN_NAME = '{pipeline}-gh-{run_id}-{attempt}-{index}';
const DEFAULT_STATUSES = ['added', 'modified', 'renamed', 'copied', 'type-changed'];
const normalizeCron = (cron) => cron.trim().split(/\s+/).join(' ');
const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
/** Each path segment → the files that have it, in path order (a file once per segment). */
function indexBySegment(sorted) {
    const index = new Map();
    for (const file of sorted) {
        for (const segment of new Set(file.path.split('/'))) {
            const files = index.get(segment);
            if (files)
                files.push(file);
            else
                index.set(segment, [file]);
        }
    }
    return index;
}
/** The first index whose path is not below `prefix` in sorted order. */
function lowerBound(sorted, prefix) {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
        const mid = (low + high) >>> 1;
        if (sorted[mid].path < prefix)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}
function matchesAny(globs, value) {
    return globs !== undefined && compilePathMatcher(globs).match(value) !== undefined;
}
/** GitHub's branches/tags filter rules for push and pull_request. */
function refFilter(rule, name, isTag) {
    const hasBranchFilter = rule.branches !== undefined || rule['branches-ignore'] !== undefined;
    if (isTag) {
        if (rule.tags)
            return matchesAny(rule.tags, name) ? undefined : `tag ${JSON.stringify(name)} matches none of tags ${JSON.stringify(rule.tags)}`;
        return hasBranchFilter ? 'tags are not listed (only branches are)' : undefined;
    }
    if (rule.tags && !hasBranchFilter)
        return 'branches are not listed (only tags are)';
    if (rule.branches && !matchesAny(rule.branches, name))
        return `branch ${JSON.stringify(name)} matches none of branches ${JSON.stringify(rule.branches)}`;
    if (matchesAny(rule['branches-ignore'], name))
        return `branch ${JSON.stringify(name)} is in branches-ignore`;
    return undefined;
}
class Planner {
    event;
    changes;
    options;
    drafts = [];
    skipped = [];
    warnings = new Set();
    sortedFiles;
    bySegment;
    constructor(event, changes, options) {
        this.event = event;
        this.changes = changes;
        this.options = options;
    }
    get common() {
        const upstream = this.event.upstream;
        return {
            sha: this.event.sha,
            ref: this.event.refName,
            ...(upstream
                ? {
                    'upstream.run_id': upstream.runId,
                    'upstream.sha': upstream.sha,
                    'upstream.workflow': upstream.workflow,
                    'upstream.conclusion': upstream.conclusion,
                    'upstream.html_url': upstream.htmlUrl,
                    'upstream.branch': upstream.branch
                }
                : {})
        };
    }
    defaults(name, config, values) {
        return renderParameters({ ...config.parameters, ...this.options.overrides }, values, `pipelines.${name}.parameters`);
    }
    /**
     * One run for the event, or, when the rule has changed-file rules, one run per match.
     * `templates` are config-authored (placeholders rendered); `data` comes from the event and is never rendered.
     */
    fire(name, config, where, label, templates, data, paths) {
        if (!paths) {
            const parameters = { ...this.defaults(name, config, this.common), ...renderParameters(templates, this.common, `${where}.parameters`), ...data };
            this.drafts.push({ pipeline: name, config, parameters, reason: label });
            return;
        }
        const before = this.drafts.length;
        paths.forEach((rule, i) => this.planPathRule(name, config, templates, data, rule, `${where}.paths[${i}]`, label));
        if (this.drafts.length === before) {
            const changes = this.changes;
            this.skipped.push({ pipeline: name, reason: `no changed file matches ${where}.paths (${changes?.files.length ?? 0} files changed: ${changes?.description ?? 'none listed'})` });
        }
    }
    planPipeline(name, config) {
        const kind = this.event.kind;
        const where = `pipelines.${name}.on.${kind}`;
        const skip = (reason) => void this.skipped.push({ pipeline: name, reason });
        const on = config.on;
        switch (kind) {
            case 'schedule': {
                if (!on.schedule)
                    return skip('no on.schedule rule');
                const entry = firingScheduleEntry(on.schedule, this.event.cron);
                if (!entry) {
                    return skip(`the schedule ${JSON.stringify(this.event.cron ?? '')} that fired is not listed (listed: ${on.schedule.map((e) => JSON.stringify(e.cron)).join(', ')})`);
                }
                const label = `schedule ${this.event.cron ?? '(any)'}`;
                return this.fire(name, config, `${where}[${on.schedule.indexOf(entry)}]`, label, entry.parameters ?? {}, {}, entry.paths);
            }
            case 'workflow_run': {
                const rule = on.workflow_run;
                const upstream = this.event.upstream;
                if (!rule)
                    return skip('no on.workflow_run rule');
                if (rule.workflows && !rule.workflows.includes(upstream.workflow))
                    return skip(`upstream workflow ${JSON.stringify(upstream.workflow)} is not in workflows ${JSON.stringify(rule.workflows)}`);
                const conclusions = rule.conclusions ?? ['success'];
                if (!conclusions.includes(upstream.conclusion))
                    return skip(`upstream run ${upstream.runId} concluded ${JSON.stringify(upstream.conclusion)}, not ${conclusions.join(' or ')}`);
                if (upstream.headRepository && upstream.headRepository !== this.event.repository && !rule['allow-forks']) {
                    return skip(`upstream run ${upstream.runId} built ${upstream.headRepository}, a fork: its code and branch name are not this repository's (set allow-forks: true to run anyway)`);
                }
                if (rule.branches && !matchesAny(rule.branches, upstream.branch))
                    return skip(`upstream branch ${JSON.stringify(upstream.branch)} matches none of branches ${JSON.stringify(rule.branches)}`);
                return this.fire(name, config, where, `workflow_run: ${upstream.workflow} run ${upstream.runId} ${upstream.conclusion}`, rule.parameters ?? {}, {}, undefined);
            }
            case 'workflow_dispatch':
            case 'workflow_call':
            case 'repository_dispatch': {
                const rule = on[kind];
                if (!rule)
                    return skip(`no on.${kind} rule`);
                if (kind === 'repository_dispatch' && on.repository_dispatch?.types && !on.repository_dispatch.types.includes(this.event.dispatchType ?? '')) {
                    return skip(`repository_dispatch type ${JSON.stringify(this.event.dispatchType)} is not in types ${JSON.stringify(on.repository_dispatch.types)}`);
                }
                if (rule['require-upstream'] && !this.event.chain) {
                    throw new errors/* UserError */.yo(`${where} has require-upstream: true, but this ${kind} carries no ${CHAIN_INPUT} from an upstream trigger, so it would run on whatever is latest. Nothing was triggered. Fix: start it from the upstream pipeline (which passes ${CHAIN_INPUT}), or remove require-upstream for manual runs.`);
                }
                const mapped = mapInputs(rule.inputs, this.event.inputs ?? {}, `${where}.inputs`);
                const names = Object.keys(mapped.parameters);
                const unmapped = mapped.ignored.length ? ` (not mapped: ${mapped.ignored.join(', ')})` : '';
                return this.fire(name, config, where, `${kind}${names.length ? ` with inputs ${names.join(', ')}` : ''}${unmapped}`, rule.parameters ?? {}, mapped.parameters, rule.paths);
            }
            case 'push':
            case 'pull_request':
            case 'merge_group': {
                const rule = on[kind];
                if (!rule)
                    return skip(`no on.${kind} rule`);
                if (kind === 'push') {
                    if (this.event.push?.deleted)
                        return skip(`the push deleted ${this.event.ref}`);
                    const refSkip = refFilter(on.push, this.event.refName, this.event.isTag);
                    if (refSkip)
                        return skip(refSkip);
                }
                if (kind === 'pull_request' && this.event.pullRequest) {
                    const refSkip = refFilter(on.pull_request, this.event.pullRequest.baseRef, false);
                    if (refSkip)
                        return skip(`base ${refSkip}`);
                }
                const label = kind === 'pull_request' ? `pull request #${this.event.pullRequest?.number}` : kind === 'push' ? `push to ${this.event.refName}` : 'merge group';
                return this.fire(name, config, where, label, rule.parameters ?? {}, {}, rule.paths);
            }
        }
    }
    /**
     * The changed files a rule can match, in path order, without testing every file against every
     * glob: a rule whose globs all start with literal directories (`data/raw/**`) looks only at the
     * files under them (binary search in the sorted list); one whose globs each have a plain-text
     * segment (`**\/set01/*.csv`) only at the files with that segment (an index built once).
     */
    candidates(files, matcher) {
        const sorted = (this.sortedFiles ??= [...files].sort(byPath));
        const picked = new Set();
        if (!matcher.prefixes.includes('')) {
            for (const prefix of matcher.prefixes) {
                for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i].path.startsWith(prefix); i++)
                    picked.add(sorted[i]);
            }
            return matcher.prefixes.length === 1 ? [...picked] : [...picked].sort(byPath);
        }
        if (!matcher.segments)
            return sorted;
        const index = (this.bySegment ??= indexBySegment(sorted));
        for (const segment of matcher.segments)
            for (const file of index.get(segment) ?? [])
                picked.add(file);
        return matcher.segments.length === 1 ? [...picked] : [...picked].sort(byPath);
    }
    planPathRule(name, config, templates, data, rule, where, label) {
        const changes = this.changes;
        if (!changes)
            throw new Error(`${where}: changed files are needed but were not computed`);
        if (!changes.complete) {
            const onIncomplete = this.options.onIncomplete ?? 'fail';
            if (onIncomplete === 'fail') {
                throw new errors/* UserError */.yo(`The list of changed files may be incomplete (${changes.description}), so ${where} cannot be applied safely and nothing was triggered. ` +
                    'Fix: check out the repository with actions/checkout so git can list every file, or set on-incomplete to warn (use the files known) or all (run every rule).');
            }
            this.warnings.add(`The list of changed files may be incomplete (${changes.description}); on-incomplete is ${onIncomplete}.`);
            if (onIncomplete === 'all') {
                // No file is known, so the rule's own (per-file) parameters and path parameter are left out.
                const parameters = {
                    ...this.defaults(name, config, this.common),
                    ...renderParameters(templates, this.common, `${where.replace(/\.paths\[\d+\]$/, '')}.parameters`),
                    ...data
                };
                this.drafts.push({ pipeline: name, config, parameters, reason: `${label}: the changed-file list is incomplete, and on-incomplete: all runs ${where} once` });
                return;
            }
        }
        const matcher = compilePathMatcher(typeof rule.glob === 'string' ? [rule.glob] : rule.glob, rule.ignore);
        const statuses = rule.statuses ?? DEFAULT_STATUSES;
        const matched = [];
        for (const file of this.candidates(changes.files, matcher)) {
            if (!statuses.includes(file.status))
                continue;
            const captures = matcher.match(file.path);
            if (captures)
                matched.push({ file, captures });
        }
        if (matched.length === 0)
            return;
        const each = rule.each ?? 'file';
        const groups = [];
        if (each === 'all') {
            const files = matched.map((m) => m.file.path);
            groups.push({ values: this.common, files, pathValue: files });
        }
        else {
            const byKey = new Map();
            for (const { file, captures } of matched) {
                const key = each === 'file' ? file.path : external_node_path_.posix.dirname(file.path);
                const group = byKey.get(key);
                if (group)
                    group.files.push(file.path);
                else {
                    const facts = pathPlaceholders(key);
                    if (each === 'directory')
                        Object.assign(facts, { stem: facts.name, ext: '' });
                    // Directory mode takes the captures of the directory's first file.
                    byKey.set(key, { values: { ...captures, ...this.common, ...facts }, files: [file.path] });
                }
            }
            for (const [key, group] of byKey)
                groups.push({ ...group, pathValue: key });
        }
        for (const group of groups) {
            const parameters = {
                ...this.defaults(name, config, group.values),
                ...renderParameters(templates, group.values, `${where.replace(/\.paths\[\d+\]$/, '')}.parameters`),
                ...data,
                ...renderParameters(rule.parameters ?? {}, group.values, `${where}.parameters`)
            };
            if (rule['path-parameter'])
                parameters[rule['path-parameter']] = group.pathValue;
            const what = each === 'all' ? `${group.files.length} files` : each === 'directory' ? `directory ${JSON.stringify(group.pathValue)}` : JSON.stringify(group.pathValue);
            this.drafts.push({ pipeline: name, config, parameters, reason: `${label}: ${what} matched ${where}`, files: group.files });
        }
    }
}
function planTriggers(event, changes, config, options) {
    if (!event.kind)
        return { requests: [], skipped: [{ pipeline: '*', reason: `event ${event.name} is not handled` }], warnings: [] };
    const planner = new Planner(event, changes, options);
    for (const [name, pipeline] of Object.entries(config.pipelines)) {
        if (options.only && options.only !== name) {
            planner.skipped.push({ pipeline: name, reason: `not selected (input pipeline is ${JSON.stringify(options.only)})` });
            continue;
        }
        planner.planPipeline(name, pipeline);
    }
    const incoming = event.chain ?? startOfChain(event);
    const requests = [];
    const seen = new Set();
    for (const draft of planner.drafts) {
        const pipelineName = draft.config.pipeline ?? draft.pipeline;
        const key = idempotencyKey({
            repository: event.repository,
            runId: event.run.id,
            runAttempt: event.run.attempt,
            pipeline: pipelineName,
            target: draft.config.target,
            parameters: draft.parameters
        });
        if (seen.has(key))
            continue; // two rules asking for the same run give one run
        seen.add(key);
        guardChain(incoming, pipelineName, options.maxDepth ?? DEFAULT_MAX_DEPTH);
        const index = requests.length;
        requests.push({
            index,
            pipeline: draft.pipeline,
            pipelineName,
            target: draft.config.target,
            targetConfig: config.targets[draft.config.target],
            parameters: draft.parameters,
            reason: draft.reason,
            ...(draft.files ? { files: draft.files } : {}),
            runName: renderTemplate(options.runNameTemplate || DEFAULT_RUN_NAME, { pipeline: pipelineName, run_id: event.run.id || 'local', attempt: String(event.run.attempt), index: String(index), sha: event.sha, ref: event.refName }, 'input run-name'),
            idempotencyKey: key,
            chain: extendChain(incoming, [pipelineName]),
            ...(draft.config.snapshot ? { snapshot: draft.config.snapshot } : {}),
            ...(draft.config.template ? { template: draft.config.template } : {})
        });
    }
    if (requests.length > options.maxRuns) {
        const sample = requests.slice(0, 3).map((r) => `${r.pipeline} (${r.reason})`).join('; ');
        throw new errors/* UserError */.yo(`This event would trigger ${requests.length} runs, more than max-runs (${options.maxRuns}), so nothing was triggered. ` +
            `First: ${sample}. Fix: narrow the globs, use each: directory or each: all, or raise max-runs.`);
    }
    const context = requests.length > 0 ? { context: extendChain(incoming, requests.map((r) => r.pipelineName)) } : {};
    return { requests, skipped: planner.skipped, warnings: [...planner.warnings], ...context };
}
/** A chain starts at the workflow run that fires first; its URL names the chain. */
function startOfChain(event) {
    const root = event.run.id && event.repository ? `${event.run.serverUrl}/${event.repository}/actions/runs/${event.run.id}` : 'local';
    return { root, depth: 0, chain: [] };
}
/** The schedule entry for the cron line that fired: an exact line first, then one without cron. */
function firingScheduleEntry(entries, cron) {
    const fired = cron ? normalizeCron(cron) : undefined;
    return entries.find((e) => e.cron !== undefined && normalizeCron(e.cron) === fired) ?? entries.find((e) => e.cron === undefined);
}
/**
 * Whether planning this event needs the list of changed files: a push, pull request or merge
 * group rule with paths, or a schedule / dispatch rule with paths (changes since the last
 * successful run of the workflow).
 */
function needsChanges(event, config) {
    const kind = event.kind;
    if (!kind)
        return false;
    return Object.values(config.pipelines).some((pipeline) => {
        if (kind === 'schedule')
            return pipeline.on.schedule !== undefined && firingScheduleEntry(pipeline.on.schedule, event.cron)?.paths !== undefined;
        if (kind === 'workflow_run')
            return false;
        return pipeline.on[kind]?.paths !== undefined;
    });
}

;// CONCATENATED MODULE: ./src/prepare-plan.ts








/**
 * Git first; the GitHub API only when git cannot answer. A push, pull request or merge group
 * compares its own commits; a schedule or dispatch compares with the commit of the workflow's
 * last successful run on the same branch, found through the API.
 */
async function changedFiles(event, settings, workspace, log) {
    const git = new GitChanges(createGit(workspace, settings.token ? { token: settings.token, serverUrl: event.run.serverUrl || 'https://github.com' } : undefined), log);
    const api = () => {
        if (!settings.token)
            throw new errors/* UserError */.yo('The token input is empty, but the GitHub API is needed to list the changed files. Leave token at its default (github.token).');
        return createChangesApi(settings.token, event.repository, log);
    };
    const withFallback = async (viaGit, viaApi) => {
        try {
            return await viaGit();
        }
        catch (error) {
            if (!(error instanceof GitUnavailable) || !settings.token)
                throw error;
            log(`git cannot list the changed files (${error.message}) Asking the GitHub API instead.`);
            return viaApi(new ApiChanges(api(), log));
        }
    };
    if (event.kind === 'push' || event.kind === 'pull_request' || event.kind === 'merge_group') {
        return withFallback(() => git.forEvent(event), (viaApi) => viaApi.forEvent(event));
    }
    const workflowFile = /\/\.github\/workflows\/([^@/]+)@/.exec(event.run.workflowRef ?? '')?.[1];
    if (!workflowFile) {
        throw new errors/* UserError */.yo('Changed-file rules on a schedule or dispatch compare with the last successful run of this workflow, but GITHUB_WORKFLOW_REF does not name the workflow file. Run the action in a GitHub Actions workflow.');
    }
    const last = await api().lastSuccessfulRun(workflowFile, event.refName, event.run.id);
    const what = `since the last successful run of ${workflowFile} on ${event.refName}`;
    if (!last) {
        log(`Changed files: none (no earlier successful run of ${workflowFile} on ${event.refName}, so no base).`);
        return { files: [], complete: true, base: event.sha, head: event.sha, description: `no earlier successful run of ${workflowFile} on ${event.refName} (no base)` };
    }
    return withFallback(() => git.between(last.headSha, event.sha, `${what} (run ${last.id})`), (viaApi) => viaApi.between(last.headSha, event.sha, `${what} (run ${last.id})`));
}
async function preparePlan(options) {
    const { settings, workspace, log } = options;
    const event = normalizeEvent(options.context, settings.workflowInputs, settings.pipelineContext);
    if (!event.kind)
        return { event, plan: { requests: [], skipped: [], warnings: [] } };
    const { config, file, notice } = loadConfig(settings, workspace);
    if (notice)
        log(notice);
    const configMode = file !== undefined;
    const changes = options.changes ?? (needsChanges(event, config) ? await changedFiles(event, settings, workspace, log) : undefined);
    const plan = planTriggers(event, changes, config, {
        maxRuns: settings.maxRuns,
        maxDepth: settings.maxDepth,
        onIncomplete: settings.onIncomplete,
        ...(settings.runName ? { runNameTemplate: settings.runName } : {}),
        ...(configMode && settings.pipeline ? { only: settings.pipeline } : {}),
        // With a config file the parameters input overrides each pipeline's defaults; inline it *is* the defaults.
        ...(configMode ? { overrides: settings.parameters } : {})
    });
    const selected = settings.requestIndex === undefined ? plan : selectRequest(plan, settings.requestIndex);
    return { event, config, ...(file ? { configFile: file } : {}), ...(changes ? { changes } : {}), plan: selected };
}
/** A fan-out job keeps its one request; the plan is deterministic, so the index names the same run the plan job saw. */
function selectRequest(plan, index) {
    const request = plan.requests.find((r) => r.index === index);
    if (!request) {
        throw new errors/* UserError */.yo(`Input request-index: ${index}, but this job's plan has ${plan.requests.length} request(s)${plan.requests.length ? ` (0–${plan.requests.length - 1})` : ''}. Nothing was triggered. The plan job must see the same event, config and inputs as the trigger jobs; pass both the same inputs.`);
    }
    // The pipeline-context output then names this job's run only, not its siblings in the fan-out.
    return { ...plan, requests: [request], context: request.chain };
}

;// CONCATENATED MODULE: ./src/report/display.ts
/**
 * Values as people read them in the log and the job summary: a long list shows its first items
 * and how many more, a long string its start and its length. This keeps what the action writes
 * growing with the number of runs, not with runs × files (an `each: all` run carries every
 * changed file as a parameter). The outputs keep every value whole.
 */
const DISPLAY_ITEMS = 10;
const DISPLAY_CHARS = 200;
function forDisplay(value) {
    if (typeof value === 'string')
        return value.length > DISPLAY_CHARS ? `${value.slice(0, DISPLAY_CHARS)}… (${value.length} characters)` : value;
    if (Array.isArray(value)) {
        const shown = value.slice(0, DISPLAY_ITEMS).map(forDisplay);
        return value.length > DISPLAY_ITEMS ? [...shown, `… ${value.length - DISPLAY_ITEMS} more (${value.length} in all)`] : shown;
    }
    if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value);
        const shown = Object.fromEntries(entries.slice(0, DISPLAY_ITEMS * 5).map(([key, item]) => [key, forDisplay(item)]));
        return entries.length > DISPLAY_ITEMS * 5 ? { ...shown, '…': `${entries.length - DISPLAY_ITEMS * 5} more keys` } : shown;
    }
    return value;
}

;// CONCATENATED MODULE: ./src/report/log-lines.ts


const base = (request) => ({
    pipeline: request.pipelineName,
    target: request.target,
    index: request.index,
    run_name: request.runName,
    idempotency_key: request.idempotencyKey
});
/**
 * What a dry run would trigger, one line per request: its parameters and files as people read
 * them (long lists cut, with their counts); the `plan` output has them whole.
 */
function dryRunLine(request) {
    return `DRY_RUN ${JSON.stringify({
        ...base(request),
        parameters: forDisplay(request.parameters),
        reason: request.reason,
        ...(request.files ? { files: forDisplay(request.files), files_count: request.files.length } : {}),
        pipeline_context: request.chain
    })}`;
}
function attemptLine(request) {
    return `TRIGGER_ATTEMPT ${JSON.stringify({ ...base(request), reason: request.reason })}`;
}
function resultLine(result) {
    const { state } = result;
    const fields = {
        ...base(result.request),
        status: state.status,
        run_id: state.runId ?? null,
        run_url: state.runUrl ?? null,
        duration_ms: result.durationMs,
        ...(state.message ? { message: state.message } : {})
    };
    return `${succeeded(result) ? 'TRIGGER_SUCCESS' : 'TRIGGER_FAILURE'} ${JSON.stringify(fields)}`;
}

// EXTERNAL MODULE: ./src/report/outputs.ts
var outputs = __webpack_require__(5468);
// EXTERNAL MODULE: ./src/report/set-outputs.ts
var set_outputs = __webpack_require__(4057);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/summary.js
var summary = __webpack_require__(1170);
;// CONCATENATED MODULE: ./src/report/write-summary.ts
/** The job summary, written by @actions/core's summary module (see src/runner/commands.ts for why not its index). */



/** A summary that cannot be written (no GITHUB_STEP_SUMMARY, a full disk) is a warning: the runs' outcome decides the step. */
async function writeSummary(markdown) {
    try {
        await summary/* summary */.z.addRaw(markdown).write();
    }
    catch (error) {
        commands/* warning */.$e(`The job summary could not be written (${(0,errors/* errorMessage */.gJ)(error)}); the outputs and the log have the results.`);
    }
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
/**
 * Escapes untrusted text (file names, parameter values, branch names) for the job summary.
 * Control characters become visible escapes, HTML is neutralised, and Markdown punctuation is
 * backslash-escaped, so a value can neither break the table nor inject links or markup.
 */
function escapeMarkdown(text) {
    return text
        .replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1))
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/[\\`*_{}[\]()#+\-.!|~$]/g, '\\$&');
}
/** A Markdown link, or the escaped label when the URL is not http(s). */
function markdownLink(label, url) {
    if (!url || !/^https?:\/\//i.test(url))
        return escapeMarkdown(label);
    let href;
    try {
        href = new URL(url).href.replace(/\(/g, '%28').replace(/\)/g, '%29');
    }
    catch {
        return escapeMarkdown(label);
    }
    return `[${escapeMarkdown(label)}](${href})`;
}

;// CONCATENATED MODULE: ./src/report/summary.ts



/** Changed files listed before the rest is only counted. */
const SUMMARY_FILE_LIMIT = 50;
/** Requests given a table row before the rest is only counted. */
const SUMMARY_REQUEST_LIMIT = 100;
/**
 * The most a summary may be, in bytes: GitHub takes 1 MiB per step, but a page of runs should
 * stay readable whatever the push. What does not fit is counted, and the outputs have it whole.
 */
const SUMMARY_BUDGET_BYTES = 60_000;
/** The lines, cut at whole lines to the budget, with a last line that says so. */
function withinBudget(lines, what) {
    const text = lines.join('\n');
    if (Buffer.byteLength(text) <= SUMMARY_BUDGET_BYTES)
        return text;
    const kept = [];
    let size = 0;
    for (const line of lines) {
        size += Buffer.byteLength(line) + 1;
        if (size > SUMMARY_BUDGET_BYTES - 500)
            break;
        kept.push(line);
    }
    kept.push('', `> [!NOTE]`, `> This summary is cut to ${SUMMARY_BUDGET_BYTES / 1000} KB after ${kept.length} of ${lines.length} lines. ${escapeMarkdown(what)}`, '');
    return kept.join('\n');
}
const code = (text) => `<code>${escapeMarkdown(text)}</code>`;
function buildSummary(event, plan, results, changes, waited = true) {
    const lines = ['## Pipeline Trigger', ''];
    const mode = results === undefined ? 'dry run: nothing was triggered' : `${results.length} run${results.length === 1 ? '' : 's'} triggered`;
    lines.push(`**Event:** ${escapeMarkdown(event.name)} on ${code(event.refName || event.ref)} at ${code(event.sha.slice(0, 12))} · **${escapeMarkdown(mode)}**`, '');
    if (event.chain) {
        lines.push(`**Chain:** ${event.chain.chain.map(code).join(' → ')} → this step (depth ${event.chain.depth + 1}, started at ${markdownLink('the first run', event.chain.root)})`, '');
    }
    for (const warning of plan.warnings)
        lines.push(`> [!WARNING]`, `> ${escapeMarkdown(warning)}`, '');
    if (results && !waited && results.some((r) => r.state.status === 'running')) {
        // The seed's "downstream failure in async mode": say it, rather than let "running" read as success.
        lines.push('> [!NOTE]', '> wait is false: this step started the runs and did not follow them, so their outcomes are unknown here. Follow each run by its link.', '');
    }
    if (plan.requests.length > 0) {
        lines.push('| # | Pipeline | Target | Run | Status | Parameters | Why |', '|---|---|---|---|---|---|---|');
        const states = new Map(results?.map((r) => [r.request.index, r.state]));
        for (const request of plan.requests.slice(0, SUMMARY_REQUEST_LIMIT)) {
            const state = states.get(request.index);
            const run = state?.runId ? markdownLink(state.runId, state.runUrl) : escapeMarkdown(request.runName);
            const status = state ? escapeMarkdown(state.status + (state.message ? `: ${state.message}` : '')) : 'planned';
            lines.push(`| ${request.index} | ${escapeMarkdown(request.pipelineName)} | ${escapeMarkdown(request.target)} | ${run} | ${status} | ${code(JSON.stringify(forDisplay(request.parameters)))} | ${escapeMarkdown(request.reason)} |`);
        }
        if (plan.requests.length > SUMMARY_REQUEST_LIMIT) {
            const rest = plan.requests.slice(SUMMARY_REQUEST_LIMIT);
            const failed = rest.filter((r) => { const status = states.get(r.index)?.status; return status !== undefined && !isSuccess(status); }).length;
            lines.push('', `… and ${rest.length} more run${rest.length === 1 ? '' : 's'}${results ? `, ${failed} of them not successful` : ''}: the \`runs\` and \`plan\` outputs list every one.`);
        }
        lines.push('');
    }
    else {
        lines.push('No run matched this event.', '');
    }
    if (changes) {
        const partial = changes.complete ? '' : ' — may be incomplete';
        lines.push(`### Changed files (${changes.files.length}${partial})`, '', escapeMarkdown(changes.description), '');
        for (const file of changes.files.slice(0, SUMMARY_FILE_LIMIT)) {
            const from = file.previousPath !== undefined ? ` (from ${code(file.previousPath)})` : '';
            lines.push(`- ${escapeMarkdown(file.status)} ${code(file.path)}${from}`);
        }
        if (changes.files.length > SUMMARY_FILE_LIMIT)
            lines.push(`- … and ${changes.files.length - SUMMARY_FILE_LIMIT} more (see the changed-files output)`);
        lines.push('');
    }
    if (plan.skipped.length > 0) {
        lines.push('### Skipped', '');
        for (const skip of plan.skipped)
            lines.push(`- ${code(skip.pipeline)}: ${escapeMarkdown(skip.reason)}`);
        lines.push('');
    }
    return withinBudget(lines, 'The `runs`, `plan` and `changed-files` outputs (and the file changed-files-path names) have everything.');
}
/** The fan-in job's summary: one table for every request of a fan-out. */
function buildFanInSummary(collected, failures) {
    const runs = collected.reduce((sum, entry) => sum + (entry.runs?.length ?? 0), 0);
    const lines = ['## Pipeline Trigger: fan-in', '', `**${collected.length} request${collected.length === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'} triggered, ${failures.length} problem${failures.length === 1 ? '' : 's'}**`, ''];
    if (collected.length === 0)
        return [...lines, 'The plan had no requests.', ''].join('\n');
    lines.push('| # | Pipeline | Target | Run | Status | Parameters |', '|---|---|---|---|---|---|');
    for (const entry of collected) {
        if (!entry.runs || entry.runs.length === 0) {
            lines.push(`| ${entry.index} | ${escapeMarkdown(entry.pipeline)} | ${escapeMarkdown(entry.target)} | ${escapeMarkdown(entry.runName)} | ${entry.runs ? 'not triggered' : 'no result'} | |`);
            continue;
        }
        for (const run of entry.runs) {
            const link = run['run-id'] ? markdownLink(run['run-id'], run['run-url'] ?? undefined) : escapeMarkdown(entry.runName);
            lines.push(`| ${entry.index} | ${escapeMarkdown(run.pipeline)} | ${escapeMarkdown(run.target)} | ${link} | ${escapeMarkdown(run.status)} | ${code(JSON.stringify(forDisplay(run.parameters)))} |`);
        }
    }
    lines.push('');
    return withinBudget(lines, 'The `runs` output has every run.');
}

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./src/user-agent.ts
/** The User-Agent of every request the action sends, with the version from package.json (one source). */

const USER_AGENT = `pipeline-trigger/${package_namespaceObject.rE}`;

;// CONCATENATED MODULE: ./src/http/read-reply.ts

function readReply(schema, body, source) {
    const result = schema.safeParse(body);
    if (result.success)
        return result.data;
    const issue = result.error.issues[0];
    const got = issue.path.reduce((node, key) => (node !== null && typeof node === 'object' ? node[key] : undefined), body);
    const wrong = body === undefined || body === ''
        ? 'it was empty'
        : typeof body === 'string'
            ? `it is not JSON: ${(0,errors/* preview */.VH)(body)}`
            : `${issue.path.length ? issue.path.join('.') : 'the reply'} should be ${issue.code === 'invalid_type' ? issue.expected : issue.message}, ${got === undefined ? 'but is missing' : `not ${(0,errors/* preview */.VH)(got)}`}`;
    throw new errors/* UserError */.yo(`${source.server}: the reply to ${source.what} is not what it should be: ${wrong}. Fix: ${source.fix}.`);
}

;// CONCATENATED MODULE: ./src/github/replies.ts
/**
 * What the workflow target reads from GitHub's REST replies (see src/http/read-reply.ts), named
 * after GitHub's published OpenAPI description; a fake in the tests is held to that description.
 */


const repositoryReply = schemas/* object */.Ikc({ default_branch: schemas/* string */.YjP().min(1) });
const workflowReply = schemas/* object */.Ikc({ path: schemas/* string */.YjP().min(1) });
/** A path's contents: a file has type "file" and base64 content; a folder is an array. */
const contentReply = schemas/* union */.KCZ([schemas/* array */.YOg(schemas/* unknown */.L5J()), schemas/* object */.Ikc({ type: schemas/* string */.YjP(), content: schemas/* string */.YjP().optional() })]);
/** A dispatch answers 204 (nothing) or, asked for it, 200 with the run. */
const dispatchReply = schemas/* object */.Ikc({ workflow_run_id: schemas/* number */.aig().int().positive().optional(), html_url: schemas/* string */.YjP().optional() }).nullish();
const runReply = schemas/* object */.Ikc({
    id: schemas/* number */.aig().int().positive(),
    status: schemas/* string */.YjP().nullish(),
    conclusion: schemas/* string */.YjP().nullish(),
    html_url: schemas/* string */.YjP(),
    display_title: schemas/* string */.YjP().nullish()
});
const runListReply = schemas/* object */.Ikc({ workflow_runs: schemas/* array */.YOg(runReply) });
function readGithubReply(schema, body, what) {
    return readReply(schema, body, { server: 'GitHub API', what, fix: 'check that GITHUB_API_URL points at the GitHub REST API (https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server), not a proxy in front of it' });
}

;// CONCATENATED MODULE: ./src/github/actions-api.ts






/** The API version under which a workflow dispatch answers with its run (github.com, GHES ≥ 3.21). */
const DISPATCH_API_VERSION = '2026-03-10';
const PERMISSIONS_DOC = 'the README, section Permissions';
class ActionsApi {
    token;
    apiUrl;
    log;
    remainingMs;
    client;
    constructor(token, apiUrl, log, 
    /** Time left before the step's deadline: a rate-limit wait never goes past it. */
    remainingMs = () => Infinity) {
        this.token = token;
        this.apiUrl = apiUrl;
        this.log = log;
        this.remainingMs = remainingMs;
        this.client = loadOctokit(token, {
            baseUrl: apiUrl,
            userAgent: USER_AGENT,
            throttle: {
                onRateLimit: (retryAfter, options, _o, retryCount) => this.waitOut('rate limit', retryAfter, options, retryCount),
                onSecondaryRateLimit: (retryAfter, options, _o, retryCount) => this.waitOut('secondary rate limit', retryAfter, options, retryCount)
            }
        });
    }
    /** Waits out a rate limit once, and only when the wait ends before the deadline; otherwise the call fails as transient. */
    waitOut(kind, retryAfter, options, retryCount) {
        const wait = retryCount < 1 && retryAfter * 1000 < this.remainingMs();
        this.log(`GitHub API ${kind} on ${options.method} ${options.url}; ${wait ? `waiting ${retryAfter}s` : `not waiting ${retryAfter}s, past the step's deadline`}.`);
        return wait;
    }
    /** github.com and GHE.com (data residency) take 25 dispatch inputs; GHES keeps 10. */
    get isGithubCom() {
        const host = new URL(this.apiUrl).hostname;
        return host === 'api.github.com' || host.endsWith('.ghe.com');
    }
    /** One call; `permission` names what a 403/404 most likely lacks. */
    async call(what, permission, signal, request) {
        const octokit = await this.client;
        try {
            return await request(octokit);
        }
        catch (raw) {
            if (signal.aborted)
                throw new DeadlineExceeded(`GitHub API: ${what}: ${signal.reason?.message ?? 'timeout ran out'}`);
            const error = raw;
            const status = error.status ?? 0;
            const said = (0,errors/* redact */.E$)(githubMessage(error), [this.token]);
            const headers = error.response?.headers ?? {};
            // A 403 with a rate-limit header is a rate limit (primary or secondary), not a permission problem.
            const rateLimited = status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined);
            if (status === 0 || RETRYABLE_STATUS.has(status) || rateLimited) {
                const reset = Number(headers['x-ratelimit-reset']);
                const wait = retryAfterMs(headers['retry-after'] ?? null, Date.now()) ?? (Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined);
                throw new TransientError(`GitHub API: HTTP ${status || 'no answer'} while ${what}${said ? `: ${said}` : ''}${rateLimited ? ' (rate limit)' : ''}`, wait);
            }
            if (status === 401)
                throw new errors/* UserError */.yo(`GitHub API: HTTP 401 while ${what}: the token is invalid or expired. Fix: pass a valid token (see ${PERMISSIONS_DOC}).`);
            if (status === 403 || status === 404) {
                throw new errors/* UserError */.yo(`GitHub API: HTTP ${status} while ${what}${said ? `: ${said}` : ''}. Fix: the token needs ${permission}${status === 404 ? ', or the repository or workflow does not exist (GitHub answers 404 when the token cannot see it)' : ''}. github.token reaches this repository only; for another one use a GitHub App token or a fine-grained token with that permission there (see ${PERMISSIONS_DOC}).`);
            }
            const fix = status === 422
                ? 'GitHub refused the request as invalid: check that the workflow has a workflow_dispatch trigger on that ref and declares the inputs sent (or, for repository_dispatch, the event type)'
                : status === 410
                    ? 'the repository has Actions or this workflow disabled; enable it'
                    : 'see GitHub\'s message; check repo, workflow and ref';
            throw new errors/* UserError */.yo(`GitHub API: HTTP ${status} while ${what}${said ? `: ${said}` : ''}. Fix: ${fix}.`);
        }
    }
    async defaultBranch(owner, repo, signal) {
        const what = `reading ${owner}/${repo}`;
        const { data } = await this.call(what, '`contents: read` (or `metadata: read`)', signal, (octokit) => octokit.rest.repos.get({ owner, repo, request: { signal } }));
        return readGithubReply(repositoryReply, data, what).default_branch;
    }
    /** The workflow file's path and text at `ref`; a numeric id is resolved to its path first. */
    async workflowFile(owner, repo, workflow, ref, signal) {
        let path = `.github/workflows/${workflow}`;
        if (/^\d+$/.test(workflow)) {
            const what = `reading workflow ${workflow} of ${owner}/${repo}`;
            const { data } = await this.call(what, '`actions: read`', signal, (octokit) => octokit.rest.actions.getWorkflow({ owner, repo, workflow_id: Number(workflow), request: { signal } }));
            path = readGithubReply(workflowReply, data, what).path;
        }
        const what = `reading ${path} at ${ref} in ${owner}/${repo}`;
        const { data } = await this.call(what, '`contents: read`', signal, (octokit) => octokit.rest.repos.getContent({ owner, repo, path, ref, request: { signal } }));
        const content = readGithubReply(contentReply, data, what);
        if (Array.isArray(content) || content.type !== 'file' || content.content === undefined)
            throw new errors/* UserError */.yo(`${owner}/${repo}: ${path} at ${ref} is not a file. Check workflow and ref.`);
        return { path, text: Buffer.from(content.content, 'base64').toString('utf8') };
    }
    /**
     * workflow_dispatch, asking for the run: API version 2026-03-10 answers 200 with it. A server
     * that refuses that version (400, older GHES) is asked with return_run_details, and one that
     * refuses that too gets the plain dispatch (204, no run: the caller finds it by correlation).
     * A 400 means nothing was dispatched, so asking again cannot start a second run.
     */
    async dispatchWorkflow(owner, repo, workflow, ref, inputs, signal) {
        const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
        const base = { owner, repo, workflow_id: /^\d+$/.test(workflow) ? Number(workflow) : workflow, ref, inputs, request: { signal } };
        const what = `dispatching ${workflow} on ${ref} in ${owner}/${repo}`;
        const attempts = [{ headers: { 'x-github-api-version': DISPATCH_API_VERSION } }, { return_run_details: true }, {}];
        for (const [i, extra] of attempts.entries()) {
            try {
                const { data } = await this.call(what, '`actions: write`', signal, (octokit) => octokit.request(route, { ...base, ...extra }));
                // GitHub accepted the dispatch: an unreadable answer only loses the run's id, which the caller finds by correlation.
                const parsed = dispatchReply.safeParse(data || undefined);
                if (!parsed.success)
                    this.log(`${what}: accepted, but the answer did not name the run (${(0,errors/* preview */.VH)(data)}); finding it by its pipeline-trigger-id.`);
                const details = (parsed.success && parsed.data) || {};
                return { ...(details.workflow_run_id ? { runId: details.workflow_run_id } : {}), ...(details.html_url ? { htmlUrl: details.html_url } : {}) };
            }
            catch (error) {
                if (i === attempts.length - 1 || !/HTTP 400 /.test(error.message))
                    throw error;
                this.log(`${what}: the server refused ${i === 0 ? `API version ${DISPATCH_API_VERSION}` : 'return_run_details'} (older GitHub Enterprise Server); asking ${i === 0 ? 'with return_run_details' : 'without run details'}.`);
            }
        }
        throw new errors/* UserError */.yo(`${what}: no dispatch was accepted.`);
    }
    async dispatchRepository(owner, repo, eventType, payload, signal) {
        await this.call(`sending repository_dispatch ${JSON.stringify(eventType)} to ${owner}/${repo}`, '`contents: write`', signal, (octokit) => octokit.rest.repos.createDispatchEvent({ owner, repo, event_type: eventType, client_payload: payload, request: { signal } }));
    }
    /** The newest run created since `since` (ISO time) whose run-name carries `correlation`. */
    async findRun(owner, repo, by, signal) {
        const what = `looking for the run of ${by.workflow ?? by.event} in ${owner}/${repo}`;
        // Whole seconds, as GitHub's search syntax documents.
        const since = by.since.replace(/\.\d{3}Z$/, 'Z');
        const query = { owner, repo, event: by.event, created: `>=${since}`, per_page: 100, request: { signal } };
        const { data } = await this.call(what, '`actions: read`', signal, (octokit) => by.workflow
            ? octokit.rest.actions.listWorkflowRuns({ ...query, workflow_id: /^\d+$/.test(by.workflow) ? Number(by.workflow) : by.workflow })
            : octokit.rest.actions.listWorkflowRunsForRepo(query));
        const run = readGithubReply(runListReply, data, what).workflow_runs.find((r) => (r.display_title ?? '').includes(by.correlation));
        return run ? toRun(run) : undefined;
    }
    async getRun(owner, repo, id, signal) {
        const what = `reading workflow run ${id} of ${owner}/${repo}`;
        const { data } = await this.call(what, '`actions: read`', signal, (octokit) => octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: id, request: { signal } }));
        return toRun(readGithubReply(runReply, data, what));
    }
    async cancelRun(owner, repo, id, signal) {
        await this.call(`cancelling workflow run ${id} of ${owner}/${repo}`, '`actions: write`', signal, (octokit) => octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: id, request: { signal } }));
    }
}
function toRun(run) {
    return { id: run.id, status: run.status ?? 'queued', conclusion: run.conclusion ?? null, htmlUrl: run.html_url, title: run.display_title ?? '' };
}
/** GitHub's own words from an error reply, one line. */
function githubMessage(error) {
    const data = error.response?.data;
    return (0,errors/* quoteServer */.u)(typeof data?.message === 'string' ? data.message : error.message);
}

;// CONCATENATED MODULE: ./src/http/fetch-within.ts
/**
 * One HTTP exchange inside the step's deadline: each request gets min(30 s, time left), the reply
 * is read whole but capped, and failures are sorted into the three kinds callers act on: the
 * deadline ran out (final), the answer was lost (transient: no answer, reset, 30 s passed), or a
 * reply came (returned, whatever its status).
 */



const REQUEST_LIMIT_MS = 30_000;
/**
 * @param init.limitMs this request's own limit (default 30 s); Infinity leaves only the deadline,
 *   for a call that does the whole work before it answers.
 */
async function fetchWithin(url, init, deadline) {
    const limitMs = init.limitMs ?? REQUEST_LIMIT_MS;
    const perRequest = Number.isFinite(limitMs) ? AbortSignal.timeout(limitMs) : new AbortController().signal;
    const href = String(url);
    try {
        const response = await fetch(url, { ...init, signal: AbortSignal.any([deadline, perRequest]) });
        const text = await readCapped(response, href, init.maxBytes ?? 1024 * 1024);
        let json;
        try {
            json = text ? JSON.parse(text) : undefined;
        }
        catch {
            json = undefined;
        }
        return { status: response.status, headers: response.headers, text, json, url: href };
    }
    catch (error) {
        if (error instanceof errors/* UserError */.yo)
            throw error;
        if (deadline.aborted)
            throw new DeadlineExceeded(`${init.method ?? 'GET'} ${href}: ${deadline.reason?.message ?? 'timeout ran out'} before it was answered`);
        if (perRequest.aborted)
            throw new TransientError(`${init.method ?? 'GET'} ${href}: no answer within ${limitMs / 1000}s`);
        const cause = error.cause?.message;
        // A network failure (fetch failed: reset, refused, DNS) has a cause; a request fetch cannot even build does not, and is final.
        if (cause === undefined)
            throw new errors/* UserError */.yo(`${init.method ?? 'GET'} ${href}: ${error.message}`);
        // redirect: 'error' refused to follow: final, so a key never goes anywhere but the configured host.
        if (cause === 'unexpected redirect') {
            throw new errors/* UserError */.yo(`${init.method ?? 'GET'} ${href} answered with a redirect, which the action does not follow here, so the key stays on the host you configured. Fix: point the URL at the final address.`);
        }
        throw new TransientError(`${init.method ?? 'GET'} ${href}: ${error.message} (${cause})`);
    }
}
async function readCapped(response, url, maxBytes) {
    if (!response.body)
        return '';
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        size += value.byteLength;
        if (size > maxBytes) {
            await reader.cancel();
            throw new errors/* UserError */.yo(`The reply from ${url} is larger than ${Math.round(maxBytes / 1024)} KiB, the most the action reads. Return a short JSON reply.`);
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
}

;// CONCATENATED MODULE: ./src/zenml/replies.ts
/**
 * What the action reads from a ZenML server's replies (see src/http/read-reply.ts).
 * Shapes: ../shared/reference/zenml-api.md (§3 login, §4 pages, snapshots, templates, runs).
 */


const record = schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J());
const parameters = record.nullish();
const infoReply = schemas/* object */.Ikc({
    version: schemas/* string */.YjP().regex(/^\d+\.\d+/, { message: 'a version such as 0.98.0' }),
    deployment_type: schemas/* string */.YjP().nullish(),
    auth_scheme: schemas/* string */.YjP().nullish(),
    pro_dashboard_url: schemas/* string */.YjP().nullish()
});
const loginReply = schemas/* object */.Ikc({ access_token: schemas/* string */.YjP().min(1) });
const entity = schemas/* object */.Ikc({
    id: schemas/* string */.YjP().min(1),
    name: schemas/* string */.YjP().nullish()
});
const pipelineReply = entity;
const pageOf = (item) => schemas/* object */.Ikc({ items: schemas/* array */.YOg(item) });
/** A snapshot (≥0.90) or run template (0.63–0.85), hydrated: where its parameters are listed. */
const runnableReply = entity.extend({
    body: schemas/* object */.Ikc({ runnable: schemas/* boolean */.zMY().nullish(), is_dynamic: schemas/* boolean */.zMY().nullish(), pipeline_id: schemas/* string */.YjP().nullish() }).nullish(),
    metadata: schemas/* object */.Ikc({
        config_template: schemas/* object */.Ikc({ steps: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* object */.Ikc({ parameters }).nullish()).nullish() }).nullish(),
        step_configurations: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* object */.Ikc({ config: schemas/* object */.Ikc({ parameters }).nullish() }).nullish()).nullish()
    })
        .nullish()
});
/** A run as a start or a lookup returns it: a just-created run may not say its status yet. */
const replies_runReply = entity.extend({
    body: schemas/* object */.Ikc({ status: schemas/* string */.YjP().nullish(), status_reason: schemas/* string */.YjP().nullish() }).nullish()
});
/** A run read to follow it: without a status there is nothing to follow. */
const polledRunReply = entity.extend({
    body: schemas/* object */.Ikc({ status: schemas/* string */.YjP().min(1), status_reason: schemas/* string */.YjP().nullish() })
});
/** The reply as `schema` says, or a final error naming the field and what came. */
function readZenmlReply(schema, body, what) {
    return readReply(schema, body, { server: 'ZenML server', what, fix: 'check that zenml-url points at the ZenML server itself (0.63 or newer), not a proxy or login page in front of it' });
}

;// CONCATENATED MODULE: ./src/zenml/zenml-errors.ts
/**
 * Turns a ZenML server error into a message that says what happened and what to do.
 * ZenML bodies come as {"detail": ["ExceptionClass", "message"]}, {"detail": "text"},
 * {"detail": [{loc, msg}]} or a top-level ["ValueError", "message"] (request validation).
 */


class ZenmlError extends errors/* UserError */.yo {
    status;
    retryAfterMs;
    name = 'ZenmlError';
    constructor(message, status, retryAfterMs) {
        super(message);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
    }
    /** The one retry policy reads this: a rate limit or a gateway error is worth another try. */
    get transient() {
        return RETRYABLE_STATUS.has(this.status);
    }
}
/** The server's own words, shortened to one line. */
function serverMessage(body) {
    const pick = (value) => {
        if (typeof value === 'string')
            return value;
        if (Array.isArray(value)) {
            if (value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string')
                return `${value[0]}: ${value[1]}`;
            return value.map((item) => (item && typeof item === 'object' && 'msg' in item ? String(item.msg) : pick(item))).join('; ');
        }
        if (value && typeof value === 'object' && 'detail' in value)
            return pick(value.detail);
        return value === undefined ? '' : JSON.stringify(value);
    };
    return (0,errors/* quoteServer */.u)(pick(body));
}
/** `what` names the call, e.g. "logging in to https://zenml.example.com". */
function zenmlError(status, body, what, retryAfterMs) {
    const said = serverMessage(body);
    const fix = {
        400: 'the server refused the request as invalid; the message above says which field.',
        401: 'the API key is wrong, inactive or expired. Create a service-account key (OSS: zenml service-account create NAME; ZenML Pro: an organization service account, ZENPROKEY_…) and pass it from a secret as zenml-api-key, or through the env var a target names in api-key: env:NAME.',
        402: 'your ZenML Pro plan does not include this feature; check the workspace plan.',
        403: 'the service account lacks a permission the message names; grant it in the project (ZenML Pro roles).',
        404: 'nothing with that id or name exists on this server in this project; check zenml-url and project.',
        405: 'this server cannot run snapshots: ZenML Pro or a workload manager is needed; use the command target for ZenML OSS.',
        409: 'a run with this name already exists in the project. If run-name is set, keep {run_id}, {attempt} and {index} in it so each request gets its own name; otherwise the request already ran (re-run the job for a new attempt).',
        422: 'the request did not match what the server expects; check the parameter types.',
        429: 'the server is rate-limiting requests; wait a minute and re-run the job.',
        501: 'this server cannot run snapshots: ZenML Pro or a workload manager is needed; use the command target for ZenML OSS.'
    };
    const notRunnable = status === 400 && /not runnable|can ?not be run via the server|associated build|local stack components/i.test(said);
    const hint = notRunnable
        ? 'the snapshot is not runnable from the server: it needs a build on a remote stack (remote orchestrator, artifact store and container registry). Create the snapshot on such a stack, or use the command target.'
        : (fix[status] ?? (status >= 500 ? 'the server failed; check its logs, then re-run the job.' : 'see the message.'));
    return new ZenmlError(`ZenML server: HTTP ${status} while ${what}${said ? `: ${said}` : ''}. Fix: ${hint}`, status, retryAfterMs);
}

;// CONCATENATED MODULE: ./src/zenml/zenml-client.ts







/** A hydrated snapshot carries its whole compiled configuration. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;
/** The server URL without a trailing slash; https only, except loopback. */
function checkServerUrl(url, field = 'Input zenml-url') {
    return checkUrl(url, field).href.replace(/\/+$/, '');
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The parameters a snapshot or template takes. A server fills config_template only for runnable
 * snapshots (seen on 0.98.0); otherwise the compiled step configurations say the same.
 */
function parameterTemplate(metadata) {
    if (metadata?.config_template)
        return { steps: metadata.config_template.steps ?? {} };
    const steps = metadata?.step_configurations;
    if (!steps)
        return undefined;
    return { steps: Object.fromEntries(Object.entries(steps).map(([step, s]) => [step, { parameters: s?.config?.parameters ?? {} }])) };
}
function toRunnable(entity) {
    const configTemplate = parameterTemplate(entity.metadata);
    return {
        id: entity.id,
        name: entity.name ?? entity.id,
        runnable: entity.body?.runnable === true,
        dynamic: entity.body?.is_dynamic === true,
        ...(entity.body?.pipeline_id ? { pipelineId: entity.body.pipeline_id } : {}),
        ...(configTemplate ? { configTemplate } : {})
    };
}
function zenml_client_toRun(run) {
    return { id: run.id, name: run.name ?? '', status: run.body?.status ?? 'initializing', ...(run.body?.status_reason ? { statusReason: run.body.status_reason } : {}) };
}
/**
 * The run a start made. The server accepted the start, so an unreadable answer is a lost answer:
 * transient, and the executor looks the run up by its name before anything else.
 */
function startedRun(body, what) {
    try {
        return zenml_client_toRun(readZenmlReply(replies_runReply, body, what));
    }
    catch (error) {
        throw new TransientError(`${error.message.replace(/ Fix: .*$/, '')} The server accepted the start, so the action looks the run up by its name.`);
    }
}
class ZenmlClient {
    apiKey;
    onToken;
    token;
    url;
    constructor(url, apiKey, onToken = () => { }) {
        this.apiKey = apiKey;
        this.onToken = onToken;
        this.url = checkServerUrl(url);
    }
    async call(method, path, what, signal, options = {}) {
        const headers = { accept: 'application/json', 'user-agent': USER_AGENT };
        if (options.contentType)
            headers['content-type'] = options.contentType;
        if (options.auth !== false && this.token)
            headers.authorization = `Bearer ${this.token}`;
        let reply;
        try {
            reply = await fetchWithin(`${this.url}${path}`, { method, headers, body: options.body, redirect: 'error', maxBytes: MAX_REPLY_BYTES }, signal);
        }
        catch (error) {
            // A lost answer: the request may or may not have been carried out.
            if (isTransient(error))
                throw new TransientError(`ZenML server: ${what} failed: ${error.message}. Check that zenml-url is reachable from the runner.`);
            throw error;
        }
        const retryAfter = retryAfterMs(reply.headers.get('retry-after'), Date.now());
        return { status: reply.status, body: reply.json ?? (reply.text || undefined), ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) };
    }
    /** The error for a refused call, with the key and token gone from the server's words in every encoding. */
    fail(status, body, what, retryAfterMs) {
        const text = (0,errors/* redact */.E$)(typeof body === 'string' ? body : JSON.stringify(body ?? null), [this.apiKey, this.token]);
        let said = text;
        try {
            said = typeof body === 'string' ? text : JSON.parse(text);
        }
        catch {
            // The redaction cut through the JSON itself: quote the text as it is.
        }
        return zenmlError(status, said, what, retryAfterMs);
    }
    async info(signal) {
        const { status, body, retryAfterMs } = await this.call('GET', '/api/v1/info', `reading ${this.url}/api/v1/info`, signal, { auth: false });
        const what = `reading ${this.url}/api/v1/info`;
        if (status !== 200)
            throw this.fail(status, body, `${what} (is zenml-url a ZenML server?)`, retryAfterMs);
        const info = readZenmlReply(infoReply, body, what);
        return {
            version: info.version,
            deploymentType: info.deployment_type ?? '',
            authScheme: info.auth_scheme ?? '',
            ...(info.pro_dashboard_url ? { proDashboardUrl: info.pro_dashboard_url } : {})
        };
    }
    /** Exchanges the service-account API key for an access token (form `password=<key>`). */
    async login(signal) {
        const form = new URLSearchParams({ password: this.apiKey }).toString();
        const what = `logging in to ${this.url} with zenml-api-key`;
        const { status, body, retryAfterMs } = await this.call('POST', '/api/v1/login', what, signal, { body: form, contentType: 'application/x-www-form-urlencoded', auth: false });
        if (status !== 200)
            throw this.fail(status, body, what, retryAfterMs);
        const token = readZenmlReply(loginReply, body, what).access_token;
        this.onToken(token);
        this.token = token;
    }
    /** An authenticated JSON call; logs in first, and once more after a 401. */
    async request(method, path, what, signal, json) {
        if (!this.token)
            await this.login(signal);
        const send = () => this.call(method, path, what, signal, json === undefined ? {} : { body: JSON.stringify(json), contentType: 'application/json' });
        let result = await send();
        if (result.status === 401) {
            // The token expired during a long wait: log in again, once.
            await this.login(signal);
            result = await send();
        }
        if (result.status < 200 || result.status >= 300)
            throw this.fail(result.status, result.body, what, result.retryAfterMs);
        return result.body;
    }
    async list(path, query, item, what, signal) {
        return readZenmlReply(pageOf(item), await this.request('GET', `${path}?${new URLSearchParams(query).toString()}`, what, signal), what).items;
    }
    /** The pipeline's id; when it does not exist, the error lists the pipelines that do. */
    async findPipeline(name, project, signal) {
        const [found] = await this.list('/api/v1/pipelines', { name, project, size: '1', hydrate: 'false' }, pipelineReply, `looking up pipeline ${JSON.stringify(name)}`, signal);
        if (found)
            return { id: found.id, name };
        const all = await this.list('/api/v1/pipelines', { project, size: '50', sort_by: 'asc:name', hydrate: 'false' }, pipelineReply, 'listing pipelines', signal);
        const names = all.map((p) => p.name).filter(Boolean);
        throw new errors/* UserError */.yo(`No pipeline named ${JSON.stringify(name)} in project ${JSON.stringify(project)} on ${this.url}. Pipelines there: ${names.length ? names.join(', ') : 'none yet (run the pipeline once to register it)'}.`);
    }
    /** A snapshot by name or id, or the newest runnable named snapshot of the pipeline. */
    async findSnapshot(pipeline, project, nameOrId, stack, signal) {
        if (nameOrId && UUID.test(nameOrId)) {
            const snapshot = await this.getSnapshot(nameOrId, signal);
            if (snapshot.pipelineId && snapshot.pipelineId !== pipeline.id) {
                throw new errors/* UserError */.yo(`Snapshot ${nameOrId} belongs to another pipeline, not ${pipeline.name}. Use a snapshot of ${pipeline.name}, or set pipeline to the snapshot's pipeline.`);
            }
            return snapshot;
        }
        const query = { pipeline: pipeline.id, project, named_only: 'true', sort_by: 'desc:created', size: '1', hydrate: 'false' };
        if (nameOrId)
            query.name = nameOrId;
        else
            query.runnable = 'true';
        if (stack)
            query.stack = stack;
        const [found] = await this.list('/api/v1/pipeline_snapshots', query, runnableReply, `looking up snapshots of ${pipeline.name}`, signal);
        if (found)
            return this.getSnapshot(found.id, signal);
        const named = await this.list('/api/v1/pipeline_snapshots', { pipeline: pipeline.id, project, named_only: 'true', sort_by: 'desc:created', size: '20', hydrate: 'false' }, runnableReply, `listing snapshots of ${pipeline.name}`, signal);
        const names = named.map((s) => `${s.name ?? s.id}${s.body?.runnable === true ? '' : ' (not runnable)'}`);
        const wanted = nameOrId ? `no snapshot named ${JSON.stringify(nameOrId)}` : 'no runnable named snapshot';
        throw new errors/* UserError */.yo(`Pipeline ${pipeline.name} has ${wanted}${stack ? ` on stack ${JSON.stringify(stack)}` : ''}. Named snapshots: ${names.length ? names.join(', ') : 'none'}. Create one with "zenml pipeline snapshot create", on a remote stack.`);
    }
    async getSnapshot(id, signal) {
        const what = `reading snapshot ${id}`;
        return toRunnable(readZenmlReply(runnableReply, await this.request('GET', `/api/v1/pipeline_snapshots/${encodeURIComponent(id)}?hydrate=true&include_config_schema=false`, what, signal), what));
    }
    /** A run template by name or id, or the newest runnable one of the pipeline (servers 0.63–0.85). */
    async findTemplate(pipeline, project, nameOrId, signal) {
        if (nameOrId && UUID.test(nameOrId))
            return this.getTemplate(nameOrId, signal);
        const query = { pipeline_id: pipeline.id, project, sort_by: 'desc:created', size: '20', hydrate: 'false' };
        if (nameOrId)
            query.name = nameOrId;
        const found = await this.list('/api/v1/run_templates', query, runnableReply, `looking up run templates of ${pipeline.name}`, signal);
        const runnable = found.find((t) => t.body?.runnable === true);
        if (runnable)
            return this.getTemplate(runnable.id, signal);
        const names = found.map((t) => `${t.name ?? t.id}${t.body?.runnable === true ? '' : ' (not runnable)'}`);
        throw new errors/* UserError */.yo(`Pipeline ${pipeline.name} has ${nameOrId ? `no runnable run template named ${JSON.stringify(nameOrId)}` : 'no runnable run template'}. Templates: ${names.length ? names.join(', ') : 'none'}. Create one with "zenml pipeline create-run-template", on a remote stack.`);
    }
    async getTemplate(id, signal) {
        const what = `reading run template ${id}`;
        return toRunnable(readZenmlReply(runnableReply, await this.request('GET', `/api/v1/run_templates/${encodeURIComponent(id)}?hydrate=true`, what, signal), what));
    }
    /** Starts a run of a snapshot: the body is wrapped in run_configuration. */
    async runSnapshot(id, runConfiguration, name, signal) {
        const what = `running snapshot ${JSON.stringify(name)}`;
        return startedRun(await this.request('POST', `/api/v1/pipeline_snapshots/${encodeURIComponent(id)}/runs`, what, signal, { run_configuration: runConfiguration }), what);
    }
    /** Starts a run of a legacy template: the body is the run configuration itself. */
    async runTemplate(id, runConfiguration, name, signal) {
        const what = `running run template ${JSON.stringify(name)}`;
        return startedRun(await this.request('POST', `/api/v1/run_templates/${encodeURIComponent(id)}/runs`, what, signal, runConfiguration), what);
    }
    /** The run with this name in the project, if there is one (run names are unique per project). */
    async findRunByName(name, project, signal) {
        const [found] = await this.list('/api/v1/runs', { name, project, size: '1', hydrate: 'false' }, replies_runReply, `looking up run ${JSON.stringify(name)}`, signal);
        return found ? zenml_client_toRun(found) : undefined;
    }
    async stopRun(id, signal) {
        await this.request('POST', `/api/v1/runs/${encodeURIComponent(id)}/stop?graceful=false`, `stopping run ${id}`, signal);
    }
    async getRun(id, signal) {
        const what = `reading run ${id}`;
        return zenml_client_toRun(readZenmlReply(polledRunReply, await this.request('GET', `/api/v1/runs/${encodeURIComponent(id)}?hydrate=false`, what, signal), what));
    }
}
/** The OSS dashboard's page for a run. */
function dashboardUrl(serverUrl, project, runId) {
    return `${serverUrl}/projects/${encodeURIComponent(project)}/runs/${encodeURIComponent(runId)}`;
}

;// CONCATENATED MODULE: ./src/zenml/connection.ts


/** The oldest server the action talks to: run templates arrived in 0.63. */
const MIN_VERSION = [0, 63];
async function connectZenml(server, signal, mask, log) {
    const client = new ZenmlClient(server.url, server.apiKey, mask);
    const info = await client.info(signal);
    const [major = 0, minor = 0] = info.version.split('.').map(Number);
    if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
        throw new errors/* UserError */.yo(`ZenML server ${client.url} runs ${info.version}; the action needs 0.63 or newer. Upgrade the server.`);
    }
    await client.login(signal);
    log(`ZenML server ${client.url}: version ${info.version} (${info.deploymentType}), logged in with the service-account key.`);
    return { client, apiKey: server.apiKey, project: server.project, info };
}

;// CONCATENATED MODULE: ./src/zenml/run-status.ts
const STATUSES = {
    completed: 'completed',
    cached: 'completed',
    skipped: 'completed',
    failed: 'failed',
    retried: 'failed',
    stopped: 'cancelled',
    cancelled: 'cancelled'
};
function runStatus(run) {
    return Object.hasOwn(STATUSES, run.status) ? STATUSES[run.status] : 'running';
}

;// CONCATENATED MODULE: ./src/targets/run-config.ts
/**
 * The ZenML YAML run config for a request: pipeline-level names under `parameters:`,
 * step-qualified ones (`load_data.data_url`) under `steps.<step>.parameters`. Written with
 * the yaml package, so any value, newline or `$()` included, stays a plain string.
 */

/**
 * What PyYAML's reader refuses anywhere in a stream (and so ZenML with "unacceptable character"):
 * C0 controls but tab, LF and CR; DEL and the C1 controls but NEL; U+FFFE and U+FFFF; and lone
 * surrogates, which UTF-8 cannot even carry. Also NEL, U+2028 and U+2029, which PyYAML reads as line
 * breaks and would fold into a space. Inside a double-quoted scalar each is written as an escape
 * instead, which every YAML reader turns back into the same character.
 */
const UNREADABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const run_config_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
function buildRunConfig(parameters, runName) {
    const pipelineParameters = {};
    const steps = {};
    for (const [name, value] of Object.entries(parameters)) {
        const dot = name.indexOf('.');
        if (dot === -1)
            pipelineParameters[name] = value;
        else {
            const step = name.slice(0, dot);
            steps[step] ??= { parameters: {} };
            steps[step].parameters[name.slice(dot + 1)] = value;
        }
    }
    const doc = new dist/* Document */.yo({
        run_name: runName,
        ...(Object.keys(pipelineParameters).length > 0 ? { parameters: pipelineParameters } : {}),
        ...(Object.keys(steps).length > 0 ? { steps } : {})
    });
    // Every string value double-quoted, so each character can be escaped; keys stay plain where
    // they are identifiers (readable) and are double-quoted where a parameter value brings others.
    (0,dist/* visit */.YR)(doc, {
        Pair(_, pair) {
            if ((0,dist/* isScalar */.jn)(pair.key))
                pair.key.type = typeof pair.key.value === 'string' && run_config_IDENTIFIER.test(pair.key.value) ? 'PLAIN' : 'QUOTE_DOUBLE';
        },
        Scalar(key, node) {
            if (key !== 'key' && typeof node.value === 'string')
                node.type = 'QUOTE_DOUBLE';
        }
    });
    // Only double-quoted scalars can hold these characters here, so escaping them in place is exact.
    return doc.toString({ lineWidth: 0 }).replace(UNREADABLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/targets/run-process.ts
/**
 * Starts a child process from an argv array (never a shell), streaming its output to the log.
 * This uses node:child_process rather than @actions/exec because a pipeline that outlives
 * `timeout` must be stopped, and @actions/exec gives no handle on the child to stop it.
 */

/** How long a child has after SIGTERM before SIGKILL: time for ZenML to mark its run stopped. */
const KILL_GRACE_MS = 10_000;
function startProcess(file, args, options) {
    // detached: its own process group, which stop() signals as a whole.
    const child = (0,external_node_child_process_.spawn)(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'inherit', 'inherit'], shell: false, detached: true });
    const signal = (name) => {
        try {
            process.kill(-child.pid, name);
        }
        catch {
            child.kill(name); // the group is gone already, or was never made
        }
    };
    const running = {
        exited: new Promise((resolve) => {
            const settle = (outcome) => {
                running.outcome ??= outcome;
                resolve(running.outcome);
            };
            child.on('error', (startError) => settle({ exitCode: null, startError }));
            child.on('close', (exitCode, signal) => settle({ exitCode, ...(signal ? { signal } : {}) }));
        }),
        async stop() {
            if (running.outcome)
                return running.outcome;
            signal('SIGTERM');
            const escalate = setTimeout(() => signal('SIGKILL'), KILL_GRACE_MS);
            const outcome = await running.exited;
            clearTimeout(escalate);
            return outcome;
        }
    };
    return running;
}

;// CONCATENATED MODULE: ./src/targets/status-words.ts
const WORDS = {
    completed: 'completed',
    succeeded: 'completed',
    success: 'completed',
    successful: 'completed',
    done: 'completed',
    cached: 'completed',
    skipped: 'completed',
    failed: 'failed',
    failure: 'failed',
    error: 'failed',
    errored: 'failed',
    rejected: 'failed',
    cancelled: 'cancelled',
    canceled: 'cancelled',
    stopped: 'cancelled'
};
/** A run's status from a free-form word; anything unknown (queued, running, pending, …) means still going. */
function statusFromWord(word) {
    const key = (word ?? '').trim().toLowerCase();
    return Object.hasOwn(WORDS, key) ? WORDS[key] : 'running';
}

;// CONCATENATED MODULE: ./src/zenml/resolve-parameters.ts
/**
 * Puts the action's parameters where a ZenML snapshot or run template expects them. Its
 * `config_template.steps.<step>.parameters` lists what exists:
 * - `step.name` goes to that step, if the step has that parameter;
 * - a pipeline-level `name` goes to the one step that carries it (pipeline arguments forwarded to
 *   steps become step parameters); none, or several, is an error that lists the candidates;
 * - a dynamic snapshot takes pipeline-level names as `parameters` directly.
 * Legacy run templates (0.63–0.85) insist on every step's full parameter map, so `fullSteps`
 * starts from the template's values and overlays ours.
 */

function resolveParameters(parameters, template, options) {
    const known = Object.entries(template?.steps ?? {}).map(([step, config]) => ({ step, names: Object.keys(config?.parameters ?? {}) }));
    const candidates = known.flatMap(({ step, names }) => names.map((name) => `${step}.${name}`));
    const list = candidates.length ? candidates.join(', ') : 'none (the steps take no parameters)';
    const steps = {};
    const pipelineLevel = {};
    const put = (step, name, value) => {
        steps[step] ??= { parameters: {} };
        steps[step].parameters[name] = value;
    };
    for (const [key, value] of Object.entries(parameters)) {
        const dot = key.indexOf('.');
        if (dot !== -1) {
            const [step, name] = [key.slice(0, dot), key.slice(dot + 1)];
            if (!known.some((k) => k.step === step && k.names.includes(name))) {
                throw new errors/* UserError */.yo(`${options.what} has no step parameter ${JSON.stringify(key)}. Parameters it accepts: ${list}.`);
            }
            put(step, name, value);
            continue;
        }
        if (options.dynamic) {
            pipelineLevel[key] = value;
            continue;
        }
        const carriers = known.filter((k) => k.names.includes(key));
        if (carriers.length === 0) {
            throw new errors/* UserError */.yo(`${options.what} has no parameter ${JSON.stringify(key)}. Parameters it accepts: ${list}. Name one as step.parameter.`);
        }
        if (carriers.length > 1) {
            throw new errors/* UserError */.yo(`Parameter ${JSON.stringify(key)} is ambiguous in ${options.what}: ${carriers.map((c) => `${c.step}.${key}`).join(', ')} all take it. Name the one you mean as step.parameter.`);
        }
        put(carriers[0].step, key, value);
    }
    if (options.fullSteps) {
        for (const { step } of known) {
            const defaults = template?.steps?.[step]?.parameters ?? {};
            if (Object.keys(defaults).length === 0)
                continue;
            steps[step] = { parameters: { ...defaults, ...steps[step]?.parameters } };
        }
    }
    return { steps, ...(Object.keys(pipelineLevel).length > 0 ? { parameters: pipelineLevel } : {}) };
}

;// CONCATENATED MODULE: ./src/targets/remember.ts
/**
 * Memoises a lookup a target makes for many requests (a snapshot, a workflow file, a default
 * branch). A failed lookup is forgotten, so the executor's retry asks again instead of getting the
 * same rejection back.
 */
function remember(cache, key, make) {
    let value = cache.get(key);
    if (!value) {
        value = make();
        cache.set(key, value);
        value.catch(() => cache.delete(key));
    }
    return value;
}

;// CONCATENATED MODULE: ./src/targets/zenml-target.ts
/**
 * The `zenml` target: runs a pipeline on a ZenML server through its REST API.
 * - ZenML ≥0.90: a snapshot (named, or the newest runnable named snapshot of the pipeline), with
 *   the body wrapped as {"run_configuration": …};
 * - ZenML 0.63–0.85: a run template, with the unwrapped body and every step's full parameters.
 * Parameters are resolved against the snapshot's config_template first, so a wrong name fails
 * with the candidates before any run is created. build, schedule and docker settings are never sent.
 * ZenML does not dedupe a start, so a lost answer is retried only after find() proved, by the
 * request's unique run name, that no run was made.
 */






/** ZenML tag names are at most 255 characters; a longer chain root is named by its hash. */
function chainTags(chain) {
    const root = `pipeline-chain-root:${chain.root}`;
    return [root.length <= 255 ? root : `pipeline-chain-root:sha256-${(0,external_node_crypto_.createHash)('sha256').update(chain.root).digest('hex')}`, `pipeline-chain-depth:${chain.depth}`];
}
/** Tags on every ZenML run naming where it came from: repository, commit, workflow run. */
function provenanceTags(event) {
    return [
        'github-actions',
        `repo:${event.repository}`,
        `sha:${event.sha.slice(0, 12)}`,
        ...(event.run.id ? [`gh-run:${event.run.serverUrl}/${event.repository}/actions/runs/${event.run.id}`] : [])
    ];
}
function apiFlavour(version) {
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major > 0 || minor >= 90)
        return 'snapshots';
    if (minor >= 63)
        return 'templates';
    throw new errors/* UserError */.yo(`The ZenML server runs ${version}; triggering needs 0.63 or newer (run templates) or 0.90 or newer (snapshots). Upgrade the server, or use the command target.`);
}
class ZenmlTarget {
    config;
    connection;
    provenance;
    name;
    maxParallel;
    inRunner = false;
    dedupesStarts = false;
    cancelOnTimeout;
    prepared = new Map();
    /** Snapshots and templates by what names them: twenty runs of one snapshot read it once. */
    runnables = new Map();
    constructor(config, connection, 
    /** Where the runs come from (repository, commit, workflow run), on every run. */
    provenance) {
        this.config = config;
        this.connection = connection;
        this.provenance = provenance;
        this.name = config.name;
        this.maxParallel = config.maxParallel;
        this.cancelOnTimeout = config.cancelOnTimeout;
    }
    async prepare(request, signal) {
        await this.ready(request, signal);
    }
    /** Resolves the snapshot or template and the parameters once per request. */
    ready(request, signal) {
        return remember(this.prepared, String(request.index), () => this.resolve(request, signal));
    }
    async resolve(request, signal) {
        const { client, project, info } = this.connection;
        if (/[{}]/.test(request.runName)) {
            throw new errors/* UserError */.yo(`Input run-name gives ${JSON.stringify(request.runName)}: ZenML would expand its braces, so the action could not find the run by name to start it exactly once. Use the action's placeholders ({pipeline} {run_id} {attempt} {index} {sha} {ref}) only.`);
        }
        const flavour = this.config.template || request.template ? 'templates' : apiFlavour(info.version);
        const name = flavour === 'snapshots' ? (request.snapshot ?? this.config.snapshot) : (request.template ?? this.config.template);
        const runnable = await remember(this.runnables, JSON.stringify([flavour, request.pipelineName, name ?? null]), async () => {
            const pipeline = await client.findPipeline(request.pipelineName, project, signal);
            return flavour === 'snapshots' ? client.findSnapshot(pipeline, project, name, this.config.stack, signal) : client.findTemplate(pipeline, project, name, signal);
        });
        const tags = [...this.provenance, ...this.config.tags, `pipeline-trigger:${request.idempotencyKey}`, ...chainTags(request.chain)];
        const common = { run_name: request.runName, ...(this.config.enableCache !== undefined ? { enable_cache: this.config.enableCache } : {}) };
        if (flavour === 'snapshots') {
            const resolved = resolveParameters(request.parameters, runnable.configTemplate, { dynamic: runnable.dynamic, fullSteps: false, what: `snapshot ${JSON.stringify(runnable.name)}` });
            const body = {
                ...common,
                tags,
                ...(Object.keys(resolved.steps).length > 0 ? { steps: resolved.steps } : {}),
                ...(resolved.parameters ? { parameters: resolved.parameters } : {})
            };
            return { flavour, id: runnable.id, name: runnable.name, body };
        }
        const resolved = resolveParameters(request.parameters, runnable.configTemplate, { dynamic: false, fullSteps: true, what: `run template ${JSON.stringify(runnable.name)}` });
        // 0.63–0.85 forbid unknown keys (422), so only fields those versions know are sent.
        return { flavour, id: runnable.id, name: runnable.name, body: { ...common, ...(Object.keys(resolved.steps).length > 0 ? { steps: resolved.steps } : {}) } };
    }
    async start(request, signal) {
        const { client } = this.connection;
        const { flavour, id, name, body } = await this.ready(request, signal);
        const run = flavour === 'snapshots' ? await client.runSnapshot(id, body, name, signal) : await client.runTemplate(id, body, name, signal);
        return this.handle(run);
    }
    async find(request, signal) {
        const existing = await this.connection.client.findRunByName(request.runName, this.connection.project, signal);
        return existing ? this.handle(existing) : undefined;
    }
    async status(handle, signal) {
        const run = await this.connection.client.getRun(handle.runId, signal);
        return stateOf(run, handle);
    }
    async cancel(handle, signal) {
        await this.connection.client.stopRun(handle.runId, signal);
    }
    handle(run) {
        const { client, project, info } = this.connection;
        return { runId: run.id, runUrl: dashboardUrl(info.proDashboardUrl ?? client.url, project, run.id) };
    }
}
/** A ZenML run in the action's words; a run that did not succeed says how it ended and why. */
function stateOf(run, ids) {
    const status = runStatus(run);
    const reason = run.statusReason ? `: ${run.statusReason}` : '';
    return {
        status,
        ...ids,
        detail: run.status,
        ...(status !== 'completed' && status !== 'running' ? { message: `the run ${run.name || run.id} ended ${run.status}${reason}` } : {})
    };
}

;// CONCATENATED MODULE: ./src/targets/command-target.ts
/**
 * The `command` target runs the pipeline inside the runner (the ZenML OSS path):
 * argv + `--config <run-config.yaml>`, no shell. Parameters reach the pipeline only through
 * the run config file and PIPELINE_PARAMETERS_JSON; the run id comes back through the JSON
 * file named by PIPELINE_TRIGGER_RESULT, and the exit code decides the status.
 *
 * With a ZenML server (zenml-url, zenml-api-key), the child gets ZENML_STORE_URL and
 * ZENML_STORE_API_KEY in its environment (never on its command line), and status() asks the
 * server about the run it reported, so OSS users get the server's status and a dashboard link.
 */









/** Reads `{"run_id", "run_url", "status"}`; anything else is reported, not guessed at. */
function readResultFile(path) {
    if (!(0,external_node_fs_.existsSync)(path))
        return {};
    let data;
    try {
        data = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch (error) {
        return { problem: `the result file ${path} is not JSON (${error.message}); write {"run_id": "...", "run_url": "...", "status": "..."}` };
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        return { problem: `the result file ${path} must hold a JSON object like {"run_id": "...", "run_url": "...", "status": "..."}` };
    }
    const record = data;
    const text = (value) => (typeof value === 'string' || typeof value === 'number' ? String(value) || undefined : undefined);
    const runUrl = text(record.run_url);
    return {
        runId: text(record.run_id),
        runUrl: runUrl && /^https?:\/\//.test(runUrl) ? runUrl : undefined,
        status: text(record.status)
    };
}
const exitText = (outcome) => (outcome.exitCode !== null ? `exited with code ${outcome.exitCode}` : `was ended by ${outcome.signal ?? 'a signal'}`);
class CommandTarget {
    config;
    runner;
    server;
    name;
    maxParallel;
    inRunner = true;
    dedupesStarts = false;
    cancelOnTimeout = true;
    constructor(config, runner, 
    /** The logged-in server of config.server, if any. */
    server) {
        this.config = config;
        this.runner = runner;
        this.server = server;
        this.name = config.name;
        this.maxParallel = config.maxParallel;
    }
    async start(request) {
        const dir = (0,external_node_path_.join)(this.runner.tempDir, 'pipeline-trigger');
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
        const configPath = (0,external_node_path_.join)(dir, `${request.idempotencyKey}.yaml`);
        const resultPath = (0,external_node_path_.join)(dir, `${request.idempotencyKey}.result.json`);
        (0,external_node_fs_.writeFileSync)(configPath, buildRunConfig(request.parameters, request.runName));
        (0,external_node_fs_.rmSync)(resultPath, { force: true });
        const [file, ...args] = this.config.run;
        const server = this.server;
        // ZenML's client saves the key it logs in with to its config directory. Unless the job chose one,
        // that directory is this run's own, and it is removed when the pipeline ends: no key stays on disk.
        const zenmlConfig = server && !this.runner.env.ZENML_CONFIG_PATH ? (0,external_node_path_.join)(dir, `${request.idempotencyKey}.zenml`) : undefined;
        const process = startProcess(file, [...args, this.config.configArg, configPath], {
            cwd: (0,external_node_path_.resolve)(this.runner.workspace, this.config.workingDirectory),
            env: {
                ...this.runner.env,
                ...(server ? { ZENML_STORE_URL: server.client.url, ZENML_STORE_API_KEY: server.apiKey } : {}),
                ...(zenmlConfig ? { ZENML_CONFIG_PATH: zenmlConfig } : {}),
                PIPELINE_NAME: request.pipelineName,
                PIPELINE_RUN_NAME: request.runName,
                PIPELINE_PARAMETERS_JSON: JSON.stringify(request.parameters),
                PIPELINE_TRIGGER_RESULT: resultPath,
                PIPELINE_TRIGGER_IDEMPOTENCY_KEY: request.idempotencyKey,
                // A pipeline that triggers others passes this on as their pipeline-context (chain guard).
                PIPELINE_CONTEXT: JSON.stringify(request.chain)
            }
        });
        const exited = zenmlConfig ? process.exited.then((outcome) => ((0,external_node_fs_.rmSync)(zenmlConfig, { recursive: true, force: true }), outcome)) : process.exited;
        return { process, resultPath, changed: exited };
    }
    async status(handle, signal) {
        const outcome = handle.process.outcome;
        if (!outcome)
            return { status: 'running' };
        if (outcome.startError) {
            const code = outcome.startError.code;
            const cwd = (0,external_node_path_.resolve)(this.runner.workspace, this.config.workingDirectory);
            const hint = code === 'ENOENT' ? `${JSON.stringify(this.config.run[0])} was not found in ${cwd} or on PATH; install it in an earlier step or fix the first line of command` : outcome.startError.message;
            return { status: 'failed', message: `the command could not start: ${hint}` };
        }
        const result = readResultFile(handle.resultPath);
        const ids = { ...(result.runId ? { runId: result.runId } : {}), ...(result.runUrl ? { runUrl: result.runUrl } : {}) };
        if (this.server && result.runId)
            return this.onServer(result.runId, outcome, signal);
        if (outcome.exitCode !== 0)
            return { status: 'failed', ...ids, message: `the command ${exitText(outcome)}` };
        if (result.problem)
            return { status: 'failed', ...ids, message: result.problem };
        const reported = statusFromWord(result.status);
        if (result.status && (reported === 'failed' || reported === 'cancelled')) {
            return { status: 'failed', ...ids, message: `the command exited 0 but reported status ${JSON.stringify(result.status)}` };
        }
        return { status: 'completed', ...ids };
    }
    /** The server's word on the run the command reported; a failed command fails the run whatever the server still says. */
    async onServer(runId, outcome, signal) {
        const { client, project } = this.server;
        const run = await client.getRun(runId, signal);
        const state = stateOf(run, { runId: run.id, runUrl: dashboardUrl(client.url, project, run.id) });
        if (outcome.exitCode === 0 || state.status === 'failed' || state.status === 'cancelled')
            return state;
        const still = state.status === 'running' ? `was still ${run.status} on the server` : 'completed on the server';
        return { ...state, status: 'failed', message: `the run ${run.name || run.id} ${still}, but the command ${exitText(outcome)}` };
    }
    /** Stops the process (its whole group) and, when it reported a run to the server, that run too: a killed pipeline cannot tell the server itself. */
    async cancel(handle, signal) {
        if (!handle.process.outcome) {
            const gaveUp = new Promise((_, reject) => signal.addEventListener('abort', () => reject(new errors/* UserError */.yo(`the command did not end after SIGTERM and SIGKILL; it may be stuck in the kernel`)), { once: true }));
            await Promise.race([handle.process.stop(), gaveUp]);
        }
        const runId = readResultFile(handle.resultPath).runId;
        if (this.server && runId) {
            const run = await this.server.client.getRun(runId, signal);
            if (runStatus(run) === 'running')
                await this.server.client.stopRun(runId, signal);
        }
    }
}

;// CONCATENATED MODULE: ./src/http/sign.ts
/**
 * Request signing, GitHub's webhook scheme plus a timestamp against replay:
 * X-Signature-256: sha256=hex(HMAC_SHA256(secret, "<unix seconds>.<raw body>")).
 * The receiver recomputes it over the exact bytes it received and compares in constant time.
 */

function signature(secret, timestamp, body) {
    return `sha256=${(0,external_node_crypto_.createHmac)('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

;// CONCATENATED MODULE: ./src/targets/http-target.ts
/**
 * The `http` target: a custom trigger API (the tutorial's FastAPI `POST /trigger`), a Lambda
 * behind API Gateway, or a ZenML pipeline deployment (preset `zenml-deployment`).
 * - start: one signed JSON POST (X-Signature-256 over "<timestamp>.<body>") with an
 *   Idempotency-Key, so the executor may retry a lost answer without a second run.
 * - 200/201: the outcome is in the reply. 202: the run was accepted; status() reads the status URL
 *   (Location, or a body field), with If-None-Match when the server sent an ETag.
 * - Keys go only to the configured origin: redirects and status URLs elsewhere are refused.
 */










const MAX_REDIRECTS = 3;
function renderBody(template, request) {
    const values = { pipeline: request.pipelineName, run_name: request.runName, idempotency_key: request.idempotencyKey };
    const render = (value) => {
        if (value === '{parameters}')
            return request.parameters;
        if (typeof value === 'string')
            return renderTemplate(value, values, 'http-body');
        if (Array.isArray(value))
            return value.map(render);
        if (value !== null && typeof value === 'object')
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]));
        return value;
    };
    return render(template);
}
function field(json, path) {
    return path.split('.').reduce((node, key) => (node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? node[key] : undefined), json);
}
const handleIds = (handle) => ({ ...(handle.runId ? { runId: handle.runId } : {}), ...(handle.runUrl ? { runUrl: handle.runUrl } : {}) });
const http_target_text = (value) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
/** The chain guard's context as a header value: ASCII-only JSON, since header values are bytes. */
const asciiJson = (value) => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
class HttpTarget {
    config;
    clock;
    name;
    maxParallel;
    inRunner = false;
    dedupesStarts;
    cancelOnTimeout = false;
    /** A ZenML deployment runs the pipeline inside the POST: the answer may take the whole deadline. */
    synchronous;
    constructor(config, clock = realClock) {
        this.config = config;
        this.clock = clock;
        this.name = config.name;
        this.maxParallel = config.maxParallel;
        this.synchronous = config.preset === 'zenml-deployment';
        // A trigger API dedupes by Idempotency-Key; a ZenML deployment ignores it, so a lost answer is never retried there.
        this.dedupesStarts = !this.synchronous;
    }
    /** A server's text, with the key and signing secret gone in every encoding, then cut to one line. */
    redact(value) {
        return (0,errors/* quoteServer */.u)((0,errors/* redact */.E$)(value, [this.config.apiKey, this.config.signingSecret]));
    }
    authHeaders() {
        const key = this.config.apiKey;
        if (!key)
            return {};
        return this.config.apiKeyHeader.toLowerCase() === 'authorization' ? { authorization: `Bearer ${key}` } : { [this.config.apiKeyHeader]: key };
    }
    async start(request, signal) {
        const body = JSON.stringify(renderBody(this.config.body, request));
        const timestamp = Math.floor(this.clock.now() / 1000);
        const reply = await this.send('POST', this.config.url, signal, body, this.synchronous ? Infinity : undefined, {
            'content-type': 'application/json',
            'idempotency-key': request.idempotencyKey,
            'x-request-id': (0,external_node_crypto_.randomUUID)(),
            // For a receiver that triggers further pipelines (chain guard).
            'x-pipeline-context': asciiJson(request.chain),
            ...(this.config.signingSecret ? { 'x-signature-256': signature(this.config.signingSecret, timestamp, body), 'x-signature-timestamp': String(timestamp) } : {})
        });
        const ids = this.runIds(reply.json);
        if (reply.status !== 200 && reply.status !== 201 && reply.status !== 202)
            throw this.failure(reply);
        const outcome = this.outcome(reply.json);
        // 200/201 mean done, unless the reply says the run is still going (e.g. a repeated Idempotency-Key).
        if (reply.status !== 202 && outcome.status !== 'running')
            return { ...ids, settled: { ...ids, ...outcome } };
        const header = reply.headers.get('location');
        const location = header ?? http_target_text(field(reply.json, this.config.statusUrlField));
        if (!location) {
            return { ...ids, settled: { status: 'running', ...ids, message: `accepted (HTTP ${reply.status}) without a status URL (Location header or ${this.config.statusUrlField}), so the action cannot follow it` } };
        }
        return { ...ids, statusUrl: serverGivenUrl(location, reply.url, header !== null ? 'a Location header' : `a status URL (${this.config.statusUrlField})`) };
    }
    /** A synchronous reply's outcome: a ZenML deployment says success true/false; other APIs may name a failure. */
    outcome(json) {
        if (this.config.preset === 'zenml-deployment') {
            if (field(json, 'success') === true)
                return { status: 'completed' };
            const error = http_target_text(field(json, 'error'));
            return { status: 'failed', message: `the deployment answered success: false${error ? `: ${this.redact(error)}` : ''}` };
        }
        const word = http_target_text(field(json, 'status'));
        if (word === undefined)
            return { status: 'completed' };
        const status = statusFromWord(word);
        return status === 'completed' || status === 'running' ? { status } : { status, message: `the trigger API answered status ${JSON.stringify(word)}` };
    }
    async status(handle, signal) {
        if (handle.settled)
            return handle.settled;
        const url = handle.statusUrl;
        if (url.origin !== this.config.url.origin) {
            throw new errors/* UserError */.yo(`The trigger was accepted (202), but its status URL ${url.href} is on another origin than ${this.config.url.origin}. The action sends the API key only to the origin you configured, so it does not follow it. Make the receiver return a status URL on ${this.config.url.origin}, or set wait: false.`);
        }
        checkUrl(url.href, 'the status URL', this.config.allowInsecureHttp);
        const reply = await this.send('GET', url, signal, undefined, undefined, handle.etag ? { 'if-none-match': handle.etag } : {});
        if (reply.status === 304 && handle.last)
            return handle.last;
        // Some APIs keep answering 202 while the run is pending.
        if (reply.status === 202)
            return { status: 'running', ...handleIds(handle) };
        if (reply.status !== 200)
            throw this.failure(reply);
        const word = http_target_text(field(reply.json, 'status'));
        const ids = { runId: handle.runId, runUrl: handle.runUrl, ...this.runIds(reply.json) };
        const status = statusFromWord(word);
        const error = http_target_text(field(reply.json, 'error'));
        const state = {
            status,
            ...(ids.runId ? { runId: ids.runId } : {}),
            ...(ids.runUrl ? { runUrl: ids.runUrl } : {}),
            ...(word ? { detail: word } : {}),
            ...(status === 'failed' || status === 'cancelled' ? { message: `the trigger API reports ${word}${error ? `: ${this.redact(error)}` : ''}` } : {})
        };
        const pollAfterMs = retryAfterMs(reply.headers.get('retry-after'), this.clock.now());
        if (pollAfterMs !== undefined)
            state.pollAfterMs = pollAfterMs;
        const etag = reply.headers.get('etag');
        if (etag)
            Object.assign(handle, { etag, last: state });
        return state;
    }
    runIds(json) {
        // A ZenML deployment names its run at metadata.run_id; other APIs at run_id, else id.
        const idField = this.config.runIdField ?? (this.config.preset === 'zenml-deployment' ? 'metadata.run_id' : undefined);
        const runId = idField ? http_target_text(field(json, idField)) : (http_target_text(field(json, 'run_id')) ?? http_target_text(field(json, 'id')));
        const runUrl = http_target_text(field(json, this.config.runUrlField ?? 'run_url'));
        return { ...(runId ? { runId } : {}), ...(runUrl && /^https?:\/\//.test(runUrl) ? { runUrl } : {}) };
    }
    failure(reply) {
        const hints = {
            400: 'the receiver rejected the body; check http-body and the parameters.',
            401: 'the API key is wrong or missing; check api-key and api-key-header.',
            403: 'the receiver refused this key or signature; check api-key and signing-secret.',
            404: 'nothing at that URL; check http-url (and the path, e.g. /trigger).',
            405: 'that URL does not take this method; check http-url.',
            413: 'the body is too large for the receiver; send fewer parameters, e.g. each: file instead of each: all.',
            422: 'the receiver could not read the body; check http-body.'
        };
        const said = this.redact(reply.text);
        const message = `HTTP ${reply.status} from ${reply.url}${said ? `: ${said}` : ''}`;
        if (RETRYABLE_STATUS.has(reply.status))
            return new TransientError(message, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()));
        return new errors/* UserError */.yo(`${message}. Fix: ${hints[reply.status] ?? (reply.status >= 500 ? 'the receiver failed; check its logs.' : 'see the message.')}`);
    }
    /**
     * One request, following redirects only within the configured origin, so keys never leave it.
     * After a 301/302/303 a POST becomes a GET without a body, as browsers do: the server has acted.
     */
    async send(method, start, signal, body, limitMs, headers) {
        let url = start;
        for (let hop = 0;; hop++) {
            const reply = await fetchWithin(url, { method, body, limitMs, redirect: 'manual', headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...this.authHeaders(), ...headers } }, signal);
            const location = reply.headers.get('location');
            if (![301, 302, 303, 307, 308].includes(reply.status) || !location) {
                if (RETRYABLE_STATUS.has(reply.status))
                    throw this.failure(reply);
                return reply;
            }
            const next = serverGivenUrl(location, url, `a redirect (HTTP ${reply.status}) to`);
            if (next.origin !== this.config.url.origin) {
                throw new errors/* UserError */.yo(`${url.href} redirected to ${next.origin}, another origin; the action follows redirects only within ${this.config.url.origin}, so keys never leave it. Point the URL at the final address.`);
            }
            if (hop >= MAX_REDIRECTS)
                throw new errors/* UserError */.yo(`${start.href} redirected more than ${MAX_REDIRECTS} times; point the URL at the final address.`);
            if (reply.status !== 307 && reply.status !== 308) {
                method = 'GET';
                body = undefined;
            }
            url = next;
        }
    }
}

;// CONCATENATED MODULE: ./src/github/workflow-inputs.ts
/**
 * What a dispatch may send, checked against the target workflow's own file before anything is
 * dispatched, so the user gets our error naming the input and the fix instead of GitHub's bare 422:
 * every parameter must be a declared input, of its type (choice within its options), every
 * required input must be there, the chain context needs its input, and the count stays within
 * GitHub's limit (25 on github.com, 10 on GHES).
 */




/** The input a workflow may declare (and put in its run-name) so its run can be found without run details. */
const CORRELATION_INPUT = 'pipeline-trigger-id';
const TYPES = new Set(['string', 'number', 'boolean', 'choice', 'environment']);
function parseWorkflow(text, where) {
    try {
        return (0,dist/* parse */.qg)(text, { maxAliasCount: 100 });
    }
    catch (error) {
        throw new errors/* UserError */.yo(`${where} is not valid YAML (${error.message.split('\n')[0]}); GitHub could not run it either.`);
    }
}
/** The workflow's name: as GitHub shows it (and as a workflow_run names its upstream); the file name when it has none. */
function workflowName(text, where, file) {
    const name = parseWorkflow(text, where)?.name;
    return typeof name === 'string' && name.trim() !== '' ? name : file;
}
/** The workflow_dispatch inputs a workflow file declares; an error when it cannot be dispatched at all. */
function declaredInputs(text, where) {
    const doc = parseWorkflow(text, where);
    const on = doc?.on ?? doc?.true;
    const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on : on && typeof on === 'object' ? Object.keys(on) : [];
    if (!triggers.includes('workflow_dispatch')) {
        throw new errors/* UserError */.yo(`${where} has no workflow_dispatch trigger, so it cannot be dispatched. Fix: add "workflow_dispatch:" under its on:, or use event: repository_dispatch.`);
    }
    const dispatch = on && typeof on === 'object' && !Array.isArray(on) ? on.workflow_dispatch : undefined;
    const inputs = dispatch?.inputs;
    const declared = new Map();
    if (!inputs || typeof inputs !== 'object')
        return declared;
    for (const [name, raw] of Object.entries(inputs)) {
        const spec = (raw && typeof raw === 'object' ? raw : {});
        const type = typeof spec.type === 'string' && TYPES.has(spec.type) ? spec.type : 'string';
        declared.set(name, {
            type,
            required: spec.required === true,
            hasDefault: spec.default !== undefined && spec.default !== null && spec.default !== '',
            ...(Array.isArray(spec.options) ? { options: spec.options.map(String) } : {})
        });
    }
    return declared;
}
function workflow_inputs_convert(name, value, input, where) {
    const refuse = (expected) => {
        throw new errors/* UserError */.yo(`Parameter ${JSON.stringify(name)} is ${(0,errors/* preview */.VH)(value)}, but ${where} declares input ${JSON.stringify(name)} as ${expected}. Nothing was dispatched. Fix: send a value of that type, or change the input's type.`);
    };
    switch (input.type) {
        case 'number':
            return asNumber(value) ?? refuse('a number');
        case 'boolean':
            return asBoolean(value) ?? refuse('a boolean (true or false)');
        case 'choice': {
            const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : refuse('a choice');
            if (input.options && !input.options.includes(text))
                return refuse(`a choice of ${input.options.map((o) => JSON.stringify(o)).join(', ')}`);
            return text;
        }
        default:
            // Lists and mappings (each: all gives a list of paths) travel as JSON text: fromJSON() reads them back.
            return typeof value === 'string' ? value : JSON.stringify(value);
    }
}
/** The inputs to dispatch with, or an error that names the input and the fix. */
function dispatchInputs(parameters, declared, where, options) {
    // A Map, not an object: an input named __proto__ must stay an input.
    const inputs = new Map();
    for (const [name, value] of Object.entries(parameters)) {
        const input = declared.get(name);
        if (!input) {
            const known = [...declared.keys()].filter((k) => k !== CHAIN_INPUT && k !== CORRELATION_INPUT);
            throw new errors/* UserError */.yo(`Parameter ${JSON.stringify(name)} is not an input of ${where} (its inputs: ${known.length ? known.join(', ') : 'none'}). Nothing was dispatched. Fix: declare ${JSON.stringify(name)} under on.workflow_dispatch.inputs there, or stop sending it.`);
        }
        inputs.set(name, workflow_inputs_convert(name, value, input, where));
    }
    if (!declared.has(CHAIN_INPUT)) {
        throw new errors/* UserError */.yo(`${where} does not declare the input ${CHAIN_INPUT}, which carries the chain guard's context to it. Nothing was dispatched. Fix: add under on.workflow_dispatch.inputs:\n  ${CHAIN_INPUT}: {type: string, required: false, default: ''}\nand pass it to this action there (pipeline-context: \${{ inputs.${CHAIN_INPUT} }}).`);
    }
    inputs.set(CHAIN_INPUT, options.chain);
    if (declared.has(CORRELATION_INPUT))
        inputs.set(CORRELATION_INPUT, options.correlation);
    const missing = [...declared.entries()].filter(([name, input]) => input.required && !input.hasDefault && !inputs.has(name)).map(([name]) => name);
    if (missing.length > 0) {
        throw new errors/* UserError */.yo(`${where} requires the input${missing.length > 1 ? 's' : ''} ${missing.map((m) => JSON.stringify(m)).join(', ')}, which no parameter gives. Nothing was dispatched. Fix: set ${missing.length > 1 ? 'them' : 'it'} in the pipeline's parameters.`);
    }
    const count = inputs.size;
    if (count > options.maxInputs) {
        throw new errors/* UserError */.yo(`The dispatch of ${where} would send ${count} inputs; GitHub accepts at most ${options.maxInputs} here. Nothing was dispatched. Fix: send fewer parameters, or gather some into one JSON input.`);
    }
    return Object.fromEntries(inputs);
}
/** repository_dispatch: the parameters, the chain context and the correlation id, as client_payload (at most 10 top-level keys). */
function clientPayload(parameters, where, options) {
    const payload = Object.fromEntries([...Object.entries(parameters), [CHAIN_INPUT, options.chain], [CORRELATION_INPUT, options.correlation]]);
    const count = Object.keys(payload).length;
    if (count > 10) {
        throw new errors/* UserError */.yo(`The repository_dispatch to ${where} would carry ${count} client_payload keys (the parameters, ${CHAIN_INPUT} and ${CORRELATION_INPUT}); GitHub accepts at most 10. Nothing was dispatched. Fix: send at most 8 parameters, or gather some into one mapping.`);
    }
    return payload;
}

;// CONCATENATED MODULE: ./src/targets/workflow-target.ts




/** How long a dispatched run may take to appear in the run list before the action gives up on it. */
const DISCOVERY_MS = 5 * 60_000;
/** Runs are listed from a little before the dispatch: the runner's clock and GitHub's may differ. */
const CLOCK_SKEW_MS = 2 * 60_000;
/** A workflow run's status and conclusion in the action's words. */
function runState(run) {
    const ids = { runId: String(run.id), runUrl: run.htmlUrl };
    if (run.status !== 'completed')
        return { status: 'running', ...ids, detail: run.status };
    const conclusion = run.conclusion ?? 'unknown';
    if (conclusion === 'success' || conclusion === 'neutral')
        return { status: 'completed', ...ids, detail: conclusion };
    if (conclusion === 'cancelled')
        return { status: 'cancelled', ...ids, detail: conclusion, message: 'the workflow run was cancelled' };
    return { status: 'failed', ...ids, detail: conclusion, message: `the workflow run ended ${conclusion}` };
}
class WorkflowTarget {
    config;
    api;
    clock;
    name;
    maxParallel;
    inRunner = false;
    dedupesStarts = false;
    cancelOnTimeout;
    prepared = new Map();
    /** Workflow files by ref, and the default branch: read once however many requests need them. */
    files = new Map();
    refs = new Map();
    constructor(config, api, clock) {
        this.config = config;
        this.api = api;
        this.clock = clock;
        this.name = config.name;
        this.maxParallel = config.maxParallel;
        this.cancelOnTimeout = config.cancelOnTimeout;
    }
    get repository() {
        return `${this.config.owner}/${this.config.repo}`;
    }
    async prepare(request, signal) {
        await this.ready(request, signal);
    }
    ready(request, signal) {
        return remember(this.prepared, String(request.index), () => this.resolve(request, signal));
    }
    async resolve(request, signal) {
        const { owner, repo } = this.config;
        const chain = JSON.stringify(request.chain);
        if (this.config.event === 'repository_dispatch') {
            return { body: clientPayload(request.parameters, this.repository, { chain, correlation: request.idempotencyKey }), findable: true };
        }
        const ref = this.config.ref ?? (await remember(this.refs, 'default', () => this.api.defaultBranch(owner, repo, signal)));
        const { path, text } = await remember(this.files, ref, () => this.api.workflowFile(owner, repo, this.config.workflow, ref, signal));
        const where = `${this.repository}/${path}@${ref}`;
        // A workflow_run chain starts its chain at the upstream workflow: dispatching that same workflow would loop.
        const name = workflowName(text, where, this.config.workflow);
        if (request.chain.chain.includes(`workflow:${name}`)) {
            throw new errors/* UserError */.yo(`Chain guard: ${where} is the workflow "${name}", which is already in this chain (${request.chain.chain.join(' → ')}), so dispatching it would loop. Nothing was triggered. Fix: dispatch another workflow, or drop the rule that leads back to "${name}".`);
        }
        const declared = declaredInputs(text, where);
        const body = dispatchInputs(request.parameters, declared, where, { chain, correlation: request.idempotencyKey, maxInputs: this.api.isGithubCom ? 25 : 10 });
        return { ref, body, findable: declared.has(CORRELATION_INPUT) };
    }
    /**
     * GitHub does not dedupe a dispatch, and a new run takes seconds to be listed, so a lost answer is
     * never answered with a second dispatch: a findable run is looked for by status() (for up to
     * five minutes), and any other lost answer fails the run with a note that it may have started.
     */
    async start(request, signal) {
        const { findable } = await this.ready(request, signal);
        const handle = { correlation: request.idempotencyKey, dispatchedAt: this.clock.now() };
        try {
            return await this.dispatch(request, handle, signal);
        }
        catch (error) {
            if (!isTransient(error) || !findable)
                throw error;
            return handle;
        }
    }
    async dispatch(request, handle, signal) {
        const { owner, repo } = this.config;
        const { ref, body } = await this.ready(request, signal);
        if (this.config.event === 'repository_dispatch') {
            await this.api.dispatchRepository(owner, repo, this.config.eventType, body, signal);
            return handle;
        }
        const dispatched = await this.api.dispatchWorkflow(owner, repo, this.config.workflow, ref, body, signal);
        if (dispatched.runId)
            return { ...handle, run: dispatched.runId, runId: String(dispatched.runId), ...(dispatched.htmlUrl ? { runUrl: dispatched.htmlUrl } : {}) };
        if (!(await this.ready(request, signal)).findable) {
            const message = `dispatched, but this server answered without the run, and ${this.config.workflow} declares no ${CORRELATION_INPUT} input to find it by, so the action cannot follow it. Fix: declare that input there and put it in run-name (see the README, section "Workflows in other repositories").`;
            return { ...handle, settled: { status: 'running', message } };
        }
        return handle;
    }
    async lookup(handle, signal) {
        const since = new Date(handle.dispatchedAt - CLOCK_SKEW_MS).toISOString();
        const by = this.config.event === 'repository_dispatch' ? { event: 'repository_dispatch' } : { workflow: this.config.workflow, event: 'workflow_dispatch' };
        return this.api.findRun(this.config.owner, this.config.repo, { ...by, correlation: handle.correlation, since }, signal);
    }
    async status(handle, signal) {
        if (handle.run === undefined) {
            const found = await this.lookup(handle, signal);
            if (!found) {
                if (this.clock.now() - handle.dispatchedAt > DISCOVERY_MS) {
                    return {
                        status: 'failed',
                        message: `dispatched, but no run whose run-name carries ${handle.correlation} appeared in ${DISCOVERY_MS / 60_000} minutes. Fix: in the receiving workflow, declare the input ${CORRELATION_INPUT} (repository_dispatch: client_payload.${CORRELATION_INPUT}) and put it in run-name (see the README, section "Workflows in other repositories").`
                    };
                }
                return { status: 'running', detail: 'dispatched; waiting for GitHub to list the run' };
            }
            Object.assign(handle, { run: found.id, runId: String(found.id), runUrl: found.htmlUrl });
        }
        return runState(await this.api.getRun(this.config.owner, this.config.repo, handle.run, signal));
    }
    /** Cancels the run; one not listed yet is looked for first, and one still not found is said to be so, not reported stopped. */
    async cancel(handle, signal) {
        const run = handle.run ?? (await this.lookup(handle, signal))?.id;
        if (run === undefined)
            throw new errors/* UserError */.yo(`the dispatched run (run-name with ${handle.correlation}) is not listed yet, so it could not be cancelled; cancel it in ${this.repository}'s Actions tab`);
        await this.api.cancelRun(this.config.owner, this.config.repo, run, signal);
    }
}

;// CONCATENATED MODULE: ./src/targets/connect-targets.ts







async function connectTargets(resolved, context) {
    const servers = new Map();
    const connect = (server) => {
        const key = JSON.stringify([server.url, server.apiKey, server.project]);
        if (!servers.has(key)) {
            servers.set(key, retry(() => connectZenml(server, context.deadline.signal, context.mask, context.log), {
                clock: context.clock,
                deadline: context.deadline,
                onRetry: (error, ms) => context.log(`${error.message} Trying again in ${(ms / 1000).toFixed(1)}s.`)
            }));
        }
        return servers.get(key);
    };
    const targets = new Map();
    for (const [name, config] of resolved) {
        switch (config.type) {
            case 'command':
                targets.set(name, new CommandTarget(config, context, config.server ? await connect(config.server) : undefined));
                break;
            case 'zenml':
                targets.set(name, new ZenmlTarget(config, await connect(config.server), context.provenance));
                break;
            case 'http':
                targets.set(name, new HttpTarget(config, context.clock));
                break;
            case 'workflow':
                context.mask(config.token);
                targets.set(name, new WorkflowTarget(config, new ActionsApi(config.token, config.apiUrl, context.log, () => context.deadline.remaining()), context.clock));
                break;
        }
    }
    return targets;
}

;// CONCATENATED MODULE: ./src/main.ts
/** The action: inputs → plan → targets → report. Any error fails the step with its message. */




















/** The environment a pipeline command inherits: the runner's, minus this action's inputs (the token among them). */
function childEnvironment() {
    const env = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (value !== undefined && !key.startsWith('INPUT_'))
            env[key] = value;
    }
    return env;
}
/** Writes the whole changed-file list to RUNNER_TEMP; the outputs carry only its head. */
function writeChangedFiles(changes, dir) {
    if (!changes)
        return '';
    const path = (0,external_node_path_.join)(dir, 'changed-files.json');
    (0,external_node_fs_.writeFileSync)(path, JSON.stringify({ complete: changes.complete, base: changes.base, head: changes.head, files: (0,outputs/* changedFilesJson */.k$)(changes) }));
    return path;
}
/** Fan-in mode: one summary and one `runs` output for every job of a fan-out. */
async function main_fanIn(dir, matrix, workspace) {
    const collected = collectFanIn((0,external_node_path_.resolve)(workspace, dir), matrix);
    const failures = fanInFailures(collected);
    (0,set_outputs/* setOutputs */.n)((0,outputs/* fanInOutputs */.LZ)(collected, failures), set_outputs/* stepDirectory */.i);
    await writeSummary(buildFanInSummary(collected, failures));
    if (failures.length > 0)
        commands/* setFailed */.C1(`${failures.length} of ${collected.length} fan-out request(s) did not succeed: ${failures.join('; ')}`);
}
async function run() {
    let deadline;
    try {
        const settings = readSettings();
        // One deadline for the whole step: logins, starts, polls and every request fit inside it.
        deadline = new Deadline(realClock, settings.timeoutMs);
        const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
        if (settings.fanIn)
            return await main_fanIn(settings.fanIn.dir, settings.fanIn.matrix, workspace);
        const { event, changes, plan } = await preparePlan({ settings, context: readEvent(process.env), workspace, log: (m) => commands/* info */.pq(m) });
        const dir = (0,set_outputs/* stepDirectory */.i)();
        const changedFilesPath = writeChangedFiles(changes, dir);
        if (!event.kind) {
            commands/* notice */.lm(`Event ${JSON.stringify(event.name)} is not handled, so nothing was triggered. Handled events: ${trigger_event/* SUPPORTED_EVENTS */.H.join(', ')}.`);
            (0,set_outputs/* setOutputs */.n)((0,outputs/* buildOutputs */.JZ)(plan, [], undefined), () => dir);
            return;
        }
        for (const warning of plan.warnings)
            commands/* warning */.$e(warning);
        commands/* info */.pq(`Plan: ${plan.requests.length} run(s), ${plan.skipped.length} skipped.`);
        for (const skip of plan.skipped)
            commands/* info */.pq(`Skipped ${skip.pipeline}: ${JSON.stringify(skip.reason)}`);
        if (settings.dryRun) {
            for (const request of plan.requests)
                commands/* info */.pq(dryRunLine(request));
            (0,set_outputs/* setOutputs */.n)((0,outputs/* buildOutputs */.JZ)(plan, undefined, changes, changedFilesPath), () => dir);
            await writeSummary(buildSummary(event, plan, undefined, changes));
            return;
        }
        // The one resolved configuration: after this, nothing reads settings for the targets.
        const mask = (secret) => commands/* setSecret */.Pq(secret);
        const resolved = resolveTargets(plan.requests.map((request) => [request.target, request.targetConfig]), targetDefaults(settings), { env: process.env, mask });
        const targets = await connectTargets(resolved, {
            workspace,
            tempDir: process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(),
            env: childEnvironment(),
            clock: realClock,
            deadline,
            mask,
            log: (message) => commands/* info */.pq(message),
            provenance: provenanceTags(event)
        });
        if (!settings.wait && plan.requests.some((r) => r.targetConfig.type === 'command')) {
            commands/* notice */.lm('wait is false, but the command target runs the pipeline inside this job, so it always waits for it.');
        }
        const results = await executePlan(plan.requests, (request) => targets.get(request.target), {
            wait: settings.wait,
            failFast: settings.failFast,
            cancelOnFailFast: settings.cancelOnFailFast,
            deadline,
            clock: realClock,
            log: {
                attempt: (request) => commands/* info */.pq(attemptLine(request)),
                finished: (result) => commands/* info */.pq(resultLine(result)),
                info: (message) => commands/* info */.pq(message)
            }
        });
        (0,set_outputs/* setOutputs */.n)((0,outputs/* buildOutputs */.JZ)(plan, results, changes, changedFilesPath), () => dir);
        await writeSummary(buildSummary(event, plan, results, changes, settings.wait));
        const failed = results.filter((result) => !succeeded(result));
        if (failed.length > 0) {
            commands/* setFailed */.C1(`${failed.length} of ${results.length} run(s) did not succeed: ${failed.map((r) => `${r.request.pipelineName} #${r.request.index} (${r.state.status}${r.state.message ? `: ${r.state.message}` : ''})`).join('; ')}`);
        }
    }
    catch (error) {
        commands/* setFailed */.C1((0,errors/* errorMessage */.gJ)(error));
    }
    finally {
        deadline?.dispose();
    }
}


/***/ })

};

//# sourceMappingURL=667.index.js.map