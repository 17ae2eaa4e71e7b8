"""The tie scale: the ladder of institutionalisation every layer shares.

A pair's tie level is an integer from 0 (no security contact) to :data:`MAX_LEVEL`
(treaty alliance). Levels move at most one rung per step; upgrades need both sides,
downgrades one (``docs/model.md``, "Ties"). This module is the single home of the scale:
the scenario schema bounds levels with it, the model's preferences and decisions use it,
and the coalition measures read "strong" ties off it.
"""

from __future__ import annotations

#: Top of the ladder (treaty alliance).
MAX_LEVEL = 5

#: Ties at or above this level count as strong (blocs, the networked-alliance index).
STRONG = 3

#: Short name of each rung, indexed by level.
LEVEL_NAMES: tuple[str, ...] = (
    "none",
    "dialogue",
    "ministerial 2+2",
    "exercises and intelligence",
    "defence-industrial and access",
    "treaty alliance",
)

__all__ = ["LEVEL_NAMES", "MAX_LEVEL", "STRONG"]
