"""Results of the landscape solvers: the minima of a landscape and the fit to an
observed alignment (Axelrod & Bennett 1993, "A Landscape Theory of Aggregation")."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from indopacsim.landscape.core import Landscape, energy_batch, frustration

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, eq=False)
class Minimum:
    """One local minimum of the landscape.

    Attributes:
        sides: Actor names on each side, side order as in ``labels`` (the side of the
            first actor is side 0); a side may be empty.
        energy: ``E`` at the minimum (ordered-pair convention).
        basin: Share of starting configurations reaching it (exact or estimated).
        labels: Side label of each actor.
    """

    sides: list[list[str]]
    energy: float
    basin: float
    labels: np.ndarray


@dataclass(frozen=True, eq=False)
class LandscapeResult:
    """Local minima of a landscape, sorted by energy (Axelrod & Bennett 1993).

    Attributes:
        landscape: The landscape solved.
        labels: Shape ``(M, n)``, canonical side labels of each minimum (first actor
            on side 0; further sides numbered by first appearance).
        energies: Shape ``(M,)``, ascending.
        basins: Shape ``(M,)``; sums to 1 for the exact solver.
        method: ``"exact"`` or ``"heuristic"``.
        n_sides: Number of sides allowed.
        n_starts: Configurations enumerated (exact: ``2**(n-1)``) or random starts.
    """

    landscape: Landscape
    labels: np.ndarray
    energies: np.ndarray
    basins: np.ndarray
    method: str
    n_sides: int
    n_starts: int

    @cached_property
    def minima(self) -> tuple[Minimum, ...]:
        """All minima as :class:`Minimum` objects, lowest energy first."""
        return tuple(self.minimum(i) for i in range(len(self.energies)))

    def minimum(self, rank: int) -> Minimum:
        """The minimum of the given 0-based rank."""
        lab = self.labels[rank]
        names = self.landscape.names
        sides = [[names[i] for i in np.flatnonzero(lab == c)] for c in range(self.n_sides)]
        return Minimum(sides, float(self.energies[rank]), float(self.basins[rank]), lab.copy())

    @property
    def best(self) -> Minimum:
        """The lowest-energy minimum found."""
        return self.minimum(0)

    def frustration_at(self, rank: int = 0) -> dict[str, float]:
        """Each actor's frustration at the minimum of the given rank."""
        f = frustration(self.landscape, self.labels[rank])
        return dict(zip(self.landscape.names, (float(x) for x in f), strict=True))

    def to_frame(self, top: int | None = None) -> pd.DataFrame:
        """Minima as a DataFrame: ``rank`` (1-based), ``energy``, ``basin``, ``side_1``...."""
        import pandas as pd

        rows = []
        for r in range(len(self.energies) if top is None else min(top, len(self.energies))):
            m = self.minimum(r)
            row: dict[str, object] = {"rank": r + 1, "energy": m.energy, "basin": m.basin}
            row.update({f"side_{c + 1}": list(s) for c, s in enumerate(m.sides)})
            rows.append(row)
        cols = ["rank", "energy", "basin", *(f"side_{c + 1}" for c in range(self.n_sides))]
        return pd.DataFrame(rows, columns=cols)

    def _matching(self, observed_sides: Sequence[Sequence[str]], rank: int) -> list[str]:
        index = {name: i for i, name in enumerate(self.landscape.names)}
        seen: set[str] = set()
        for side in observed_sides:
            for name in side:
                if name not in index:
                    raise ValueError(f"unknown actor in observed alignment: {name!r}")
                if name in seen:
                    raise ValueError(f"actor listed twice in observed alignment: {name!r}")
                seen.add(name)
        if len(observed_sides) > self.n_sides:
            raise ValueError(f"observed has {len(observed_sides)} sides, result {self.n_sides}")
        lab = self.labels[rank]
        best: list[str] | None = None
        for perm in itertools.permutations(range(self.n_sides), len(observed_sides)):
            wrong = [
                name
                for side, c in zip(observed_sides, perm, strict=True)
                for name in side
                if lab[index[name]] != c
            ]
            if best is None or len(wrong) < len(best):
                best = wrong
        return sorted(best or [], key=index.__getitem__)

    def misplaced(self, observed_sides: Sequence[Sequence[str]], rank: int = 0) -> int:
        """How many actors the minimum misplaces against an observed alignment.

        The minimum is taken over the ways of matching observed sides to predicted
        sides (two ways for two sides). Actors absent from ``observed_sides`` are not
        scored. This is the fit measure of Axelrod & Bennett (1993).
        """
        return len(self._matching(observed_sides, rank))

    def misplaced_actors(self, observed_sides: Sequence[Sequence[str]], rank: int = 0) -> list[str]:
        """Names of the actors counted by :meth:`misplaced`, in landscape order."""
        return self._matching(observed_sides, rank)


def sorted_result(
    ls: Landscape, labels: np.ndarray, basins: np.ndarray, method: str, n_sides: int, n: int
) -> LandscapeResult:
    """A result with minima ordered by energy (ties: larger basin first), read-only."""
    energies = energy_batch(ls, labels) if len(labels) else np.empty(0)
    order = np.lexsort((-basins, energies))
    lab, ens, bas = labels[order], energies[order], basins[order]
    for arr in (lab, ens, bas):
        arr.flags.writeable = False
    return LandscapeResult(ls, lab, ens, bas, method, n_sides, n)
