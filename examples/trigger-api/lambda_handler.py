"""Reference AWS Lambda handler (API Gateway REST proxy integration) for pipeline-trigger's `http` target.

Routes:
- POST /trigger    checks the key (constant time), the HMAC and its timestamp, dedupes by
                   Idempotency-Key, starts the pipeline, answers 202 with a status URL;
- GET  /runs/{id}  the run's status, for the action to poll.

It starts runs on ZenML Pro with `Client().trigger_pipeline` (a snapshot run on the server), so the
Lambda needs only the `zenml` package and ZENML_STORE_URL / ZENML_STORE_API_KEY. Swap `start_run`
and `run_status` to call anything else.

Idempotency: the in-memory store below only dedupes within one warm container. In production use a
DynamoDB table with a conditional put (attribute_not_exists) on the key, kept for 24 hours.
Secrets: read TRIGGER_API_KEY and TRIGGER_SIGNING_SECRET from AWS Secrets Manager in real use.
"""

import base64
import hashlib
import hmac
import json
import os
import time
from typing import Any, Dict, Optional

SIGNATURE_WINDOW_SECONDS = 300
_seen: Dict[str, Dict[str, Any]] = {}  # Idempotency-Key -> answer (see the note above)


def start_run(pipeline_name: str, parameters: Dict[str, Any], idempotency_key: str) -> str:
    """Starts the pipeline on ZenML Pro and returns the run id."""
    from zenml.client import Client

    run = Client().trigger_pipeline(pipeline_name_or_id=pipeline_name, run_configuration={"parameters": parameters, "tags": [f"pipeline-trigger:{idempotency_key}"]})
    return str(run.id)


def run_status(run_id: str) -> Dict[str, Any]:
    """The run's status as ZenML reports it."""
    from zenml.client import Client

    run = Client().get_pipeline_run(run_id)
    return {"run_id": run_id, "status": str(getattr(run.status, "value", run.status))}


def _response(status: int, body: Dict[str, Any], headers: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json", **(headers or {})}, "body": json.dumps(body)}


def _header(event: Dict[str, Any], name: str) -> Optional[str]:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def _authorized(event: Dict[str, Any]) -> bool:
    given = _header(event, "X-API-Key") or ""
    return hmac.compare_digest(given.encode(), os.environ["TRIGGER_API_KEY"].encode())


def _signature_problem(event: Dict[str, Any], body: bytes) -> Optional[str]:
    secret = os.environ.get("TRIGGER_SIGNING_SECRET")
    if not secret:
        return None
    signature, timestamp = _header(event, "X-Signature-256"), _header(event, "X-Signature-Timestamp")
    if not signature or not timestamp or not timestamp.isdigit():
        return "missing X-Signature-256 or X-Signature-Timestamp"
    if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        return "signature timestamp outside the 5-minute window"
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(signature, f"sha256={digest}") else "bad signature"


def handler(event: Dict[str, Any], context: Any = None) -> Dict[str, Any]:
    if not _authorized(event):
        return _response(401, {"detail": "invalid or missing X-API-Key"})
    method, path = event.get("httpMethod", ""), event.get("path", "")

    if method == "GET" and path.startswith("/runs/"):
        return _response(200, run_status(path[len("/runs/"):]))
    if method != "POST" or path != "/trigger":
        return _response(404, {"detail": f"no route {method} {path}"})

    raw = event.get("body") or ""
    body = base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode()  # the exact bytes that were signed
    problem = _signature_problem(event, body)
    if problem:
        return _response(401, {"detail": problem})
    try:
        payload = json.loads(body)
        pipeline_name, parameters = str(payload["pipeline_name"]), dict(payload.get("parameters") or {})
    except (ValueError, KeyError, TypeError):
        return _response(400, {"detail": 'body must be {"pipeline_name": "...", "parameters": {...}}'})

    key = _header(event, "Idempotency-Key") or ""
    if key and key in _seen:
        return _response(202, _seen[key], {"Location": _seen[key]["status_url"]})
    run_id = start_run(pipeline_name, parameters, key)
    context_path = (event.get("requestContext") or {}).get("path", "/trigger")
    stage_prefix = context_path[: -len(path)] if context_path.endswith(path) else ""
    host = _header(event, "Host") or "localhost"
    proto = _header(event, "X-Forwarded-Proto") or "https"
    answer = {"run_id": run_id, "status": "running", "status_url": f"{proto}://{host}{stage_prefix}/runs/{run_id}"}
    if key:
        _seen[key] = answer
    return _response(202, answer, {"Location": answer["status_url"]})
