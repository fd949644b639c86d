"""Registry of config file kinds for `sim validate` and `sim schema`: kind -> pydantic model + where it lives.

Models are imported lazily ("module:Class"), so a missing or half-built module only disables its own
kind. Adding a kind is one `ConfigKind(...)` line in `KINDS`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim.errors import InputError


@dataclass(frozen=True)
class ConfigKind:
    name: str
    model_path: str  # "package.module:ClassName"
    folders: tuple[str, ...] = ()  # files under e.g. configs/series/ are this kind
    files: tuple[str, ...] = ()  # or files with these names, e.g. configs/venues.yaml

    def model(self) -> type[BaseModel]:
        module_name, class_name = self.model_path.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            raise InputError(None, f"kind {self.name}", f"its schema module {module_name} is not available ({error})") from None
        return getattr(module, class_name)

    def available(self) -> bool:
        try:
            self.model()
        except (InputError, ImportError, AttributeError):
            return False
        return True

    def matches_path(self, path: Path) -> bool:
        parts = path.resolve().parts
        folder_match = any(tuple(parts[-1 - len(f.split("/")):-1]) == tuple(f.split("/")) for f in self.folders)
        file_match = any(tuple(parts[-len(f.split("/")):]) == tuple(f.split("/")) for f in self.files)
        return folder_match or file_match


KINDS: dict[str, ConfigKind] = {kind.name: kind for kind in (
    ConfigKind("series", "sim.config.series:SeriesRulebook", folders=("configs/series",)),
    ConfigKind("venues", "sim.config.venues:VenueBook", files=("configs/venues.yaml",)),
    ConfigKind("entries", "sim.config.entries:EntryList", folders=("configs/entries",)),
    ConfigKind("scenario", "sim.config.scenario:Scenario", folders=("scenarios",)),
    ConfigKind("sporting", "sim.config.sporting:Sporting", folders=("configs/sporting",)),
    ConfigKind("race-model", "sim.config.race_model:RaceModel", files=("configs/race-model.yaml",)),
    ConfigKind("calendars", "sim.config.calendars:ChampionshipCalendar", folders=("configs/calendars",)),
    ConfigKind("logistics", "sim.config.calendars:Logistics", files=("configs/logistics.yaml",)),
    ConfigKind("calendar-search", "sim.config.calendars:SearchConstraints", folders=("configs/calendar-search",)),
    ConfigKind("strength", "sim.config.strength:StrengthModel", files=("configs/strength.yaml",)),
)}


def get_kind(name: str) -> ConfigKind:
    if name not in KINDS:
        raise InputError(None, "KIND", f"unknown config kind '{name}' (known: {', '.join(KINDS)})")
    return KINDS[name]


def detect_kind(path: Path, data: dict[str, Any]) -> ConfigKind:
    """The kind of a config file: by its place (configs/series/, scenarios/ ...), else by its top-level keys.

    By keys, a kind matches when the file has every required field of its model and no field the model
    lacks; the match with the most required fields wins. A file that fits no kind exactly (a misspelt or
    missing field) is taken as the kind that knows most of its keys, when one clearly does, so that
    validation names the field rather than giving up on the file.
    """
    for kind in KINDS.values():
        if kind.matches_path(path):
            return kind
    best, best_score = None, -1
    keys = set(data)
    closeness = []
    for kind in KINDS.values():
        if not kind.available():
            continue
        fields = kind.model().model_fields
        names = {info.alias or name for name, info in fields.items()} | set(fields)
        required = {info.alias or name for name, info in fields.items() if info.is_required()}
        if required <= keys and keys <= names and len(required) > best_score:
            best, best_score = kind, len(required)
        # known keys and present required fields count for the kind, unknown keys and missing ones against
        closeness.append((len(keys & names) + len(keys & required) - len(keys - names) - len(required - keys),
                          len(keys & names), kind))
    if best is None and closeness:
        closeness.sort(key=lambda item: item[:2], reverse=True)
        score, known, kind = closeness[0]
        runner_up = closeness[1][0] if len(closeness) > 1 else -len(keys) - 1
        if known * 2 >= len(keys) and score > runner_up:
            best = kind
    if best is None:
        raise InputError(path, None, f"cannot tell which kind of config this is (kinds: {', '.join(KINDS)}); "
                                     "use --kind")
    return best
