"""Entrypoint for the action's `command` target: run a pipeline from a ZenML YAML run config.

The action runs `python run.py --config <run-config.yaml>` with no shell. Parameters arrive in the
run config (pipeline-level `parameters:` and step-level `steps.<step>.parameters`), never on the
command line, so no value is ever parsed as code. When the run ends, this script writes
`{"run_id", "run_url", "status"}` to the file named by PIPELINE_TRIGGER_RESULT, and the run's
metadata (what the pipeline logged with log_metadata) to the file named by PIPELINE_TRIGGER_METRICS:
without a ZenML server the action has no other way to read the run's metrics for its gates.
"""

import argparse
import json
import os
import sys

from zenml.client import Client

from handoff import training_then_evaluation
from training_pipeline import training_pipeline

PIPELINES = {"training_pipeline": training_pipeline, "training_then_evaluation": training_then_evaluation}


def dashboard_url(run_id: str) -> str:
    """The run's dashboard URL when the client talks to a server; empty for a local store."""
    store = Client().zen_store
    url = getattr(store, "url", "") or ""
    if not url.startswith("http"):
        return ""
    return f"{url.rstrip('/')}/projects/{Client().active_project.name}/runs/{run_id}"


def find_run(name: str):
    """The run with the action's run name, if the pipeline got as far as creating it."""
    if not name:
        return None
    try:
        return Client().get_pipeline_run(name)
    except KeyError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True, help="ZenML YAML run config written by the action")
    parser.add_argument("--pipeline", default=os.environ.get("PIPELINE_NAME", "training_pipeline"))
    args = parser.parse_args()
    if args.pipeline not in PIPELINES:
        print(f"unknown pipeline {args.pipeline!r}; known: {', '.join(sorted(PIPELINES))}", file=sys.stderr)
        return 2

    try:
        run = PIPELINES[args.pipeline].with_options(config_path=args.config)()
    except Exception as error:  # a failed step raises; report the run it belongs to
        print(f"pipeline failed: {error!r}", file=sys.stderr)
        run = find_run(os.environ.get("PIPELINE_RUN_NAME", ""))
        if run is None:
            return 1
    status = str(getattr(run.status, "value", run.status)) if run else "unknown"
    result = {"run_id": str(run.id) if run else "", "run_url": dashboard_url(str(run.id)) if run else "", "status": status}

    result_path = os.environ.get("PIPELINE_TRIGGER_RESULT")
    if result_path:
        with open(result_path, "w", encoding="utf-8") as handle:
            json.dump(result, handle)
    print(json.dumps(result))
    metrics_path = os.environ.get("PIPELINE_TRIGGER_METRICS")
    if metrics_path and run:
        write_metrics(metrics_path, str(run.id))
    return 0 if status in ("completed", "cached") else 1


def write_metrics(path: str, run_id: str) -> None:
    """The run's metadata, numbers and strings only, as the action reads metrics."""
    metadata = Client().get_pipeline_run(run_id).run_metadata
    metrics = {key: value for key, value in metadata.items() if isinstance(value, (int, float, str)) and not isinstance(value, bool)}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(metrics, handle)


if __name__ == "__main__":
    sys.exit(main())
