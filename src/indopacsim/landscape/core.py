"""Landscape theory of aggregation (Axelrod & Bennett 1993): energy, minima, basins.

Source: R. Axelrod and D. S. Bennett, "A Landscape Theory of Aggregation",
*British Journal of Political Science* 23(2), 1993, 211-233.

Actors ``i`` have sizes ``s_i > 0`` and symmetric pairwise propensities ``p_ij``
(positive = affinity: they want to be on the same side; the diagonal is zero). A
configuration ``X`` gives every actor a side label; ``d_ij(X) = 1`` when ``i`` and
``j`` are on different sides, else 0.

* Frustration of actor ``i``: ``F_i(X) = sum_{j != i} s_j p_ij d_ij(X)``.
* Energy: ``E(X) = sum over ORDERED pairs i != j of s_i s_j p_ij d_ij(X)
  = sum_i s_i F_i(X)``. Each unordered pair is counted twice, as in the paper.

A configuration is a local minimum when no single actor can lower its own frustration
by switching sides; by symmetry of ``p`` a switch of actor ``k`` changes ``E`` by
``2 s_k (F_k' - F_k)``, so this is the same as no single switch lowering ``E``.

Dynamic for basins. The paper's dynamic is myopic movement of one actor at a time.
To make basins well defined this module uses a deterministic rule: at each step the
actor whose switch lowers its own frustration the most moves (ties: lowest actor
index; with k > 2 sides, then lowest side label); a move must lower frustration by
more than a tolerance ``tol = 1e-10 * max_i sum_j s_j |p_ij|`` (a switch that leaves
frustration unchanged is not a move). Every move lowers ``E`` strictly, so every
path ends at a local minimum. The basin of a minimum is the share of all starting
configurations whose path ends there.

Two-sided algebra used throughout: with spins ``sigma = +1`` (side 0) / ``-1``
(side 1), ``W_kj = p_kj s_j``, ``h = W sigma`` and ``T_k = sum_j W_kj``, the gain of
switching ``k`` is ``g_k = F_k - F_k' = -sigma_k h_k`` and ``F_k = (T_k + g_k) / 2``.

This module is the energy core; the solvers build on it: exact enumeration in
:mod:`indopacsim.landscape.exact`, the heuristic for large ``n`` and ``k > 2`` sides in
:mod:`indopacsim.landscape.search`, the choice between them in
:mod:`indopacsim.landscape.solvers`, and their results in :mod:`indopacsim.landscape.result`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = [
    "Landscape",
    "energy",
    "energy_batch",
    "frustration",
    "frustration_batch",
]

_BATCH_ROWS = 4096


@dataclass(frozen=True, eq=False)
class Landscape:
    """Actors, sizes and propensities of a landscape (Axelrod & Bennett 1993).

    Args:
        names: Unique actor names, in the order used by every array.
        sizes: Shape ``(n,)``, finite and strictly positive.
        propensity: Shape ``(n, n)``, finite, symmetric, zero diagonal; positive means
            affinity (the pair wants to be on the same side).

    Raises:
        ValueError: On any violation; the case loader turns it into an InputError.
    """

    names: tuple[str, ...]
    sizes: np.ndarray
    propensity: np.ndarray

    def __post_init__(self) -> None:
        names = tuple(self.names)
        n = len(names)
        if n == 0:
            raise ValueError("a landscape needs at least one actor")
        if not all(isinstance(x, str) and x for x in names):
            raise ValueError("actor names must be non-empty strings")
        if len(set(names)) != n:
            dup = sorted({x for x in names if names.count(x) > 1})
            raise ValueError(f"duplicate actor names: {', '.join(dup)}")
        sizes = np.array(self.sizes, dtype=float)
        if sizes.shape != (n,):
            raise ValueError(f"sizes must have shape ({n},), not {sizes.shape}")
        if not np.all(np.isfinite(sizes)) or np.any(sizes <= 0):
            bad = [names[i] for i in np.flatnonzero(~(np.isfinite(sizes) & (sizes > 0)))]
            raise ValueError(f"sizes must be finite and positive (bad: {', '.join(bad)})")
        p = np.array(self.propensity, dtype=float)
        if p.shape != (n, n):
            raise ValueError(f"propensity must have shape ({n}, {n}), not {p.shape}")
        if not np.all(np.isfinite(p)):
            raise ValueError("propensities must be finite")
        if np.any(np.diag(p) != 0):
            raise ValueError("propensity diagonal must be zero")
        bad_pairs = np.argwhere(np.triu(p != p.T))
        if bad_pairs.size:
            i, j = bad_pairs[0]
            raise ValueError(
                f"propensity must be symmetric: p[{names[i]}, {names[j]}] = {p[i, j]} "
                f"but p[{names[j]}, {names[i]}] = {p[j, i]}"
            )
        sizes.flags.writeable = False
        p.flags.writeable = False
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "propensity", p)

    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.names)

    @cached_property
    def weights(self) -> np.ndarray:
        """``W[k, j] = p_kj * s_j``, so that ``F = T - (same-side part of W)``."""
        w = self.propensity * self.sizes[None, :]
        w.flags.writeable = False
        return w

    @cached_property
    def tolerance(self) -> float:
        """Smallest frustration decrease that counts as a move (see module docstring)."""
        return 1e-10 * float(np.abs(self.weights).sum(axis=1).max(initial=0.0))


def _as_labels(ls: Landscape, configs: np.ndarray | Sequence[int], ndim: int) -> np.ndarray:
    arr = np.asarray(configs)
    if arr.ndim != ndim or arr.shape[-1] != ls.n:
        want = "(n,)" if ndim == 1 else "(m, n)"
        raise ValueError(f"side labels must have shape {want} with n = {ls.n}, not {arr.shape}")
    if arr.dtype.kind not in "iub":
        raise ValueError(f"side labels must be integers, not {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def frustration_batch(ls: Landscape, configs: np.ndarray) -> np.ndarray:
    """Frustration of every actor in many configurations (Axelrod & Bennett 1993).

    ``F_i(X) = sum_{j != i} s_j p_ij d_ij(X)``, computed as ``T_i`` minus the
    same-side part, one side label at a time (``O(m n^2)`` per distinct label), in
    row batches so memory stays ``O(batch * n)``.

    Args:
        ls: The landscape.
        configs: Integer side labels, shape ``(m, n)``; any number of sides.

    Returns:
        Array of shape ``(m, n)``.
    """
    lab = _as_labels(ls, configs, 2)
    w = ls.weights
    total = w.sum(axis=1)
    out = np.empty(lab.shape, dtype=float)
    for a in range(0, lab.shape[0], _BATCH_ROWS):
        part = lab[a : a + _BATCH_ROWS]
        same = np.zeros(part.shape, dtype=float)
        for c in np.unique(part):
            member = (part == c).astype(float)
            same += member * (member @ w.T)
        out[a : a + _BATCH_ROWS] = total[None, :] - same
    return out


def energy_batch(ls: Landscape, configs: np.ndarray) -> np.ndarray:
    """Energy of many configurations: ``E = sum_i s_i F_i`` (ordered pairs, Axelrod & Bennett 1993).

    Args:
        ls: The landscape.
        configs: Integer side labels, shape ``(m, n)``.

    Returns:
        Array of shape ``(m,)``.
    """
    return frustration_batch(ls, configs) @ ls.sizes


def frustration(ls: Landscape, sides: np.ndarray | Sequence[int]) -> np.ndarray:
    """Frustration ``F_i`` of each actor for one side-label vector (Axelrod & Bennett 1993)."""
    return frustration_batch(ls, _as_labels(ls, sides, 1)[None, :])[0]


def energy(ls: Landscape, sides: np.ndarray | Sequence[int]) -> float:
    """Energy ``E(X)`` over ordered pairs (each unordered pair twice; Axelrod & Bennett 1993)."""
    return float(energy_batch(ls, _as_labels(ls, sides, 1)[None, :])[0])
