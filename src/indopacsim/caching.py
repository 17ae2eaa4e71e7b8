"""One small cache keyed by content, for values derived from a validated scenario.

Replicates, sweep points and workers rebuild the same derived objects (a compiled world,
the static pair terms, the config an event derives) from equal scenarios. Keying by
``id()`` misses whenever an equal scenario is a different object (one unpickled in a
worker, one loaded again by name); keying by the scenario's content digest does not.
The cache is bounded and evicts the least recently used entry.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class ContentCache:
    """A bounded least-recently-used mapping from content keys to derived values.

    Args:
        maxsize: Entries kept; the least recently used is evicted beyond it.
    """

    def __init__(self, maxsize: int = 32):
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = self.misses = 0

    def get_or_build(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """Return the value for ``key``, building (and keeping) it on a miss."""
        try:
            value = self._data[key]
        except KeyError:
            self.misses += 1
            value = build()
            self._data[key] = value
            if len(self._data) > self.maxsize:
                self._data.popitem(last=False)
            return value
        self.hits += 1
        self._data.move_to_end(key)
        return value

    def clear(self) -> None:
        """Drop every entry (and the hit counts)."""
        self._data.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


_DERIVED: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def derived(owner: Any, name: str, build: Callable[[], Any]) -> Any:
    """A value derived from an immutable ``owner`` (e.g. the static terms), built once and
    kept under ``name`` while the owner lives (the owner must be weakly referenceable and
    hashed by identity)."""
    kept = _DERIVED.setdefault(owner, {})
    if name not in kept:
        kept[name] = build()
    return kept[name]


def frozen(*arrays: Any) -> tuple[Any, ...]:
    """The arrays, made read-only (kept values must not change under their keys)."""
    for a in arrays:
        a.setflags(write=False)
    return arrays


__all__ = ["ContentCache", "derived", "frozen"]
