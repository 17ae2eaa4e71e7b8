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
The heuristic for large ``n`` and for ``k > 2`` sides lives in
:mod:`indopacsim.landscape.search`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from indopacsim.landscape.result import LandscapeResult, Minimum, sorted_result

__all__ = [
    "MAX_EXACT_ACTORS",
    "Landscape",
    "LandscapeResult",
    "Minimum",
    "TooLargeError",
    "energy",
    "energy_batch",
    "frustration",
    "frustration_batch",
    "index_to_labels",
    "solve",
    "solve_exact",
]

MAX_EXACT_ACTORS = 24
"""Largest ``n`` the exact solver accepts (2**23 configurations)."""

CHUNK_BITS = 16
"""Configurations are processed in chunks of ``2**CHUNK_BITS``."""

_BATCH_ROWS = 4096


class TooLargeError(ValueError):
    """The exact solver was asked for more than :data:`MAX_EXACT_ACTORS` actors."""


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


def index_to_labels(n: int, index: np.ndarray) -> np.ndarray:
    """Side labels (int8, actor 0 on side 0) of two-sided configuration indices.

    The enumeration order of :func:`solve_exact` (Axelrod & Bennett 1993 landscape).

    Bit ``k - 1`` of the index is the side of actor ``k`` (``k >= 1``).
    """
    idx = np.asarray(index, dtype=np.int64)
    lab = np.zeros((idx.size, n), dtype=np.int8)
    if n > 1:
        lab[:, 1:] = (idx[:, None] >> np.arange(n - 1)) & 1
    return lab


def solve_exact(
    ls: Landscape, *, basins: bool = True, chunk_bits: int = CHUNK_BITS
) -> LandscapeResult:
    """All local minima and exact basins over the two-sided configurations.

    Method (Axelrod & Bennett 1993 landscape; enumeration and basins are ours):
    actor 0 is fixed on side 0, which removes the mirror symmetry, leaving
    ``N = 2**(n-1)`` configurations indexed by the bits of the other actors. They are
    processed in chunks of ``C = 2**chunk_bits``: the field ``h = W sigma`` of a chunk
    is a precomputed table for the low bits plus one vector for the chunk's high bits,
    so each configuration costs ``O(n)`` (the Gray-code bound) and the whole sweep
    ``O(N n)`` time with ``O(C n)`` working memory; configurations are never all held.
    A configuration is a minimum when its largest gain is ``<= tol``. With
    ``basins=True`` the same sweep records each configuration's successor under the
    deterministic move rule (a move of actor 0 is stored as the mirror image) in a
    ``uint32`` array of ``N`` entries (4 bytes per configuration: 32 MiB at n = 24),
    and pointer jumping (``succ = succ[succ]``, in place, chunk by chunk) maps every
    configuration to its minimum in ``O(N log L)`` for paths of length ``L``.

    Args:
        ls: The landscape; ``ls.n <= MAX_EXACT_ACTORS``.
        basins: Also compute exact basin shares (otherwise basins are NaN).
        chunk_bits: log2 of the chunk size.

    Returns:
        The minima sorted by energy; basins sum to 1.

    Raises:
        TooLargeError: If ``ls.n > MAX_EXACT_ACTORS`` (use the heuristic).
    """
    n = ls.n
    if n > MAX_EXACT_ACTORS:
        raise TooLargeError(
            f"{n} actors is more than the exact solver's limit of {MAX_EXACT_ACTORS}; "
            "use the heuristic search"
        )
    w, tol = ls.weights, ls.tolerance
    nbits = n - 1
    low = min(nbits, chunk_bits)
    size, total = 1 << low, 1 << nbits
    lo = np.arange(size, dtype=np.uint32)
    sig_lo = np.zeros((size, n))
    sig_lo[:, 0] = 1.0
    for k in range(1, low + 1):
        sig_lo[:, k] = 1.0 - 2.0 * ((lo >> (k - 1)) & 1)
    h_lo = sig_lo @ w.T
    flip = np.array([total - 1, *(1 << (k - 1) for k in range(1, n))], dtype=np.uint32)
    succ = np.empty(total, dtype=np.uint32) if basins else None
    rows = np.arange(size)
    prod, sig = np.empty((size, n)), np.empty((size, n))
    found: list[np.ndarray] = []
    for hi in range(1 << (nbits - low)):
        sig_hi = np.zeros(n)
        for k in range(low + 1, n):
            sig_hi[k] = 1.0 - 2.0 * ((hi >> (k - 1 - low)) & 1)
        np.add(h_lo, w @ sig_hi, out=prod)
        np.add(sig_lo, sig_hi, out=sig)
        prod *= sig  # sigma_k h_k = -gain_k
        mover = np.argmin(prod, axis=1)
        moving = -prod[rows, mover] > tol
        x = lo | np.uint32(hi << low)
        if succ is not None:
            succ[hi * size : (hi + 1) * size] = np.where(moving, x ^ flip[mover], x)
        found.append(x[~moving])
    minima = np.concatenate(found)
    if succ is None:
        share = np.full(minima.size, np.nan)
    else:
        step = size  # pointer jumping and counting also go chunk by chunk
        changed = True
        while changed:
            changed = False
            for a in range(0, total, step):
                cur = succ[a : a + step]
                nxt = succ[cur]
                if not changed and not np.array_equal(nxt, cur):
                    changed = True
                succ[a : a + step] = nxt
        counts = np.zeros(minima.size, dtype=np.int64)
        for a in range(0, total, step):
            pos = np.searchsorted(minima, succ[a : a + step])
            counts += np.bincount(pos, minlength=minima.size)
        share = counts / total
    return sorted_result(ls, index_to_labels(n, minima), share, "exact", 2, total)


def solve(
    ls: Landscape,
    *,
    heuristic: bool = False,
    rng: np.random.Generator | None = None,
    n_starts: int = 10_000,
    n_sides: int = 2,
    basins: bool = True,
) -> LandscapeResult:
    """Find the local minima of a landscape (Axelrod & Bennett 1993).

    Args:
        ls: The landscape.
        heuristic: Use multi-start local search (any ``n``, ``n_sides >= 2``) instead
            of exact enumeration (two sides, ``n <= MAX_EXACT_ACTORS``).
        rng: Random generator for the heuristic (required when ``heuristic``).
        n_starts: Random starts for the heuristic.
        n_sides: Number of sides; the exact solver supports only 2.
        basins: Exact solver only: compute basins.

    Raises:
        TooLargeError: Exact solver asked for too many actors.
        ValueError: Bad arguments.
    """
    if heuristic:
        from indopacsim.landscape.search import solve_heuristic

        if rng is None:
            raise ValueError("the heuristic search needs a numpy Generator (rng)")
        return solve_heuristic(ls, rng, n_starts=n_starts, n_sides=n_sides)
    if n_sides != 2:
        raise ValueError("the exact solver is two-sided; use heuristic=True for more sides")
    return solve_exact(ls, basins=basins)
