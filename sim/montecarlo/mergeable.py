"""The mergeable aggregate: a dataclass of int64 count and sum arrays that adds up exactly.

A Monte Carlo task returns one per chunk of seasons; merging adds the arrays (integers: exact and
order-free), so a study's result does not depend on the executor, the worker count or the chunk size.
Every field is an int64 array or a nested MergeableArrays (a paired study holds one per scenario);
`to_arrays` / `from_arrays` flatten them for the checkpoint (nested fields as `name__field`).
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T", bound="MergeableArrays")


@dataclasses.dataclass
class MergeableArrays:
    """Base of the study aggregates (`Aggregate`, `PairedAggregate`, the calendar's sporting metrics)."""

    @classmethod
    def field_names(cls) -> list[str]:
        return [item.name for item in dataclasses.fields(cls)]

    def merge(self: T, other: T) -> T:
        """Add `other` into self (exact integer addition) and return self."""
        for name in self.field_names():
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, MergeableArrays):
                mine.merge(theirs)
                continue
            if mine.shape != theirs.shape:
                raise ValueError(f"cannot merge {type(self).__name__} of different layouts "
                                 f"({name} {mine.shape} vs {theirs.shape})")
            mine += theirs
        return self

    def to_arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for name in self.field_names():
            value = getattr(self, name)
            if isinstance(value, MergeableArrays):
                out.update(value.to_arrays(f"{prefix}{name}__"))
            else:
                out[prefix + name] = value
        return out

    @classmethod
    def from_arrays(cls: type[T], arrays: dict[str, np.ndarray], prefix: str = "") -> T:
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for name in cls.field_names():
            kind = hints[name]
            if isinstance(kind, type) and issubclass(kind, MergeableArrays):
                values[name] = kind.from_arrays(arrays, f"{prefix}{name}__")
            else:
                values[name] = np.array(arrays[prefix + name], dtype=np.int64)
        return cls(**values)

    @property
    def nbytes(self) -> int:
        return sum(value.nbytes for value in self.to_arrays().values())

    def equals(self, other: MergeableArrays) -> bool:
        mine, theirs = self.to_arrays(), other.to_arrays()
        return mine.keys() == theirs.keys() and all(np.array_equal(mine[k], theirs[k]) for k in mine)
