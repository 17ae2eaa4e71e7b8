"""The values of a move a rung up and a rung down, from the parts the ties and bonds keep.

:func:`indopacsim.model.kernel.value_at` sums ``V_ij(L)`` term by term. Of its terms, only
security and the lattice (the step's pressures) and the strain of upkeep (the budget)
move every step; affinity and bonds, the channel, trade and inducements, the risk of
exposure and the upkeep before strain are products of what the ties and the bonds alone
decide. :func:`fixed_parts` computes those products once for the stacked levels (the
engine keeps them while the ties and the bonds hold); :func:`value_steps` adds them in
the order of :func:`~indopacsim.model.kernel.value_at`, so every value is the same number
(``tests/test_speed_identity.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from indopacsim.caching import frozen
from indopacsim.model import hazards
from indopacsim.model import kernel as K
from indopacsim.model.kernel import Policy, Pressures
from indopacsim.model.terms import Terms
from indopacsim.tiescale import MAX_LEVEL

if TYPE_CHECKING:
    from indopacsim.model.engine import Engine


def values(eng: Engine) -> tuple[np.ndarray, np.ndarray, Pressures, np.ndarray]:
    """Noise-free (up, down) marginal values, the pressures and the threat (see
    :meth:`Engine.values <indopacsim.model.engine.Engine.values>`)."""
    pr, t, _, _ = eng.pressures()
    stack, anchors, opening, rise, fall, sq = eng._ladder()
    if anchors is None:  # large networks: level by level, nothing more kept
        args = (pr, eng.terms, eng.policy, eng.bond, eng.weights())
        fixed = eng.kept("value terms", (eng.bond.tobytes(),), lambda: K.value_terms(*args))
        vt = K.value_terms(*args, fixed)
        up, down = hazards.value_steps(stack, vt, eng.world.us, anchors)
    else:
        bond = (eng.bond.tobytes(),)
        coef = eng.kept(
            "value coefficients",
            bond,
            lambda: coefficients(eng.terms, eng.policy, eng.bond, eng.weights()),
        )
        build = lambda: fixed_parts(anchors, eng.exposure(), coef, eng.terms)  # noqa: E731
        kept = eng.kept("value parts", (eng.ties.tobytes(), *bond), build)
        up, down = value_steps(kept, pr, anchors[0], eng.policy.us_weight, eng.world.us)
    up_extra, down_extra = extra_steps(eng, t, rise, fall)
    up -= opening
    up += up_extra
    down += down_extra
    if sq is not None:
        up += sq[0]
        down += sq[1]
    shared = shared_steps(eng)
    if shared is not None:
        up += shared
        down -= shared
    return up, down, pr, t


def shared_steps(eng: Engine) -> np.ndarray | None:
    """w S_ij / top (R, N, N): the value of a rung of the partners a pair shares, with
    ``S_ij = sum_k DEPTH[L_ik] DEPTH[L_jk]`` (triadic closure: Heider 1946; Cranmer,
    Desmarais & Menninga 2012), counted per rung as affinity is; kept while the ties
    hold. ``None`` when ``weights.shared_partners`` is 0 (the term is off)."""
    w = eng.config.weights.shared_partners
    if w == 0:
        return None

    def build() -> np.ndarray:
        depth = eng.depths()[0]
        return frozen(w * np.matmul(depth, depth.transpose(0, 2, 1)) / MAX_LEVEL)[0]

    return eng.kept("shared partners", (eng.ties.tobytes(), w), build)


def extra_steps(
    eng: Engine, t: np.ndarray, rise: np.ndarray, fall: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The doctrines' extra value of a rung up and of a rung down (R, N, N): kept while the
    ties hold when no doctrine's extra reads the threat (:func:`doctrines.ties_only`, kept
    by the engine with the doctrines)."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        extra = eng.extras(t)
        return extra * rise, extra * fall

    if not eng.extras_ties_only:
        return build()
    return eng.kept("extra steps", (eng.ties.tobytes(),), lambda: frozen(*build()))


def coefficients(
    tm: Terms, pol: Policy, bond: np.ndarray, w: tuple[float, float, float, float, float]
) -> tuple[np.ndarray, ...]:
    """The factors of ``V(L)`` free of the ties and of the step (read-only): the security,
    lattice and risk coefficients (R, N, 1), affinity and bonds, channel, economic (R, N, 1)
    and upkeep, as :func:`~indopacsim.model.kernel.value_terms` computes them."""
    w_s, w_c, w_e, w_r, w_n = w
    return frozen(
        w_s * pol.security[:, :, None],
        w_n * pol.security[:, :, None],
        pol.affinity[:, :, None] * tm.affinity + bond,
        (w_c * pol.channel[:, :, None]) * tm.channel,
        w_e * pol.economic[:, :, None],
        w_r * pol.risk[:, :, None],
        pol.cost[:, :, None] * tm.cost_unit,
    )


def fixed_parts(
    anchors: tuple[np.ndarray, ...], exposure: np.ndarray, coef: tuple[np.ndarray, ...], tm: Terms
) -> tuple[np.ndarray, ...]:
    """The level-dependent terms of ``V(L)`` free of the step's pressures (read-only).

    ``anchors``: :func:`~indopacsim.model.kernel.rungs` of the stacked levels (3, R, N, N);
    ``exposure``: the risk per unit of visibility (R, N, N); ``coef``: the
    :func:`coefficients`. Returns the security and lattice coefficients (R, N, 1), then
    affinity, channel, economic, risk and upkeep (each (3, R, N, N), upkeep before the
    strain), as :func:`value_terms` and :func:`value_at` of :mod:`indopacsim.model.kernel`
    compute them.
    """
    c_sec, c_lat, affinity, channel, economic, c_risk, upkeep = coef
    depth, chan, frac, vis, cost = anchors
    return frozen(
        c_sec,
        c_lat,
        affinity * frac,
        channel * chan,
        economic * (tm.trade * chan + tm.inducement * depth),
        (c_risk * exposure) * vis,
        upkeep * cost,
    )


def value_steps(
    fixed: tuple[np.ndarray, ...], pr: Pressures, depth: np.ndarray, us_weight: Any, us: int
) -> tuple[np.ndarray, np.ndarray]:
    """V(L+1) - V(L) and V(L-1) - V(L) from :func:`fixed_parts` and the step's pressures
    (``depth``: DEPTH of the stacked levels): the sums of
    :func:`~indopacsim.model.kernel.value_at`, term by term in its order."""
    c_sec, c_lat, affinity, channel, economic, risk, upkeep = fixed
    v = (c_sec * pr.gain) * depth
    if us >= 0:
        v[..., us] *= us_weight
    v += (c_lat * pr.lattice) * depth
    v += affinity
    v += channel
    v += economic
    v -= risk
    v -= upkeep * pr.strain[:, :, None]
    return v[1] - v[0], v[2] - v[0]


__all__ = ["coefficients", "extra_steps", "fixed_parts", "shared_steps", "value_steps", "values"]
