"""Reference trigger API for pipeline-trigger's `http` target (FastAPI).

It shows the receiving side done safely, which the ZenML tutorial's version skips:
- the API key is compared in constant time (hmac.compare_digest), never with `!=`;
- the HMAC signature is checked over the exact received bytes, with a timestamp window
  against replay (X-Signature-256: sha256=hex(HMAC(secret, "<ts>.<body>")), X-Signature-Timestamp);
- requests are deduplicated by Idempotency-Key, so the action's retries never start a second run;
- it answers with a run id and a status URL; `TRIGGER_API_ASYNC=1` answers 202 at once and runs
  the pipeline in the background (poll GET /runs/{id}).

Configuration (environment): TRIGGER_API_KEY (required), TRIGGER_SIGNING_SECRET (optional;
when set, unsigned requests are refused), TRIGGER_API_ASYNC. Run it with:
    TRIGGER_API_KEY=... uvicorn app:app --host 0.0.0.0 --port 8000
"""

import hashlib
import hmac
import json
import os
import sys
import threading
import time
import uuid
from typing import Any, Dict, Optional

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pipelines"))

SIGNATURE_WINDOW_SECONDS = 300
app = FastAPI(title="Pipeline trigger API")
_runs: Dict[str, Dict[str, Any]] = {}
_by_key: Dict[str, str] = {}
_lock = threading.Lock()


def _check_key(given: Optional[str]) -> None:
    expected = os.environ["TRIGGER_API_KEY"]
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="invalid or missing X-API-Key")


def _check_signature(body: bytes, signature: Optional[str], timestamp: Optional[str]) -> None:
    secret = os.environ.get("TRIGGER_SIGNING_SECRET")
    if not secret:
        return
    if not signature or not timestamp or not timestamp.isdigit():
        raise HTTPException(status_code=401, detail="missing X-Signature-256 or X-Signature-Timestamp")
    if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        raise HTTPException(status_code=401, detail="signature timestamp outside the 5-minute window")
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, f"sha256={digest}"):
        raise HTTPException(status_code=401, detail="bad signature")


def _run_pipeline(run_id: str, pipeline_name: str, parameters: Dict[str, Any]) -> None:
    """Runs the pipeline with ZenML and records the outcome under our run id."""
    from training_pipeline import training_pipeline  # the tutorial pipeline

    pipelines = {"training_pipeline": training_pipeline}
    record = _runs[run_id]
    try:
        if pipeline_name not in pipelines:
            raise ValueError(f"unknown pipeline {pipeline_name!r}")
        run = pipelines[pipeline_name].with_options(run_name=f"api-{run_id}")(**parameters)
        record.update(status="completed", zenml_run_id=str(run.id) if run else None)
    except Exception as error:  # report, never crash the server
        record.update(status="failed", error=f"{type(error).__name__}: {error}")


@app.get("/health")
def health() -> Dict[str, str]:
    return {"status": "ok"}


@app.post("/trigger")
async def trigger(
    request: Request,
    x_api_key: Optional[str] = Header(default=None),
    idempotency_key: Optional[str] = Header(default=None),
    x_signature_256: Optional[str] = Header(default=None),
    x_signature_timestamp: Optional[str] = Header(default=None),
):
    _check_key(x_api_key)
    body = await request.body()  # the exact bytes, before any JSON parsing
    _check_signature(body, x_signature_256, x_signature_timestamp)
    try:
        payload = json.loads(body)
        pipeline_name = str(payload["pipeline_name"])
        parameters = dict(payload.get("parameters") or {})
    except (ValueError, KeyError, TypeError):
        raise HTTPException(status_code=400, detail='body must be {"pipeline_name": "...", "parameters": {...}}')

    asynchronous = os.environ.get("TRIGGER_API_ASYNC") == "1"
    with _lock:
        existing = _by_key.get(idempotency_key or "")
        if existing is None:
            run_id = str(uuid.uuid4())
            _runs[run_id] = {"run_id": run_id, "status": "running", "pipeline_name": pipeline_name, "idempotency_key": idempotency_key}
            if idempotency_key:
                _by_key[idempotency_key] = run_id
            thread = threading.Thread(target=_run_pipeline, args=(run_id, pipeline_name, parameters), daemon=True)
            thread.start()
        else:
            run_id, thread = existing, None
    if not asynchronous and thread is not None:
        thread.join()
    record = dict(_runs[run_id], status_url=str(request.url_for("run_status", run_id=run_id)))
    return JSONResponse(record, status_code=202 if asynchronous else 200, headers={"Location": record["status_url"]} if asynchronous else None)


@app.get("/runs/{run_id}", name="run_status")
def run_status(run_id: str, x_api_key: Optional[str] = Header(default=None)) -> Dict[str, Any]:
    _check_key(x_api_key)
    if run_id not in _runs:
        raise HTTPException(status_code=404, detail="no such run")
    return _runs[run_id]


@app.get("/runs")
def list_runs(x_api_key: Optional[str] = Header(default=None)) -> Dict[str, Any]:
    """All runs this receiver started (used by the tests to count them)."""
    _check_key(x_api_key)
    return {"runs": list(_runs.values())}
