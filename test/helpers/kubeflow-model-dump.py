"""
Dumps the Kubeflow Pipelines v2beta1 API as the pinned kfp-server-api package (.venv-models)
generates it, as JSON on stdout, for test/helpers/kubeflow-model.ts:
- models: each generated class's JSON members (attribute_map) and their types (openapi_types),
  enums with their allowable_values, and the patterns its setters enforce;
- operations: each API method's path, HTTP method, path/query parameters with their types, body
  parameter and type, required parameters and response type, read from the generated source.
Run with .venv-models/bin/python; reads nothing else.
"""
import inspect
import json
import re
import sys

import kfp_server_api
import kfp_server_api.api as apis
import kfp_server_api.models as models


def dump_models():
    out = {}
    for name, cls in inspect.getmembers(models, inspect.isclass):
        if not hasattr(cls, "openapi_types"):
            continue
        entry = {}
        allowed = getattr(cls, "allowable_values", None)
        if allowed is not None:
            entry["enum"] = list(allowed)
        entry["members"] = {cls.attribute_map[attr]: kind for attr, kind in cls.openapi_types.items()}
        source = inspect.getsource(cls)
        patterns = {}
        for attr, pattern in re.findall(
            r"Invalid value for `(\w+)`, must be a follow pattern or equal to `/(.*?)/`", source
        ):
            patterns[cls.attribute_map[attr]] = pattern
        if patterns:
            entry["patterns"] = patterns
        out[name] = entry
    return out


def dump_operations():
    out = {}
    for _, cls in inspect.getmembers(apis, inspect.isclass):
        for method_name, method in inspect.getmembers(cls, inspect.isfunction):
            if not method_name.endswith("_with_http_info"):
                continue
            source = inspect.getsource(method)
            call = re.search(r"call_api\(\s*'([^']+)', '([A-Z]+)'", source)
            if not call:
                continue
            types = dict(re.findall(r":type (\w+): ([^\n]+)", source))
            params = re.search(r"all_params = \[(.*?)\]", source, re.S)
            names = re.findall(r"'(\w+)'", params.group(1)) if params else []
            body = re.search(r"body_params = local_var_params\['(\w+)'\]", source)
            response = re.search(r"response_type='([^']+)'", source)
            operation_id = method_name[: -len("_with_http_info")]
            out[operation_id] = {
                "path": call.group(1),
                "method": call.group(2),
                "params": {name: types.get(name, "str") for name in names},
                "required": re.findall(r"Missing the required parameter `(\w+)`", source),
                "path_params": re.findall(r"path_params\['([\w.]+)'\]", source),
                "query": re.findall(r"query_params\.append\(\('(\w+)'", source),
                "body": body.group(1) if body else None,
                "response": response.group(1) if response else None,
                "auth": re.findall(r"auth_settings = \[(.*?)\]", source)[0].replace("'", "").split(", ")
                if "auth_settings = [" in source
                else [],
            }
    return out


json.dump(
    {
        "package": "kfp-server-api",
        "version": getattr(kfp_server_api, "__version__", "unknown"),
        "models": dump_models(),
        "operations": dump_operations(),
    },
    sys.stdout,
    indent=1,
    sort_keys=True,
)
