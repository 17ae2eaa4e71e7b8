"""Heuristic minima search for landscape theory (Axelrod & Bennett 1993), any n, k sides.

Source: R. Axelrod and D. S. Bennett, "A Landscape Theory of Aggregation",
*British Journal of Political Science* 23(2), 1993, 211-233.

Multi-start local search: ``n_starts`` configurations are drawn uniformly from all
``k**n`` labelings with a caller-supplied :class:`numpy.random.Generator` (never the
global NumPy state), and each descends under exactly the deterministic myopic move
rule of :mod:`indopacsim.landscape.core` (the actor whose move lowers its own frustration
the most moves; ties by lowest actor index, then lowest side label; moving into an
empty side is allowed). Distinct end points, canonically relabelled (first actor on
side 0, further sides numbered by first appearance), are the minima found; the share
of starts ending at each estimates its basin (for two sides, an unbiased estimate of
the exact basin, whose standard error is ``sqrt(b (1 - b) / n_starts)``).

Limits: a minimum whose basin is much smaller than ``1 / n_starts`` may be missed,
possibly including the global minimum; the exact solver has no such gap for
``n <= 24``. Cost per start is ``O(k n^2)`` to set up plus ``O(k n)`` per move, with
memory ``O(batch k n)``.

With ``k > 2`` sides a configuration is a local minimum when no actor can lower its
frustration by moving to any other side; energy and frustration keep the two-sided
formulas with ``d_ij = 1`` whenever labels differ.
"""

from __future__ import annotations

import numpy as np

from indopacsim.landscape.core import Landscape
from indopacsim.landscape.result import LandscapeResult, sorted_result


def canonical_labels(labels: np.ndarray, n_sides: int) -> np.ndarray:
    """Relabel sides by order of first appearance (row by row), so equal partitions match.

    Configurations of Axelrod & Bennett (1993) are partitions: side names carry no
    meaning, so minima are compared in this canonical form.

    Args:
        labels: Shape ``(m, n)``, integers in ``[0, n_sides)``.
        n_sides: Number of side labels.

    Returns:
        int8 array of the same shape; the first actor is always on side 0.
    """
    lab = np.asarray(labels, dtype=np.int64)
    n = lab.shape[1]
    present = lab[:, :, None] == np.arange(n_sides)[None, None, :]
    first = np.where(present.any(axis=1), present.argmax(axis=1), n + np.arange(n_sides))
    rank = np.argsort(np.argsort(first, axis=1, kind="stable"), axis=1, kind="stable")
    return np.take_along_axis(rank, lab, axis=1).astype(np.int8)


def descend(ls: Landscape, labels: np.ndarray, n_sides: int = 2) -> np.ndarray:
    """Apply the deterministic myopic move rule until every configuration is a minimum.

    Args:
        ls: The landscape (Axelrod & Bennett 1993).
        labels: Starting side labels, shape ``(m, n)``, values in ``[0, n_sides)``.
        n_sides: Number of sides allowed.

    Returns:
        The local minima reached, shape ``(m, n)`` (not canonicalised).
    """
    lab = np.array(labels, dtype=np.int64)
    m, n = lab.shape
    if lab.size and (lab.min() < 0 or lab.max() >= n_sides):
        raise ValueError(f"side labels must lie in [0, {n_sides})")
    w, tol = ls.weights, ls.tolerance
    # q[r, i, c] = sum over j on side c of W[i, j]: the pull of side c on actor i.
    q = np.stack([(lab == c).astype(float) @ w.T for c in range(n_sides)], axis=2)
    active = np.arange(m)
    # every move lowers the energy by more than tol, so descent ends; the guard turns a
    # broken invariant into an error instead of an endless loop
    for _ in range(100 * n * n_sides + 100):
        if not active.size:
            break
        qa = q[active]
        own = np.take_along_axis(qa, lab[active][:, :, None], axis=2)
        gain = (qa - own).reshape(active.size, n * n_sides)
        best = gain.argmax(axis=1)
        moving = gain[np.arange(active.size), best] > tol
        rows, best = active[moving], best[moving]
        actor, new = best // n_sides, best % n_sides
        old = lab[rows, actor]
        q[rows, :, old] -= w[:, actor].T
        q[rows, :, new] += w[:, actor].T
        lab[rows, actor] = new
        active = rows
    else:
        raise RuntimeError("landscape descent did not converge (energy failed to decrease)")
    return lab


def solve_heuristic(
    ls: Landscape,
    rng: np.random.Generator,
    *,
    n_starts: int = 10_000,
    n_sides: int = 2,
    batch: int = 4096,
) -> LandscapeResult:
    """Multi-start local search for minima and estimated basins (Axelrod & Bennett 1993).

    Args:
        ls: The landscape, any size.
        rng: Source of all randomness.
        n_starts: Number of uniform random starting configurations.
        n_sides: Number of sides (``>= 2``).
        batch: Starts descended together (memory ``O(batch * n_sides * n)``).

    Returns:
        Minima found, sorted by energy; ``basin`` is the share of starts reaching each.
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator")
    if n_starts < 1 or n_sides < 2 or batch < 1:
        raise ValueError("need n_starts >= 1, n_sides >= 2 and batch >= 1")
    ends = []
    for a in range(0, n_starts, batch):
        start = rng.integers(0, n_sides, size=(min(batch, n_starts - a), ls.n))
        ends.append(canonical_labels(descend(ls, start, n_sides), n_sides))
    uniq, counts = np.unique(np.concatenate(ends), axis=0, return_counts=True)
    return sorted_result(ls, uniq, counts / n_starts, "heuristic", n_sides, n_starts)
