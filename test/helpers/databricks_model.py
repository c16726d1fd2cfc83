"""
The Databricks Jobs contract for the tests, from the pinned databricks-sdk (.venv-models, 0.167.0).
Databricks publishes no OpenAPI file: the SDK's generated JobsAPI methods and dataclasses are the
closest model there is, so each exchange is checked against them.

- A request: the JobsAPI method for its method and path is called with the request's members
  (query for a GET, JSON body for a POST) as keyword arguments, each checked against the method's
  type hints (an unknown member, a wrong type, an enum value the SDK does not know, a missing
  required argument are refused); the SDK, given a recorder for an API client, then builds its
  own request, and that must be the request that was sent (method, path, query, body).
- A reply: the operation's reply dataclass round-trips it (`Cls.from_dict(body).as_dict()`), and
  any member it drops (unknown, or an enum value it does not know) or changes (a type it converts)
  is reported, with the dataclass fields declared without a default (required) and primitive
  types checked on the way. An error reply is {error_code, message[, details]}, and the SDK's
  error class for its error_code must be the class for its HTTP status (or a subclass).

What it cannot catch: lengths and patterns (idempotency_token's 64 characters), members the
service requires that the SDK declares optional, and any semantics. It is the weakest of the
cloud contracts. One JSON object a line on stdin ({id, kind: request|reply, ...}), one answer a
line on stdout ({id, errors: [...]}).
"""

import dataclasses
import enum
import inspect
import json
import sys
import typing

from databricks.sdk.errors import platform
from databricks.sdk.service import jobs

# (HTTP method, path) -> (JobsAPI method, reply dataclass; None: the reply is an empty object)
OPERATIONS = {
    ("POST", "/api/2.2/jobs/run-now"): ("run_now", jobs.RunNowResponse),
    ("GET", "/api/2.2/jobs/runs/get"): ("get_run", jobs.Run),
    ("POST", "/api/2.2/jobs/runs/cancel"): ("cancel_run", None),
    ("GET", "/api/2.2/jobs/runs/get-output"): ("get_run_output", jobs.RunOutput),
    ("GET", "/api/2.2/jobs/get"): ("get", jobs.Job),
    ("GET", "/api/2.2/jobs/list"): ("list", jobs.ListJobsResponse),
}


class Recorder:
    """An API client for JobsAPI that records the request the SDK builds; run_now's waiter reads a run_id."""

    class _cfg:  # noqa: N801 - the attribute name JobsAPI reads
        workspace_id = None

    def __init__(self):
        self.calls = []

    def do(self, method, path, query=None, body=None, headers=None, **_):
        self.calls.append((method, path, query, body))
        return {"run_id": 0}


def unwrap(hint):
    """Optional[X] -> X."""
    if typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def convert(value, hint, where, from_query, errors):
    """The value as the SDK method takes it, or None with an error recorded."""
    hint = unwrap(hint)
    origin = typing.get_origin(hint)
    if hint is str:
        if isinstance(value, str):
            return value
    elif hint is bool:
        if from_query and value in ("true", "false"):
            return value == "true"
        if isinstance(value, bool):
            return value
    elif hint is int:
        if from_query and isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif inspect.isclass(hint) and issubclass(hint, enum.Enum):
        known = [m.value for m in hint]
        if value in known:
            return hint(value)
        errors.append(f"{where}: {json.dumps(value)} is not a value of {hint.__name__} ({', '.join(known)})")
        return None
    elif dataclasses.is_dataclass(hint):
        if isinstance(value, dict):
            errors.extend(round_trip(hint, value, where))
            return hint.from_dict(value)
    elif origin in (list, typing.List):
        if isinstance(value, list):
            (item,) = typing.get_args(hint)
            return [convert(v, item, f"{where}[{i}]", False, errors) for i, v in enumerate(value)]
    elif origin in (dict, typing.Dict):
        if isinstance(value, dict):
            _, item = typing.get_args(hint)
            return {k: convert(v, item, f"{where}.{k}", False, errors) for k, v in value.items()}
    else:
        return value
    errors.append(f"{where}: {json.dumps(value)[:80]} is not {type_name(hint)}")
    return None


def type_name(hint):
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def diff(sent, kept, where):
    """What the SDK's copy lost or changed of what was sent."""
    if isinstance(sent, dict) and isinstance(kept, dict):
        problems = []
        for key, value in sent.items():
            if key not in kept:
                problems.append(
                    f"{where}.{key}: dropped by the SDK (a member it does not know, an enum value it does not know, or null/empty): {json.dumps(value)[:80]}"
                )
            else:
                problems.extend(diff(value, kept[key], f"{where}.{key}"))
        problems.extend(f"{where}.{key}: added by the SDK" for key in kept if key not in sent)
        return problems
    if isinstance(sent, list) and isinstance(kept, list) and len(sent) == len(kept):
        return [p for i, (s, k) in enumerate(zip(sent, kept)) for p in diff(s, k, f"{where}[{i}]")]
    if sent != kept or type(sent) is not type(kept):
        return [f"{where}: {json.dumps(sent)[:80]} became {json.dumps(kept)[:80]} in the SDK's copy"]
    return []


def walk(obj, cls, where):
    """Fields the dataclass declares without a default (required) that are missing, and primitive types."""
    problems = []
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        value = getattr(obj, field.name)
        required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        if value is None:
            if required:
                problems.append(f"{where}.{field.name}: required by {cls.__name__}, missing")
            continue
        hint = unwrap(hints[field.name])
        problems.extend(check_value(value, hint, f"{where}.{field.name}"))
    return problems


def check_value(value, hint, where):
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return walk(value, hint, where)
    if origin in (list, typing.List):
        (item,) = typing.get_args(hint)
        return [p for i, v in enumerate(value) for p in check_value(v, unwrap(item), f"{where}[{i}]")]
    if origin in (dict, typing.Dict):
        _, item = typing.get_args(hint)
        return [p for k, v in value.items() for p in check_value(v, unwrap(item), f"{where}.{k}")]
    if hint in (str, bool, float) or hint is int:
        ok = isinstance(value, (int, float)) if hint is float else isinstance(value, hint)
        if hint is int and isinstance(value, bool):
            ok = False
        if not ok:
            return [f"{where}: {json.dumps(value)[:80]} is not {hint.__name__}"]
    return []


def round_trip(cls, body, where):
    obj = cls.from_dict(body)
    return diff(body, obj.as_dict(), where) + walk(obj, cls, where)


def check_request(method, path, query, body):
    found = OPERATIONS.get((method, path))
    if not found:
        return [f"{method} {path}: no such operation among the SDK's JobsAPI calls this contract covers"]
    name, _ = found
    label = f"{method} {path} ({name})"
    function = getattr(jobs.JobsAPI, name)
    hints = typing.get_type_hints(function)
    hints.pop("return", None)
    errors = []
    if method == "GET":
        given, from_query = query or {}, True
        if body is not None:
            errors.append(f"{label}: a GET takes no body")
    else:
        given, from_query = body, False
        if query:
            errors.append(f"{label}: the SDK sends no query with {method}")
        if not isinstance(body, dict):
            return errors + [f"{label}: the body is not a JSON object"]
    args = {}
    for key, value in given.items():
        if key not in hints:
            errors.append(f"{label}: unknown member {key} (the SDK's {name} takes {', '.join(hints)})")
            continue
        args[key] = convert(value, hints[key], f"{label} {key}", from_query, errors)
    for param in list(inspect.signature(function).parameters.values())[1:]:
        if param.default is inspect.Parameter.empty and param.name not in given:
            errors.append(f"{label}: {param.name} is required")
    if errors:
        return errors
    recorder = Recorder()
    result = getattr(jobs.JobsAPI(recorder), name)(**args)
    if inspect.isgenerator(result):
        list(result)
    sdk_method, sdk_path, sdk_query, sdk_body = recorder.calls[0]
    if (sdk_method, sdk_path) != (method, path):
        return [f"{label}: the SDK sends this as {sdk_method} {sdk_path}"]
    if method == "GET":
        text = {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in (sdk_query or {}).items()}
        return diff(given, text, f"{label} query")
    return diff(given, sdk_body or {}, f"{label} body")


def check_reply(method, path, status, body):
    found = OPERATIONS.get((method, path))
    label = f"{method} {path} -> {status}"
    if not found:
        return [f"{method} {path}: no such operation among the SDK's JobsAPI calls this contract covers"]
    if status >= 400:
        if not isinstance(body, dict) or not isinstance(body.get("error_code"), str) or not isinstance(body.get("message"), str):
            return [f"{label}: an error is {{error_code, message}} strings, not {json.dumps(body)[:80]}"]
        extra = [k for k in body if k not in ("error_code", "message", "details")]
        if extra:
            return [f"{label}: unknown error members {', '.join(extra)}"]
        by_status = platform.STATUS_CODE_MAPPING.get(status)
        by_code = platform.ERROR_CODE_MAPPING.get(body["error_code"])
        if by_status and by_code and not issubclass(by_code, by_status):
            return [f"{label}: error_code {body['error_code']} is the SDK's {by_code.__name__}, not a {by_status.__name__} ({status})"]
        return []
    if status != 200:
        return [f"{label}: the SDK takes 200 for success"]
    _, cls = found
    if cls is None:
        return [] if body == {} else [f"{label}: the reply is an empty object, not {json.dumps(body)[:80]}"]
    if not isinstance(body, dict):
        return [f"{label}: the reply is not a JSON object"]
    return round_trip(cls, body, f"{label} {cls.__name__}")


def main():
    for line in sys.stdin:
        message = json.loads(line)
        try:
            if message["kind"] == "request":
                errors = check_request(message["method"], message["path"], message.get("query"), message.get("body"))
            else:
                errors = check_reply(message["method"], message["path"], message["status"], message.get("body"))
        except Exception as error:  # a crash in the checker is a violation too, never a pass
            errors = [f"the contract checker failed: {type(error).__name__}: {error}"]
        sys.stdout.write(json.dumps({"id": message["id"], "errors": errors}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    main()
