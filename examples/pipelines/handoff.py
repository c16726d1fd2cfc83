"""Hand on to the next pipeline through GitHub: Method 5 of the ZenML triggering tutorial.

A step at the end of an upstream pipeline sends a `repository_dispatch` to GitHub. The workflow
that listens for it runs pipeline-trigger, which starts the downstream pipeline with:
- the parameters given here;
- `training_run_id`, the id of the ZenML run that just finished (not "the latest model");
- `artifact_ids`, the ids of the artifacts this step received;
- `pipeline-context`, the chain guard's context, so the guard sees the whole chain:
  GitHub → ZenML → GitHub → ZenML. The action's command target hands it to the pipeline as
  PIPELINE_CONTEXT; the receiving workflow passes it on.

`send_verdict_callback` is a hook of the same kind for a run the action started with `wait: false`:
when the run ends it tells GitHub which run it was, so examples/workflows/verdict-callback.yml
completes the run's check run at once instead of at the next reconcile pass.

The token comes from the environment (PIPELINE_DISPATCH_TOKEN: a token with `contents: write` on
the repository) and is never printed. Only the standard library is used.
"""

import ipaddress
import json
import os
import re
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlparse

from typing_extensions import Annotated
from zenml import get_step_context, pipeline, step

from training_pipeline import load_data, train_and_evaluate

TOKEN_ENV = "PIPELINE_DISPATCH_TOKEN"
#: GitHub's limit on client_payload's top-level keys.
MAX_PAYLOAD_KEYS = 10


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the token to wherever it points; the dispatch must be answered where it was sent."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        raise urllib.error.HTTPError(req.full_url, code, f"redirect to {urlparse(newurl).netloc or newurl} refused", headers, fp)


def _call_github(method: str, url: str, token: str, body: Optional[Dict[str, Any]] = None) -> Tuple[int, Any]:
    """One GitHub REST call, redirects refused: the HTTP status and the JSON answer (None when empty)."""
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode("utf-8"),
        method=method,
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "Content-Type": "application/json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "pipeline-trigger-handoff",
        },
    )
    with urllib.request.build_opener(_NoRedirects()).open(request, timeout=30) as response:
        raw = response.read()
        return response.status, json.loads(raw) if raw else None


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _github_api_url(api_url: Optional[str] = None) -> str:
    """The GitHub API root: `api_url`, else GITHUB_API_URL (set on every runner), else api.github.com.

    It must use https; http is accepted only on a loopback host (127.0.0.1, localhost, ::1), where a
    test's fake of GitHub listens. Any other http URL is refused: the token would travel in clear.
    """
    api_url = (api_url or os.environ.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/")
    parsed = urlparse(api_url)
    if parsed.scheme != "https" and not (parsed.scheme == "http" and _is_loopback(parsed.hostname or "")):
        raise ValueError(f"the GitHub API URL must use https (http only on a loopback host), got {api_url!r}")
    return api_url


def dispatch_next(event_type: str, parameters: Dict[str, Any], *, repository: Optional[str] = None, api_url: Optional[str] = None) -> None:
    """Sends repository_dispatch `event_type` with `parameters` (plus the chain context) as client_payload."""
    repository = repository or os.environ.get("GITHUB_REPOSITORY", "")
    if repository.count("/") != 1:
        raise ValueError(f"repository must be owner/name, got {repository!r}; set it or GITHUB_REPOSITORY")
    api_url = _github_api_url(api_url)
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        raise ValueError(f"{TOKEN_ENV} is empty; pass a token with contents: write on {repository} in the step's environment")

    payload = dict(parameters)
    context = os.environ.get("PIPELINE_CONTEXT", "")
    if context:
        payload["pipeline-context"] = context
    if len(payload) > MAX_PAYLOAD_KEYS:
        raise ValueError(f"client_payload would have {len(payload)} keys; GitHub accepts at most {MAX_PAYLOAD_KEYS}")

    try:
        status, _ = _call_github("POST", f"{api_url}/repos/{repository}/dispatches", token, {"event_type": event_type, "client_payload": payload})
        if status != 204:
            raise RuntimeError(f"repository_dispatch to {repository}: unexpected HTTP {status}")
    except urllib.error.HTTPError as error:
        # The message names the fix; the token is never part of it.
        hint = "the token needs contents: write on that repository" if error.code in (401, 403, 404) else "see GitHub's answer"
        raise RuntimeError(f"repository_dispatch to {repository} failed: HTTP {error.code} {error.reason}; {hint}") from None


#: The repository_dispatch event type examples/workflows/verdict-callback.yml listens for.
CALLBACK_EVENT = "pipeline-finished"


def send_verdict_callback() -> None:
    """A ZenML success or failure hook: sends the verdict callback, naming this run by its commit and id.

        @step(on_success=send_verdict_callback)      # on the pipeline's last step
        @pipeline(on_failure=send_verdict_callback)  # a static pipeline gives it to every step

    The payload is never the verdict: it only locates the check run, and the receiving workflow
    asks ZenML how the run ended. A callback that comes early (the hook runs before ZenML marks the
    run ended) changes nothing; the reconcile pass completes the check run later. ZenML logs a
    hook's error and goes on, so a failed callback never fails the run.

    The action tags every run it starts with `repo:<owner>/<name>` and `gh-run:<workflow run URL>`.
    Its `sha:` tag has only 12 characters of GITHUB_SHA (on a pull request, the merge commit); the
    check run is on the head commit, the workflow run's `head_sha`. So the token needs
    `actions: read` besides `contents: write`.

    The API root is GITHUB_API_URL (set on every runner; api.github.com without it). It must use
    https: http is allowed only on a loopback host (127.0.0.1, localhost, ::1), for a test's fake of
    GitHub, and any other http URL is refused before the token is read.
    """
    run = get_step_context().pipeline_run
    tags = dict(tag.name.split(":", 1) for tag in run.tags if ":" in tag.name)
    workflow_run = re.fullmatch(r"https://[^/]+/([\w.-]+/[\w.-]+)/actions/runs/(\d+)", tags.get("gh-run", ""))
    if not workflow_run or tags.get("repo") != workflow_run.group(1):
        print(f"Run {run.id} was not started by pipeline-trigger from a workflow run (no repo: and gh-run: tags): no callback.")
        return
    repository, workflow_run_id = workflow_run.groups()
    api_url = _github_api_url()
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        raise ValueError(f"{TOKEN_ENV} is empty; pass a token with contents: write and actions: read on {repository}")
    try:
        _, found = _call_github("GET", f"{api_url}/repos/{repository}/actions/runs/{workflow_run_id}", token)
        payload = {"commit": found["head_sha"], "run-id": str(run.id)}
        _call_github("POST", f"{api_url}/repos/{repository}/dispatches", token, {"event_type": CALLBACK_EVENT, "client_payload": payload})
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"the callback to {repository} failed: HTTP {error.code} {error.reason}; the token needs contents: write and actions: read") from None
    print(f"Callback sent to {repository}: run {run.id} on {payload['commit'][:12]}")


@step
def hand_on(metrics: Dict[str, float], event_type: str = "evaluate", repository: str = "") -> Annotated[str, "dispatched_event"]:
    """Starts the next pipeline through GitHub with this run's id and the ids of its input artifacts."""
    context = get_step_context()
    artifact_ids: List[str] = [str(artifact.id) for inputs in context.inputs.values() for artifact in inputs]
    dispatch_next(
        event_type,
        {"training_run_id": str(context.pipeline_run.id), "artifact_ids": artifact_ids, "accuracy": metrics.get("accuracy")},
        repository=repository or None,
    )
    print(f"Handed on to {event_type!r} with training run {context.pipeline_run.id}")
    return event_type


@pipeline
def training_then_evaluation(data_url: str = "s3://example-bucket/data.csv", model_type: str = "random_forest", next_event: str = "evaluate") -> None:
    """The tutorial's training pipeline, then a hand-on to the evaluation pipeline through GitHub."""
    data = load_data(data_url)
    metrics = train_and_evaluate(data, model_type)
    hand_on(metrics, event_type=next_event)
