"""What the Catalog's frozen dataclasses share: the empty read-only mapping and how a derived field is set."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

EMPTY: Mapping = MappingProxyType({})


def freeze(obj: object, name: str, value: object) -> None:
    """Set a derived field on a frozen dataclass while it is being built (in its `__post_init__`)."""
    object.__setattr__(obj, name, value)
