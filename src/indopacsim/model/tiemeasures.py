"""The model's measures that read the ties alone: camp profiles, blocs, the networked
alliance, polarization and the counts of ties by level.

They are the formulas of :mod:`indopacsim.coalitions.measures`; the cells of the tie
matrix they read (the pairs, the US's partners at the start) are fixed when the model
starts and taken here once (:func:`cells`), so each step reads them in one take. The
engine keeps the measures while the ties hold (``Engine.kept``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from indopacsim.caching import frozen
from indopacsim.coalitions import measures as coalitions
from indopacsim.model.recorder import upper_pairs
from indopacsim.tiescale import MAX_LEVEL, STRONG

if TYPE_CHECKING:
    from indopacsim.model.world import World


@dataclass(frozen=True)
class Cells:
    """Flat cells of an (N, N) tie matrix that the measures read (read-only).

    Attributes:
        upper: The pairs above the diagonal, in ``np.triu_indices`` order.
        partners: The pairs among the US's partners, then each partner's tie to the US.
        among: How many of ``partners`` are pairs among the partners.
    """

    upper: np.ndarray
    partners: np.ndarray
    among: int


def cells(n: int, partners: np.ndarray, us: int) -> Cells:
    """The :class:`Cells` of ``n`` states with the US's partners ``partners`` (N,) bool."""
    idx = np.flatnonzero(partners)
    a, b = upper_pairs(len(idx))
    with_us = us * n + idx if us >= 0 else idx[:0]
    ua, ub = upper_pairs(n)
    upper, both = frozen(ua * n + ub, np.concatenate([idx[a] * n + idx[b], with_us]))
    return Cells(upper, both, len(a))


def networked_alliance(ties: np.ndarray, c: Cells) -> tuple[int, float]:
    """:func:`indopacsim.coalitions.measures.networked_alliance` read from the cells."""
    strong = ties.reshape(-1).take(c.partners) >= STRONG
    among = int(np.count_nonzero(strong[: c.among]))
    total = among + int(np.count_nonzero(strong[c.among :]))
    return among, (among / total if total else 0.0)


def tie_measures(
    ties: np.ndarray,
    camps: np.ndarray,
    profile: coalitions.CampProfile,
    world: World,
    bloc_level: int,
    c: Cells,
) -> list[tuple[str, Any]]:
    """The model's measures that depend on the ties (N, N) alone, as (name, value) pairs:
    ``camps`` and ``profile`` are the camp scores (N,) and :class:`CampProfile` of the ties,
    ``world`` gives the capabilities, ``bloc_level`` the level that binds a bloc."""
    n = len(ties)
    n_pairs = n * (n - 1) / 2
    labels = coalitions.bloc_labels(ties, bloc_level)
    n_blocs, largest = coalitions.bloc_summary(labels, world.capability)
    networked = networked_alliance(ties, c)
    levels = ties.reshape(-1).take(c.upper).astype(np.intp)
    counts = np.bincount(levels, minlength=MAX_LEVEL + 1)
    hedging = coalitions.hedging_index(profile.us_strength, profile.cn_strength)
    frozen(profile.toward_us, profile.toward_china, profile.toward_neither, hedging, labels)
    return [
        ("camp", camps),
        ("alignment", profile.alignment),
        ("toward_us", profile.toward_us),
        ("toward_china", profile.toward_china),
        ("toward_neither", profile.toward_neither),
        ("hedging", hedging),
        ("blocs", labels),
        ("polarization", coalitions.polarization(ties, profile.alignment)),
        ("n_blocs", n_blocs),
        ("largest_bloc_share", largest),
        ("networked_ties", networked[0]),
        ("networked_alliance", networked[1]),
        ("mean_level", float(counts @ np.arange(MAX_LEVEL + 1) / n_pairs)),
        ("n_ties", int(n_pairs - counts[0])),
        ("n_strong", int(counts[STRONG:].sum())),
        ("n_treaty", int(counts[MAX_LEVEL])),
    ]


__all__ = ["Cells", "cells", "networked_alliance", "tie_measures"]
