"""The front door of the landscape solvers (Axelrod & Bennett 1993): exact enumeration
(:mod:`indopacsim.landscape.exact`) or multi-start local search
(:mod:`indopacsim.landscape.search`)."""

from __future__ import annotations

import numpy as np

from indopacsim.landscape.core import Landscape
from indopacsim.landscape.exact import solve_exact
from indopacsim.landscape.result import LandscapeResult
from indopacsim.landscape.search import solve_heuristic


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
        if rng is None:
            raise ValueError("the heuristic search needs a numpy Generator (rng)")
        return solve_heuristic(ls, rng, n_starts=n_starts, n_sides=n_sides)
    if n_sides != 2:
        raise ValueError("the exact solver is two-sided; use heuristic=True for more sides")
    return solve_exact(ls, basins=basins)
