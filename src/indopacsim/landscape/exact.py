"""Exact enumeration of a two-sided landscape's minima and basins (Axelrod & Bennett 1993).

The energy, the move rule and the two-sided algebra are those of
:mod:`indopacsim.landscape.core`; enumeration and exact basins are ours (see
:func:`solve_exact`). Above :data:`MAX_EXACT_ACTORS` actors use the heuristic of
:mod:`indopacsim.landscape.search`.
"""

from __future__ import annotations

import numpy as np

from indopacsim.landscape.core import Landscape
from indopacsim.landscape.result import LandscapeResult, sorted_result

MAX_EXACT_ACTORS = 24
"""Largest ``n`` the exact solver accepts (2**23 configurations)."""

CHUNK_BITS = 16
"""Configurations are processed in chunks of ``2**CHUNK_BITS``."""


class TooLargeError(ValueError):
    """The exact solver was asked for more than :data:`MAX_EXACT_ACTORS` actors."""


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
    low = min(n - 1, chunk_bits)
    minima, succ = _sweep(ls, low, basins)
    total = 1 << (n - 1)
    share = np.full(minima.size, np.nan) if succ is None else _basin_shares(minima, succ, low)
    return sorted_result(ls, index_to_labels(n, minima), share, "exact", 2, total)


def _sweep(ls: Landscape, low: int, basins: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """One pass over all configurations, ``2**low`` at a time: the minima's indices
    (ascending) and, with ``basins``, every configuration's successor under the move rule."""
    n = ls.n
    w, tol = ls.weights, ls.tolerance
    nbits = n - 1
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
    return np.concatenate(found), succ


def _basin_shares(minima: np.ndarray, succ: np.ndarray, low: int) -> np.ndarray:
    """Share of all configurations whose path ends at each minimum: pointer jumping on
    ``succ`` (in place) until every entry is a minimum, then counting, chunk by chunk."""
    total, step = succ.size, 1 << low
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
    return counts / total
