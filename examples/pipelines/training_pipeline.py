"""The training pipeline from the ZenML tutorial: two parameters, `data_url` and `model_type`.

The data is synthetic (seeded) so the example runs anywhere without network access; a real
pipeline would read `data_url`.
"""

from typing import Dict

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from typing_extensions import Annotated
from zenml import get_step_context, log_metadata, pipeline, step

MODELS = {
    "random_forest": lambda: RandomForestClassifier(n_estimators=50, random_state=42),
    "gradient_boosting": lambda: GradientBoostingClassifier(random_state=42),
}


@step
def load_data(data_url: str) -> Annotated[pd.DataFrame, "dataset"]:
    print(f"Loading data for {data_url!r}")
    rng = np.random.default_rng(42)
    n = 400
    frame = pd.DataFrame({f"feature_{i}": rng.normal(0, 1, n) for i in range(3)})
    frame["target"] = (frame["feature_0"] + rng.normal(0, 0.5, n) > 0).astype(int)
    return frame


@step
def train_and_evaluate(data: pd.DataFrame, model_type: str = "random_forest") -> Annotated[Dict[str, float], "metrics"]:
    if model_type not in MODELS:
        raise ValueError(f"model_type must be one of {sorted(MODELS)}, got {model_type!r}")
    features, target = data.drop(columns="target"), data["target"]
    x_train, x_test, y_train, y_test = train_test_split(features, target, test_size=0.25, random_state=42)
    model = MODELS[model_type]().fit(x_train, y_train)
    accuracy = float(accuracy_score(y_test, model.predict(x_test)))
    print(f"{model_type} accuracy: {accuracy:.3f}")
    # On the run, not the step, so the action reads it as `accuracy` (a step's would be `train_and_evaluate::accuracy`)
    # and a gate such as `accuracy >= baseline - 0.01` can name it.
    log_metadata(metadata={"accuracy": accuracy}, run_id_name_or_prefix=get_step_context().pipeline_run.id)
    return {"accuracy": accuracy}


@pipeline
def training_pipeline(data_url: str = "s3://example-bucket/data.csv", model_type: str = "random_forest") -> None:
    data = load_data(data_url)
    train_and_evaluate(data, model_type)
