"""Static pair terms: what the world and the parameters fix before any step is run.

Row ``i`` of every matrix is state ``i``'s view of partner ``j``; the third axis of the
threat tensors runs over the threat sources ``k`` (the states that are hostile or in a
dispute or rivalry with someone). Each term names the theory or the section of the
source paper it formalizes; ``docs/model.md`` gives the equations with the same names.
The dynamic terms, which depend on the tie network, trust and alarm, are in
:mod:`indopacsim.model.kernel`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indopacsim.model.geography import loss_of_strength
from indopacsim.model.world import World
from indopacsim.scenario.schema import Scenario
from indopacsim.tiescale import MAX_LEVEL

#: Threat capability a nuclear arsenal adds to a source (an estimate: deterrence and
#: coercive leverage beyond the conventional composite; docs/model.md).
NUCLEAR_BONUS = 0.1

#: Multiplier of China's retaliation against ties with a state it claims (its red line:
#: the One-China principle; paper §6, "serious consequences" for supporting separatism).
RED_LINE = {"TWN": 3.0}

#: The great powers whose rivalry is positional (global), not discounted by distance
#: (Thompson & Dreyer 2011 code US-China and US-Russia as positional rivalries).
GLOBAL_POWERS = ("USA", "CHN", "RUS")


@dataclass(frozen=True, eq=False)
class Terms:
    """Pair and source terms fixed by the world and the parameters.

    Attributes:
        src: Indices of the threat sources (K,).
        base_threat: (N, K) threat source ``k`` poses to ``i`` before growth, alarm and
            the ally discount: capability x proximity x (hostility + disputes).
        growth: (K,) yearly growth of each source's capability (China's policy).
        proj: (N, N, K) what partner ``j`` can bring to ``i``'s contest with ``k``: ``j``'s
            capability discounted by the loss-of-strength gradient over the distance from
            ``j`` to the theatre (the nearer of ``i`` and ``k``); 0 for ``j`` = ``k``.
        own: (N, K) own capability at home, the self-help floor of coverage.
        is_source: (N, K) whether state ``j`` is source ``k``.
        affinity: (N, N) regime similarity + shared memberships - rivalry, per rung.
        cost_unit: (N, N) treaty-level upkeep of the tie to ``j`` as ``i`` perceives it.
        real_cost: (N, N) the same before the size discount (what budgets pay).
        trade: (N, N) trade-channel weight of ``i`` with ``j`` (exposure to China, the US).
        inducement: (N, N) China's reward per unit of depth of a tie with it.
        red_line: (N,) China's retaliation multiplier for a tie with ``j``.
        us_rival: (N,) whether ``j`` is a rival of the US (its rebuke applies).
        threat_to_partner: (N, N) threat partner ``j`` poses to ``i`` (0 unless ``j`` is
            a source), for the channel value of dialogue with an adversary.
    """

    src: np.ndarray
    base_threat: np.ndarray
    growth: np.ndarray
    proj: np.ndarray
    own: np.ndarray
    is_source: np.ndarray
    affinity: np.ndarray
    cost_unit: np.ndarray
    real_cost: np.ndarray
    trade: np.ndarray
    inducement: np.ndarray
    red_line: np.ndarray
    us_rival: np.ndarray


def threat_sources(world: World) -> np.ndarray:
    """States that can threaten another: hostile (China, Russia) or in a dispute/rivalry."""
    hostile = world.hostility > 0
    disputing = (world.dispute > 0).any(axis=1)
    return np.flatnonzero(hostile | disputing)


def base_threat(world: World, cfg: Scenario, src: np.ndarray) -> np.ndarray:
    """T0_ik = tcap_k x LSG(d_ik; reach_k) x (hostility_k + w_d x dispute_ik).

    Balance-of-threat theory (Walt, *The Origins of Alliances*, 1987): threat grows with
    aggregate power, proximity and offensive intentions. Proximity enters through the
    loss-of-strength gradient (Boulding 1962) with the source's own reach; intentions
    through the source's general hostility (China's coercion and Russia's threat, paper
    §2.1 and §6) and the dyad's disputes and rivalries. Rivalries among the global powers
    are positional and not discounted by distance.
    """
    cap = world.capability[src] + NUCLEAR_BONUS * world.nuclear[src]
    d = world.distance_km[:, src]
    lsg = loss_of_strength(d, world.reach_km[src][None, :])
    glob = np.isin(np.array(world.codes, dtype=object), GLOBAL_POWERS)
    lsg = np.where(glob[:, None] & glob[src][None, :], 1.0, lsg)
    intent = world.hostility[src][None, :] + cfg.threat.dispute_weight * world.dispute[:, src]
    t = cap[None, :] * lsg * intent
    t[src, np.arange(len(src))] = 0.0
    return t


def projection(world: World, src: np.ndarray) -> np.ndarray:
    """P_ijk = cap_j x LSG(min(d_ji, d_jk); reach_j): what ``j`` brings to ``i`` against ``k``.

    The paper's "cost of distance" in its security form (§6): a partner's forces count at
    the theatre where ``i`` meets threat ``k``, taken as the nearer of ``i``'s capital and
    the source's. This is what makes partners other than the US worth something: the
    Philippines is close to any contest with China, Britain far from it.
    """
    d_ji = world.distance_km  # (j, i) symmetric
    d_jk = world.distance_km[:, src]  # (j, k)
    dist = np.minimum(d_ji[:, :, None], d_jk[:, None, :])  # (j, i, k)
    lsg = loss_of_strength(dist, world.reach_km[:, None, None])
    p = world.capability[:, None, None] * lsg
    p = np.transpose(p, (1, 0, 2)).copy()  # (i, j, k)
    n = world.n
    p[np.arange(n), np.arange(n), :] = 0.0
    p[:, src, np.arange(len(src))] = 0.0  # a source does not help against itself
    return p


def affinity(world: World, cfg: Scenario) -> np.ndarray:
    """A_ij = w_v (1 - 2|dem_i - dem_j|) + w_inst Jaccard(memberships) - w_r dispute_ij.

    Shared democratic values (paper §4, §7: a "values-based" coalition; democratic-peace
    and alliance-similarity findings, Lai & Reiter 2000) make a tie worth more and unlike
    regimes make it worth less (negative beyond a gap of 0.5); shared institutions (CPTPP,
    the Quad, Five Eyes) add; disputes and rivalries subtract. Counted per rung.
    """
    w = cfg.weights
    dem = world.democracy
    values = 1.0 - 2.0 * np.abs(dem[:, None] - dem[None, :])
    m = world.memberships.astype(float)
    inter = m @ m.T
    union = m.sum(axis=1)[:, None] + m.sum(axis=1)[None, :] - inter
    jac = np.where(union > 0, inter / np.maximum(union, 1.0), 0.0)
    a = w.values * values + w.institutions * jac - w.rivalry * world.dispute
    np.fill_diagonal(a, 0.0)
    return a


def size_factor(world: World, cfg: Scenario, median_capability: float) -> np.ndarray:
    """(median capability / own capability) ** elasticity: a cost weighs less on a large state."""
    ratio = median_capability / np.maximum(world.capability, 1e-6)
    return ratio**cfg.costs.size_elasticity


def build_terms(world: World, cfg: Scenario, median_capability: float) -> Terms:
    """Compute every static term of a world under a parameter set."""
    src = threat_sources(world)
    codes = np.array(world.codes, dtype=object)
    n = world.n
    growth = np.zeros(len(src))
    if world.china >= 0:
        growth[src == world.china] = cfg.china.growth
    is_source = np.zeros((n, len(src)), dtype=bool)
    is_source[src, np.arange(len(src))] = True
    c = cfg.costs
    real = c.base + c.distance * world.distance_km / 1e4
    np.fill_diagonal(real, 0.0)
    trade = np.zeros((n, n))
    inducement = np.zeros((n, n))
    if world.china >= 0:
        trade[:, world.china] = world.exposure_china
        inducement[:, world.china] = cfg.china.inducement * world.exposure_china
    if world.us >= 0:
        trade[:, world.us] = world.exposure_us
    np.fill_diagonal(trade, 0.0)
    np.fill_diagonal(inducement, 0.0)
    red = np.array([RED_LINE.get(code, 1.0) for code in codes])
    us_rival = np.zeros(n, dtype=bool)
    if world.us >= 0:
        us_rival = world.dispute[world.us] >= 0.5
    return Terms(
        src=src,
        base_threat=base_threat(world, cfg, src),
        growth=growth,
        proj=projection(world, src),
        own=np.broadcast_to(world.capability[:, None], (n, len(src))).copy(),
        is_source=is_source,
        affinity=affinity(world, cfg),
        cost_unit=real * size_factor(world, cfg, median_capability)[:, None],
        real_cost=real,
        trade=trade,
        inducement=inducement,
        red_line=red,
        us_rival=us_rival,
    )


def camp(ties: np.ndarray, us: int, china: int) -> np.ndarray:
    """Camp score in [-1, 1]: (tie to the US - tie to China) / top; +1 US, -1 China.

    Works on one network (N, N) or a stack (R, N, N). China reads a state's camp from its
    ties to the two great powers (paper §2.1).
    """
    shape = ties.shape[:-1]
    to_us = ties[..., us].astype(float) if us >= 0 else np.zeros(shape)
    to_cn = ties[..., china].astype(float) if china >= 0 else np.zeros(shape)
    c = (to_us - to_cn) / MAX_LEVEL
    if us >= 0:
        c[..., us] = 1.0
    if china >= 0:
        c[..., china] = -1.0
    return c
