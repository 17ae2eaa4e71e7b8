"""Coalition measures on the tie network: blocs, alignment, hedging, networked alliance.

All functions take a tie-level matrix (and, where needed, camp scores or capabilities)
and are vectorized, so the model can call them every step and analysis code can call
them on saved tables (:func:`ties_matrix` rebuilds a step's matrix from ``ties.parquet``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indopacsim.preferences import MAX_LEVEL

#: Level from which a tie counts as strong (joint exercises and intelligence sharing).
STRONG = 3


def alignment_index(ties: np.ndarray, camp: np.ndarray) -> np.ndarray:
    """Tie-weighted mean camp of each state's partners, in [-1, 1] (0 with no ties).

    +1: all tie strength towards the US camp; -1: towards China's; 0: balanced or none.
    """
    w = ties.astype(float)
    total = w.sum(axis=1)
    return np.divide(w @ camp, total, out=np.zeros_like(total), where=total > 0)


def camp_strengths(ties: np.ndarray, camp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tie strength (in rungs / 5) towards the US camp and towards China's camp."""
    w = ties.astype(float) / MAX_LEVEL
    return w @ np.maximum(camp, 0.0), w @ np.maximum(-camp, 0.0)


def hedging_index(us_strength: np.ndarray, cn_strength: np.ndarray) -> np.ndarray:
    """Hedging index in [0, 1]: 2 min(U, C) / (U + C); 1 = equal ties to both camps."""
    total = us_strength + cn_strength
    return np.divide(
        2.0 * np.minimum(us_strength, cn_strength),
        total,
        out=np.zeros_like(total),
        where=total > 0,
    )


def bloc_labels(ties: np.ndarray, level: int = STRONG) -> np.ndarray:
    """Bloc label of each state: connected components of the ties at ``level`` or above.

    Labels are the smallest member index of each component (a state with no such tie is
    its own singleton). Computed by min-label propagation with pointer jumping: O(n^2)
    per round, and the rounds grow with the log of the components' diameter.
    """
    n = ties.shape[0]
    adj = ties >= level
    labels = np.arange(n)
    sentinel = np.full((n, n), n)
    while True:
        neighbour_min = np.where(adj, labels[None, :], sentinel).min(axis=1)
        new = np.minimum(labels, neighbour_min)
        new = new[new]  # pointer jumping
        if np.array_equal(new, labels):
            return labels
        labels = new


def bloc_summary(labels: np.ndarray, capability: np.ndarray) -> tuple[int, float]:
    """Number of blocs (components with two or more members) and the largest's capability share."""
    sizes = np.bincount(labels)
    caps = np.bincount(labels, weights=capability)
    multi = sizes >= 2
    n_blocs = int(multi.sum())
    share = float(caps[multi].max() / capability.sum()) if n_blocs else 0.0
    return n_blocs, share


def networked_alliance(
    ties: np.ndarray,
    partners: np.ndarray,
    us: int,
    pairs: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[int, float]:
    """Strong ties among US partners that do not involve the US (paper §4).

    Args:
        ties: Tie levels.
        partners: Boolean mask of the US partners (the model fixes them at the start:
            states with a strong tie to the US in the initial network).
        us: Index of the US (-1 when absent).
        pairs: Optional precomputed ``np.triu_indices`` of the partners (for speed).

    Returns:
        ``(count, index)``: the number of strong ties between two partners, and that
        number as a share of all strong ties within the partners plus the US.
    """
    idx = np.flatnonzero(partners)
    if pairs is None:
        pairs = np.triu_indices(len(idx), 1)
    among = int((ties[idx[pairs[0]], idx[pairs[1]]] >= STRONG).sum())
    with_us = int((ties[us, idx] >= STRONG).sum()) if us >= 0 else 0
    total = among + with_us
    return among, (among / total if total else 0.0)


def ties_matrix(
    ties_table: pd.DataFrame, codes: list[str] | tuple[str, ...], step: int
) -> np.ndarray:
    """Rebuild the level matrix of one step from a tidy ties table (columns step, a, b, level)."""
    pos = {c: i for i, c in enumerate(codes)}
    rows = ties_table[ties_table["step"] == step]
    m = np.zeros((len(codes), len(codes)), dtype=np.int8)
    ia = rows["a"].map(pos).to_numpy()
    ib = rows["b"].map(pos).to_numpy()
    m[ia, ib] = m[ib, ia] = rows["level"].to_numpy()
    return m
