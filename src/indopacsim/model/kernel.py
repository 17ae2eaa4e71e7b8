"""The per-step mechanism as functions over arrays with a leading run axis.

Every dynamic array carries the run axis first: tie levels ``(R, N, N)``, trust ``(R, N)``,
alarm ``(R, N, K)`` (``K`` threat sources). The Mesa model is the case ``R = 1``; the
ensemble engine (:mod:`indopacsim.model.ensemble`) runs many runs as one computation with
the same functions. Static inputs come from :class:`~indopacsim.model.terms.Terms`.

The value of a tie to state ``i`` at level ``L`` (``docs/model.md``, Submodels) is

    V_ij(L) = w_s G_ij DEPTH[L]                           security (balance of threat)
            + w_n G^n_ij DEPTH[L]                          lattice of willing partners
            + A_ij L / top + b_ij L / top                  affinity and political bonds
            + w_c C_ij CHANNEL[L]                          channel with an adversary
            + w_e (X_ij CHANNEL[L] + I_ij DEPTH[L])        trade and inducements
            - w_r (R_ij + B_ij + P_ij) VISIBILITY[L]       retaliation, rebuke, pressure
            - strain_i c_ij COST[L]                        upkeep under the budget
            + w_p S_ij L / top                             shared partners (w_p = 0: off)

where ``G_ij`` is the marginal security a unit of depth with ``j`` buys against the
threats ``i`` faces, given its whole portfolio (so partners substitute for one another
and the count of ties is not rewarded). Decisions compare ``V(L+1) - V(L)`` and
``V(L-1) - V(L)``; :mod:`indopacsim.model.hazards` turns them into moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indopacsim.caching import derived
from indopacsim.model import axis
from indopacsim.model.terms import Terms
from indopacsim.tiescale import CHANNEL, COST, DEPTH, MAX_LEVEL, VISIBILITY

_TOP = float(MAX_LEVEL)


@dataclass
class Policy:
    """Per-row doctrine traits (arrays of shape (N,)) and the scalar parameters a step uses.

    Attributes:
        security, affinity, economic, risk, cost, channel: Multipliers of the value terms
            for each state's row (its doctrine's traits).
        us_weight: Multiplier of the value of the tie to the US (network: < 1).
        max_level: (N,) highest level each state's doctrine will seek.
    """

    security: np.ndarray
    affinity: np.ndarray
    economic: np.ndarray
    risk: np.ndarray
    cost: np.ndarray
    channel: np.ndarray
    us_weight: np.ndarray
    max_level: np.ndarray


def threat(
    tm: Terms,
    ties: np.ndarray,
    alarm: np.ndarray,
    years: float | tuple[float, ...],
    free: np.ndarray | None = None,
) -> np.ndarray:
    """T_ik = T0_ik (1 + g_k)^years (1 + alarm_ik) (1 - DEPTH[L_ik]): the threat k poses to i.

    A source's capability grows at its yearly rate (China's policy); crises add alarm
    that decays (``crises``); a state's tie with the source itself discounts the threat
    (Walt 1987: intentions read from alignment; an ally is no threat). ``free`` is
    ``1 - DEPTH[L_ik]`` when the caller has it (:func:`free_of`). ``years``: one number,
    or one per run (:mod:`indopacsim.model.replay`). An axis pools threats (:mod:`.axis`).
    """
    free = free_of(tm, ties) if free is None else free
    y = years if isinstance(years, float) else np.atleast_1d(years)[:, None]  # one, or (R, 1)
    grow = np.power(1.0 + tm.growth, y)[..., None, :]  # (1, K) or (R, 1, K): the same powers
    if tm.pooling <= 0:
        return tm.base_threat[None] * grow * (1.0 + alarm) * free
    return axis.with_axis(tm, ties, tm.base_threat[None] * grow * free, free) * (1.0 + alarm)


def free_of(tm: Terms, ties: np.ndarray) -> np.ndarray:
    """1 - DEPTH[L_ik]: how far each state is free of a tie to each threat source (R, N, K)."""
    return 1.0 - DEPTH[ties[:, :, tm.src]]


def _source_cells(tm: Terms) -> np.ndarray:
    """Flat indices of the (N, K) cells where state ``j`` is source ``k`` (kept per terms)."""
    return derived(tm, "source cells", lambda: np.flatnonzero(tm.is_source))


def willingness(
    t: np.ndarray, tm: Terms, ties: np.ndarray, solidarity: float, free: np.ndarray | None = None
) -> np.ndarray:
    """W_jk = (s + (1 - s) T_jk / max_k' T_jk') (1 - DEPTH[L_jk]): j's will to help against k.

    Divergent threat perceptions (paper §6: Japan's China, the UK's Russia): a partner
    commits against a threat in proportion to how much of its own main threat it is,
    with a floor of solidarity ``s``; a partner tied to the source itself is unwilling.
    """
    top = np.maximum.reduce(t, axis=2, keepdims=True)
    positive = top > 0
    share = (
        t / top
        if np.logical_and.reduce(positive, axis=None)
        else np.divide(t, top, np.zeros_like(t), where=positive)
    )
    if free is None:
        free = free_of(tm, ties)
    w = (solidarity + (1.0 - solidarity) * share) * free
    w[:, *np.divmod(_source_cells(tm), w.shape[2])] = 0.0  # W_kk = 0, in place in any layout
    return w


def help_depth(
    ties: np.ndarray, us_factor: np.ndarray, us: int, depth: np.ndarray | None = None
) -> np.ndarray:
    """DEPTH[L_ij], with the US column scaled by ``us_factor`` (trust, or the realised signal).

    The alliance security dilemma (Snyder 1984): a guarantee is worth what one believes
    will be honoured. Other partners' help is not discounted. ``depth``: DEPTH[L] when
    the caller keeps it (:func:`tie_depths`; not changed).
    """
    d = DEPTH[ties] if depth is None else depth.copy()
    if us >= 0:
        d[:, :, us] *= us_factor
    return d


#: Elements of P_ijk W_jk formed at once (8 MB): a large ensemble's runs go in chunks.
PROJECTED_ELEMENTS = 1000000


def security_terms(
    depth: np.ndarray, w: np.ndarray, tm: Terms, t: np.ndarray | None = None, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray | None]:
    """Coverage ``Cov_ik = own_i + sum_j D_ij P_ijk W_jk``, the help ``i`` can count on
    against ``k``, and with the threat ``t`` the security gain ``G_ij = sum_k T_ik
    exp(-Cov_ik / c) / c x P_ijk W_jk``: what a unit of depth with ``j`` buys given all
    else ``i`` has, growing with the threat (balance of threat) and with what ``j`` brings
    to ``i``'s theatre, shrinking as the portfolio covers it. One ``P W`` per chunk of runs."""
    step = max(1, PROJECTED_ELEMENTS // w[0].size // w.shape[1])
    covs, gains = [], []  # each chunk's (one chunk: taken as they are, not copied)
    for r in range(0, len(w), step):
        c = slice(r, r + step)
        pw = tm.proj[None] * w[c, None]  # P_ijk W_jk (runs, N, N, K)
        covs.append(tm.own[None] + np.matmul(depth[c, :, None, :], pw)[:, :, 0])
        if t is not None:
            e = t[c] * np.exp(covs[-1] / -scale) / scale
            gains.append(np.matmul(pw, e[:, :, :, None])[..., 0])
    cov = covs[0] if len(covs) == 1 else np.concatenate(covs)
    return cov, None if t is None else gains[0] if len(gains) == 1 else np.concatenate(gains)


def security(t: np.ndarray, cov: np.ndarray, scale: float) -> np.ndarray:
    """S_i = sum_k T_ik (1 - exp(-Cov_ik / c)): threat met, with diminishing returns."""
    return np.add.reduce(t * -np.expm1(cov / -scale), axis=2)


def lattice_need(
    ties: np.ndarray, trust: np.ndarray, us: int, to_us: np.ndarray | None = None
) -> np.ndarray:
    """u_i = 1 - trust_i DEPTH[L_i,US]: the share of i's security a lattice must carry.

    The paper's core argument (§2.2, §4): falling trust in US reliability turns allies
    towards one another; a guarantee believed in full leaves little for a lattice of
    other partners to do, a doubted or absent one leaves it all (the alliance security
    dilemma, Snyder 1984: the fear of abandonment drives the search for other partners).
    """
    if us < 0:
        return np.ones(ties.shape[:2])
    return 1.0 - trust * (DEPTH[ties[:, :, us]] if to_us is None else to_us)


def lattice_cover(
    ties: np.ndarray, w: np.ndarray, us: int, depth: np.ndarray | None = None
) -> np.ndarray:
    """N_ik = sum_{j != US} DEPTH[L_ij] W_jk: the willing depth of i's partners against k.

    Networked security (the paper's "networked alliance", §4; Cha 2016 on the Asian
    "latticework"): partners other than the US count by how deep the tie is and how much
    they care about the threat, not by the capability they can project. ``depth``: the
    DEPTH[L_ij] less the US column when the caller keeps it (:func:`tie_depths`).
    """
    if depth is None:
        depth = DEPTH[ties]
        if us >= 0:
            depth[:, :, us] = 0.0
    return np.matmul(depth, w)


def tie_depths(tm: Terms, ties: np.ndarray, us: int) -> tuple[np.ndarray, ...]:
    """What the step reads of the depth of the ties: DEPTH[L] (R, N, N), the same less the
    US column (the lattice's), the depth of each tie to the US (R, N; 0 without the US) and
    :func:`free_of` the sources (R, N, K)."""
    depth = DEPTH[ties]
    lattice = depth.copy()
    if us >= 0:
        lattice[:, :, us] = 0.0
    to_us = depth[:, :, us].copy() if us >= 0 else np.zeros(ties.shape[:2])  # DEPTH[L_i,US]
    return depth, lattice, to_us, 1.0 - depth[:, :, tm.src]


def lattice_security(
    t: np.ndarray, cover: np.ndarray, need: np.ndarray, scale: float
) -> np.ndarray:
    """S^n_i = u_i sum_k T_ik (1 - exp(-N_ik / c_n)): shared threat met by the lattice."""
    return need * np.add.reduce(t * -np.expm1(cover / -scale), axis=2)


def lattice_gain(
    t: np.ndarray, cover: np.ndarray, need: np.ndarray, w: np.ndarray, us: int, scale: float
) -> np.ndarray:
    """G^n_ij = u_i sum_k T_ik exp(-N_ik / c_n) / c_n x W_jk: lattice value per unit of depth.

    Balance of threat (Walt 1987): states align with those who share their threat. The
    gain grows with the threat ``i`` faces and with ``j``'s will against it, shrinks as
    ``i``'s lattice already covers that threat (so the count of ties is not rewarded), and
    grows as ``i``'s trust in the US falls (:func:`lattice_need`). The tie to the US itself
    is valued by :func:`security_terms`, not here.
    """
    e = need[:, :, None] * t * np.exp(cover / -scale) / scale
    g = np.matmul(e, w.transpose(0, 2, 1))
    if us >= 0:
        g[:, :, us] = 0.0
    return g


def usness(ties: np.ndarray, us: int, to_us: np.ndarray | None = None) -> np.ndarray:
    """How far each state is in the US camp: DEPTH of its tie to the US (the US itself 1).
    ``to_us``: DEPTH of each tie to the US (R, N) when the caller has it (not changed)."""
    if us < 0:
        return np.zeros(ties.shape[:2])
    u = DEPTH[ties[:, :, us]] if to_us is None else to_us.copy()
    u[:, us] = 1.0
    return u


@dataclass
class Pressures:
    """The per-pair flow terms of one step (each (R, N, N), row = valuer)."""

    gain: np.ndarray  # security per unit of depth (G)
    lattice: np.ndarray  # lattice security per unit of depth (G^n)
    exposure: np.ndarray  # retaliation + rebuke + pressure per unit of VISIBILITY
    strain: np.ndarray  # (R, N) marginal cost multiplier from the budget


@dataclass
class ValueTerms:
    """The level-free factors of V_ij(L) (:func:`value_terms`), each (R, N, N) unless noted:
    ``V(L)`` is each factor times its rung's anchor, summed in the order of :func:`value_at`;
    the factors, computed once, serve every level a step values."""

    security: np.ndarray  # w_s x security trait x G
    us_weight: np.ndarray  # (R, N) us_weight trait
    lattice: np.ndarray  # w_n x security trait x G^n
    affinity: np.ndarray  # affinity trait x A + b, per rung
    channel: np.ndarray  # w_c x channel trait x C
    economic: np.ndarray  # w_e x economic trait
    trade: np.ndarray  # (N, N) X
    inducement: np.ndarray  # (N, N) I
    risk: np.ndarray  # w_r x risk trait x exposure
    cost: np.ndarray  # cost trait x c
    strain: np.ndarray  # (R, N, 1) strain


def value_terms(
    pr: Pressures,
    tm: Terms,
    pol: Policy,
    bond: np.ndarray,
    w: tuple[float, float, float, float, float],
    fixed: ValueTerms | None = None,
) -> ValueTerms:
    """The factors of V_ij(L) that do not depend on the level (see :class:`ValueTerms`).

    ``fixed``: the terms of an earlier call with the same terms, traits, bonds and weights,
    whose affinity, channel, economic and cost factors (free of the step's pressures) are
    taken as they are."""
    w_s, w_c, w_e, w_r, w_n = w
    f = fixed
    return ValueTerms(
        security=(w_s * pol.security[:, :, None]) * pr.gain,
        us_weight=pol.us_weight,
        lattice=(w_n * pol.security[:, :, None]) * pr.lattice,
        affinity=pol.affinity[:, :, None] * tm.affinity + bond if f is None else f.affinity,
        channel=(w_c * pol.channel[:, :, None]) * tm.channel if f is None else f.channel,
        economic=w_e * pol.economic[:, :, None] if f is None else f.economic,
        trade=tm.trade,
        inducement=tm.inducement,
        risk=(w_r * pol.risk[:, :, None]) * pr.exposure,
        cost=pol.cost[:, :, None] * tm.cost_unit if f is None else f.cost,
        strain=pr.strain[:, :, None],
    )


def rungs(lv: np.ndarray) -> tuple[np.ndarray, ...]:
    """The anchors of levels ``lv``: DEPTH, CHANNEL, L / top, VISIBILITY and COST."""
    return DEPTH[lv], CHANNEL[lv], lv / _TOP, VISIBILITY[lv], COST[lv]


def value_at(
    lv: np.ndarray, vt: ValueTerms, us: int, anchors: tuple[np.ndarray, ...] | None = None
) -> np.ndarray:
    """V_ij(L) from its factors, for levels ``lv`` (..., R, N, N): leading axes broadcast.
    ``anchors`` are :func:`rungs` ``(lv)`` when the caller keeps them."""
    depth, chan, frac, vis, cost = rungs(lv) if anchors is None else anchors
    v = vt.security * depth
    if us >= 0:
        v[..., us] *= vt.us_weight
    # the same products and sums, written into two scratch arrays (large N: no temporaries)
    tmp = vt.lattice * depth
    v += tmp
    v += np.multiply(vt.affinity, frac, out=tmp)
    v += np.multiply(vt.channel, chan, out=tmp)
    econ = np.multiply(vt.trade, chan, out=tmp)
    econ += np.multiply(vt.inducement, depth, out=np.empty_like(tmp))
    v += np.multiply(vt.economic, econ, out=tmp)
    v -= np.multiply(vt.risk, vis, out=tmp)
    upkeep = np.multiply(vt.cost, cost, out=tmp)
    upkeep *= vt.strain
    v -= upkeep
    return v


def level_value(
    lv: np.ndarray,
    pr: Pressures,
    tm: Terms,
    pol: Policy,
    bond: np.ndarray,
    us: int,
    w: tuple[float, float, float, float, float],
) -> np.ndarray:
    """V_ij(L) for a stack of levels ``lv`` (R, N, N), with the doctrine traits by row."""
    return value_at(lv, value_terms(pr, tm, pol, bond, w), us)


def exposure(
    ties: np.ndarray,
    tm: Terms,
    exp_cn: np.ndarray,
    us: int,
    china: int,
    retaliation: float,
    rebuke: float,
    pressure: float,
    to_us: np.ndarray | None = None,
) -> np.ndarray:
    """Risk per unit of visibility of the tie to ``j`` (R, N, N).

    Weaponized interdependence (Farrell & Newman 2019): China punishes visible alignment
    with the US camp in proportion to the target's trade exposure to China, and hardest for
    ties with a state it claims (its red line). The US rebukes its partners for visible
    ties with its rivals, in proportion to how much they depend on it (paper §2.2: Trump
    calls the UK's China engagement "very dangerous"); its transactional pressure taxes
    the tie to the US itself (tariffs, burden-sharing demands). ``to_us``: DEPTH of each
    tie to the US (R, N) when the caller keeps it (:func:`tie_depths`; not changed)."""
    u = usness(ties, us, to_us)  # (R, N)
    out = (retaliation * exp_cn)[None, :, None] * (u * tm.red_line[None, :])[:, None, :]
    if china >= 0:
        out[:, :, china] = 0.0
    if us >= 0:
        dep = DEPTH[ties[:, :, us]] if to_us is None else to_us  # (R, N) my dependence on the US
        out += rebuke * dep[:, :, None] * tm.us_rival[None, None, :]
        out[:, :, us] += pressure
        out[:, us, :] = 0.0  # the US does not fear its own rebuke
    return out


def ladder(lv: np.ndarray) -> np.ndarray:
    """The levels ``lv`` (R, N, N), one rung up and one rung down, stacked (3, R, N, N)."""
    return np.array([lv, np.minimum(lv + 1, MAX_LEVEL), np.maximum(lv - 1, 0)])


__all__ = [
    "Policy",
    "Pressures",
    "ValueTerms",
    "exposure",
    "free_of",
    "help_depth",
    "ladder",
    "lattice_cover",
    "lattice_gain",
    "lattice_need",
    "lattice_security",
    "level_value",
    "rungs",
    "security",
    "security_terms",
    "threat",
    "tie_depths",
    "usness",
    "value_at",
    "value_terms",
    "willingness",
]
