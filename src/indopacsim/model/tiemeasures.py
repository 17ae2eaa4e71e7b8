"""The model's measures that read the ties alone: camp profiles, blocs, the networked
alliance, polarization and the counts of ties by level.

They are the formulas of :mod:`indopacsim.coalitions.measures`; the cells of the tie
matrix they read (the pairs, the US's partners at the start) are fixed when the model
starts and taken here once (:func:`cells`), so each network reads them in one take, and
the networks of many steps are measured at once (:mod:`indopacsim.model.history`).
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
) -> list[dict[str, Any]]:
    """The model's measures that depend on the ties alone, of ``U`` tie networks at once
    (``ties`` (U, N, N)), by name: ``camps`` (U, N) and ``profile`` (its arrays (U, N))
    are the camp scores and the :class:`CampProfile` of each, ``world`` gives the
    capabilities, ``bloc_level`` the level that binds a bloc. Each network's numbers are
    those of the formulas of :mod:`indopacsim.coalitions.measures` on it alone
    (elementwise operations, sums of integers, and each network's sums over its own row);
    its arrays are read-only rows of arrays (U, N)."""
    u, n = ties.shape[:2]
    flat = ties.reshape(u, -1)
    labels = [coalitions.bloc_labels(t, bloc_level) for t in ties]
    blocs = _bloc_summaries(np.array(labels), world.capability)
    strong = flat.take(c.partners, axis=1) >= STRONG
    among = np.count_nonzero(strong[:, : c.among], axis=1).tolist()
    total = np.count_nonzero(strong, axis=1).tolist()
    counts = _counts(flat.take(c.upper, axis=1))
    n_pairs = n * (n - 1) / 2
    mean_level = (counts @ np.arange(MAX_LEVEL + 1) / n_pairs).tolist()
    n_ties = (n_pairs - counts[:, 0]).astype(int).tolist()  # whole numbers: int() of each
    n_strong = np.add.reduce(counts[:, STRONG:], axis=1).tolist()
    n_treaty = counts[:, MAX_LEVEL].tolist()
    p = profile
    hedging = coalitions.hedging_index(p.us_strength, p.cn_strength)
    polarization = _modularity(ties, p.alignment >= 0)
    frozen(camps, p.alignment, p.toward_us, p.toward_china, p.toward_neither, hedging)
    out = []
    for k in range(u):
        frozen(labels[k])
        out.append(
            {
                "camp": camps[k],
                "alignment": p.alignment[k],
                "toward_us": p.toward_us[k],
                "toward_china": p.toward_china[k],
                "toward_neither": p.toward_neither[k],
                "hedging": hedging[k],
                "blocs": labels[k],
                "polarization": polarization[k],
                "n_blocs": blocs[k][0],
                "largest_bloc_share": blocs[k][1],
                "networked_ties": among[k],
                "networked_alliance": among[k] / total[k] if total[k] else 0.0,
                "mean_level": mean_level[k],
                "n_ties": n_ties[k],
                "n_strong": n_strong[k],
                "n_treaty": n_treaty[k],
            }
        )
    return out


def _counts(levels: np.ndarray) -> np.ndarray:
    """The count of pairs at each level (U, levels) of each row of ``levels`` (U, pairs)."""
    u = len(levels)
    offsets = (np.arange(u) * (MAX_LEVEL + 1))[:, None]
    flat = (levels.astype(np.intp) + offsets).reshape(-1)
    return np.bincount(flat, minlength=u * (MAX_LEVEL + 1)).reshape(u, MAX_LEVEL + 1)


def _bloc_summaries(labels: np.ndarray, capability: np.ndarray) -> list[tuple[int, float]]:
    """:func:`~indopacsim.coalitions.measures.bloc_summary` of each row of ``labels`` (U, N)."""
    u, n = labels.shape
    flat = (labels + (np.arange(u) * n)[:, None]).reshape(-1)
    sizes = np.bincount(flat, minlength=u * n).reshape(u, n)
    caps = np.bincount(flat, weights=np.tile(capability, u), minlength=u * n).reshape(u, n)
    multi = sizes >= 2
    n_blocs = np.count_nonzero(multi, axis=1).tolist()
    top = np.maximum.reduce(np.where(multi, caps, -np.inf), axis=1) / np.add.reduce(capability)
    return [(k, float(t) if k else 0.0) for k, t in zip(n_blocs, top.tolist(), strict=True)]


def _modularity(ties: np.ndarray, sides: np.ndarray) -> list[float]:
    """:func:`~indopacsim.coalitions.measures.polarization` of each network (U, N, N), the
    camp side of each state (U, N) given: each network's modularity, summed over its row."""
    u = len(ties)
    w = ties.astype(float)
    two_m = np.add.reduce(w.reshape(u, -1), axis=1)
    strength = np.add.reduce(w, axis=2)
    same = sides[:, :, None] == sides[:, None, :]
    safe = np.where(two_m > 0, two_m, 1.0)[:, None, None]
    expected = strength[:, :, None] * strength[:, None, :] / safe
    q = np.add.reduce(((w - expected) * same).reshape(u, -1), axis=1) / safe[:, 0, 0]
    return [v if m > 0 else 0.0 for v, m in zip(q.tolist(), two_m.tolist(), strict=True)]


__all__ = ["Cells", "cells", "networked_alliance", "tie_measures"]
