"""Read YAML safely and validate it into pydantic models, turning every failure into InputError.

Only PyYAML's safe loader is used (tags that would build Python objects are refused), made stricter:
a key given twice in one mapping and a date that cannot exist are errors with their line, not a silent
overwrite or a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sim.errors import InputError, InputErrors

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "configs"
SCENARIOS = ROOT / "scenarios"

Model = TypeVar("Model", bound=BaseModel)


class _StrictSafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses duplicate keys and impossible dates (2025-02-30) with their line."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue   # `<<: *anchor` merges may be overridden, as YAML intends
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:
                    continue   # unhashable key: the base class reports it
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{key}' given twice in one mapping", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a valid date ({error})", node.start_mark) from None


_StrictSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictSafeLoader.construct_yaml_timestamp)
_StrictSafeLoader.add_constructor("tag:yaml.org,2002:map", _StrictSafeLoader.construct_yaml_map)


class StrictModel(BaseModel):
    """Base of every config model: unknown keys are errors, values are immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Load a YAML file that must hold a mapping; raise InputError on any problem."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, None, "file not found")
    if path.is_dir():
        raise InputError(path, None, "is a directory, expected a YAML file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, None, f"cannot read file ({error})") from None
    try:
        data = yaml.load(text, Loader=_StrictSafeLoader)   # a SafeLoader subclass (see above)
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        line = f"line {mark.line + 1}" if mark else None
        if "could not determine a constructor" in str(error.problem):
            raise InputError(path, line, f"YAML tag not allowed ({error.problem})") from None
        raise InputError(path, line, f"invalid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(path, line, f"invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise InputError(path, None, f"expected a YAML mapping at the top level, got {kind}")
    return data


def format_location(loc: tuple[Any, ...]) -> str:
    """Pydantic error location -> field path such as `classes[0].points.scale`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def validation_errors(path: str | Path, error: ValidationError, prefix: str = "") -> list[InputError]:
    errors = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        field = format_location(loc)
        if prefix:
            field = prefix if field == "(top level)" else f"{prefix}.{field}"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        errors.append(InputError(path, field, message))
    return errors


def parse_model(model: type[Model], data: Any, path: str | Path, prefix: str = "") -> Model:
    """Validate `data` into `model`; every problem becomes one InputError line."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors = validation_errors(path, error, prefix)
        raise (errors[0] if len(errors) == 1 else InputErrors(errors)) from None


def load_model(model: type[Model], path: str | Path) -> Model:
    return parse_model(model, read_yaml(path), path)


def resolve_named(name_or_path: str | Path, folder: str | Path, what: str) -> Path:
    """A path to a YAML file, or the name of one under `folder` (relative to configs/, or absolute)."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.exists():
            raise InputError(candidate, None, "file not found")
        return candidate
    base = Path(folder) if Path(folder).is_absolute() else CONFIGS / folder
    named = base / f"{name_or_path}.yaml"
    if named.exists():
        return named
    known = sorted(p.stem for p in base.glob("*.yaml"))
    raise InputError(None, what, f"unknown {what} '{name_or_path}' (known: {', '.join(known) or 'none'})")


def shown_path(path: str | Path | None) -> str:
    """A file as a reader knows it: relative to the project (scenarios/default.yaml) when inside it."""
    if not path:
        return ""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)
