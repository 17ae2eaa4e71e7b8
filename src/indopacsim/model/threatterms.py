"""The threat terms of a step, their factors of the ties alone kept while the ties hold.

The threat grows with the years and crises move the alarm, so the threat, the partners'
willingness, the lattice's cover and the budget are computed at every step
(``docs/model.md``, Threat; :func:`~indopacsim.model.kernel.threat`,
:func:`~indopacsim.model.kernel.willingness`). The depths among the threat sources that
the axis reads are computed once per network (:func:`axis.source_depths`). Every number
is the one of the plain formulas, to the bit, and every array has the memory layout the
plain formulas give it (``tests/test_speed_identity.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from indopacsim.caching import derived, frozen
from indopacsim.model import axis
from indopacsim.model import kernel as K
from indopacsim.model.terms import Terms

if TYPE_CHECKING:
    from indopacsim.model.engine import Engine


def _growth_base(tm: Terms) -> np.ndarray:
    """``1 + g_k`` (K,): the base of each source's growth, kept per terms (read-only)."""
    return derived(tm, "growth base", lambda: frozen(1.0 + tm.growth)[0])


def threat_terms(eng: Engine) -> tuple[np.ndarray, ...]:
    """The threat, the willingness, the lattice cover (R, N, K) and the budget (R, N) now
    (read-only), as :func:`~indopacsim.model.kernel.threat`,
    :func:`~indopacsim.model.kernel.willingness` and
    :func:`~indopacsim.model.kernel.lattice_cover` compute them."""
    tm, lv, (_, lattice, _, free) = eng.terms, eng.levels(), eng.depths()
    if tm.pooling <= 0:
        t = K.threat(tm, lv, eng.alarm, eng.years, free)
    else:
        build = lambda: frozen(axis.source_depths(tm, lv))[0]  # noqa: E731
        depth_t = eng.kept("source depths", (eng.ties.tobytes(),), build)
        t = threat(tm, eng.alarm, eng.years, free, depth_t)
    will = K.willingness(t, tm, lv, eng.config.threat.solidarity, free)
    cover = K.lattice_cover(lv, will, eng.world.us, lattice)
    return frozen(t, will, cover, eng.budget(t))


def threat(
    tm: Terms,
    alarm: np.ndarray,
    years: float | tuple[float, ...],
    free: np.ndarray,
    depth_t: np.ndarray,
) -> np.ndarray:
    """T_ik with the axis pooled (``threat.pooling`` > 0): the expressions of
    :func:`~indopacsim.model.kernel.threat` and :func:`axis.with_axis`, with the depths
    among the sources kept (:func:`axis.source_depths`); ``years``: one number, or one per
    run. The same temporaries in the same order: numpy reuses a temporary's memory for the
    next product or sum when it is large, so the threat's memory layout is the plain
    formula's too (and the products that read it sum in the same order)."""
    y = years if isinstance(years, float) else np.atleast_1d(years)[:, None]  # one, or (R, 1)
    grow = np.power(_growth_base(tm), y)[..., None, :]  # (1, K) or (R, 1, K)
    direct = tm.base_threat[None] * grow * free
    return (direct + tm.pooling * free * axis.pooled_by(tm, direct, depth_t)) * (1.0 + alarm)


__all__ = ["threat", "threat_terms"]
