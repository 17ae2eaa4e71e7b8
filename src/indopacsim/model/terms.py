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
        affinity: (N, N) regime similarity + shared memberships - rivalry - the partner's
            hostility, per rung.
        cost_unit: (N, N) treaty-level upkeep of the tie to ``j`` as ``i`` perceives it.
        real_cost: (N, N) the same before the size discount (what budgets pay).
        trade: (N, N) trade-channel weight of ``i`` with ``j`` (exposure to China, the US).
        inducement: (N, N) China's reward per unit of depth of a tie with it.
        red_line: (N,) China's retaliation multiplier for a tie with ``j``.
        us_rival: (N,) whether ``j`` is a rival of the US (its rebuke applies).
        channel: (N, N) what a war with ``j`` would cost ``i``, the stake of keeping a channel
            to it: ``j``'s threat capability at ``i`` (0 unless ``j`` is a threat source).
        pooling: Share of an aligned source's threat a source adds (``threat.pooling``,
            :func:`indopacsim.model.axis.pooled`).
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
    channel: np.ndarray
    pooling: float = 0.0


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


def contest_km(world: World, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each state meets each threat, and every state's distance to that place.

    The contest between ``i`` and source ``k`` is fought at the place nearest to ``i`` among
    ``k``'s crisis theatres (Taiwan Strait, South China Sea, Korean peninsula) and ``k``'s
    own capital. Returns ``(to_theatre, own)``: (N_j, N_i, K) the distance from ``j`` to the
    contest of ``i`` with ``k``, and (N, K) ``i``'s own distance to it.
    """
    n, kk = world.n, len(src)
    # candidate places of each source: its capital, then its theatres
    by_source: list[list[np.ndarray]] = [[world.distance_km[:, s]] for s in src]
    for th, s in enumerate(world.theatre_source):
        hit = np.flatnonzero(src == s)
        if len(hit):
            by_source[int(hit[0])].append(world.theatre_km[:, th])
    to_theatre = np.empty((n, n, kk))
    own = np.empty((n, kk))
    for k, places in enumerate(by_source):
        cand = np.stack(places, axis=1)  # (N states, P places): distance to each place
        nearest = np.argmin(cand, axis=1)  # the place where i meets k
        to_theatre[:, :, k] = cand[:, nearest]  # (j, i)
        own[:, k] = cand[np.arange(n), nearest]
    return to_theatre, own


def projection(world: World, src: np.ndarray, access: float) -> tuple[np.ndarray, np.ndarray]:
    """What partner ``j`` brings to ``i``'s contest with ``k`` (N, N, K), and ``i``'s own (N, K).

    ``P_ijk = cap_j LSG(d_j,theatre; reach_j) + a cap_i [LSG(d_j,theatre) - LSG(d_i,theatre)]+``:
    the partner's own forces where the contest is fought (the paper's "cost of distance",
    §6, in its security form: Boulding's gradient), plus access: ``i``'s forces operating
    from ``j``'s territory when it is nearer the contest than ``i``'s own (the value of
    the first island chain to the US, of the Philippines to Japan). This is what makes
    partners other than the US worth something. ``own_ik = cap_i LSG(d_i,theatre)``.
    """
    to_theatre, own_km = contest_km(world, src)
    cap, reach = world.capability, world.reach_km
    forces = cap[:, None, None] * loss_of_strength(to_theatre, reach[:, None, None])
    mine_there = loss_of_strength(to_theatre, reach[None, :, None])  # i's reach from j's soil
    mine_home = loss_of_strength(own_km, reach[:, None])[None, :, :]
    gain = np.maximum(mine_there - mine_home, 0.0) * cap[None, :, None]
    p = np.transpose(forces + access * gain, (1, 0, 2)).copy()  # (i, j, k)
    n = world.n
    p[np.arange(n), np.arange(n), :] = 0.0
    p[:, src, np.arange(len(src))] = 0.0  # a source does not help against itself
    own = cap[:, None] * loss_of_strength(own_km, reach[:, None])
    return p, own


def affinity(world: World, cfg: Scenario) -> np.ndarray:
    """A_ij = w_v (1 - 2|dem_i - dem_j|) + w_inst Jacc_ij - w_r disp_ij - w_h host_j.

    Shared democratic values (paper §4, §7: a "values-based" coalition; democratic-peace
    and alliance-similarity findings, Lai & Reiter 2000) make a tie worth more and unlike
    regimes make it worth less (negative beyond a gap of 0.5); shared institutions (CPTPP,
    the Quad, Five Eyes) add; disputes and rivalries subtract, and so does a partner's
    general hostility (an aggressor is shunned: dialogue with it costs legitimacy at home
    and with one's partners; the suspension of Western dialogues with Russia in 2022).
    Counted per rung.
    """
    w = cfg.weights
    dem = world.democracy
    values = 1.0 - 2.0 * np.abs(dem[:, None] - dem[None, :])
    m = world.memberships.astype(float)
    inter = m @ m.T
    union = m.sum(axis=1)[:, None] + m.sum(axis=1)[None, :] - inter
    jac = np.where(union > 0, inter / np.maximum(union, 1.0), 0.0)
    a = w.values * values + w.institutions * jac - w.rivalry * world.dispute
    a -= w.hostility * world.hostility[None, :]
    np.fill_diagonal(a, 0.0)
    return a


def channel_stake(world: World, src: np.ndarray) -> np.ndarray:
    """C_ij = tcap_j x LSG(d_ij; reach_j) for a threat source ``j``: the stake in a channel.

    Crisis management (the value of keeping dialogue with an adversary; Schelling 1966 on
    communication in crises; the paper's §7 "balance between deterrence and dialogue"):
    what a war with ``j`` could cost ``i`` (for a ``j`` that threatens ``i``: hostile, or in a
    dispute or rivalry with it), which does not rise with ``j``'s hostility, so
    that rising coercion does not make states seek dialogue with China, nor cut it off.
    """
    n = world.n
    out = np.zeros((n, n))
    cap = world.capability[src] + NUCLEAR_BONUS * world.nuclear[src]
    lsg = loss_of_strength(world.distance_km[:, src], world.reach_km[src][None, :])
    threatens = (world.hostility[src][None, :] > 0) | (world.dispute[:, src] > 0)
    out[:, src] = cap[None, :] * lsg * threatens
    out[src, src] = 0.0
    return out


def trade_shares(world: World) -> np.ndarray:
    """X_ij: the share of ``i``'s goods trade that is with ``j``.

    With China and the US the bundled shares (IMF DOTS); with every other partner the
    rest of ``i``'s trade spread by a gravity model, ``gdp_j / distance_ij`` (Tinbergen
    1962; Anderson & van Wincoop 2003), an estimate where the data have no bilateral
    figure. Economic statecraft and resilience (paper §3.2) make these shares a reason to
    keep and deepen dialogue-level ties.
    """
    n = world.n
    gdp = world.table["gdp_usd_bn"].to_numpy(float)
    d = np.maximum(world.distance_km, 500.0)
    g = gdp[None, :] / d
    np.fill_diagonal(g, 0.0)
    named = [k for k in (world.china, world.us) if k >= 0]
    g[:, named] = 0.0
    rest = np.ones(n)
    if world.china >= 0:
        rest -= world.exposure_china
    if world.us >= 0:
        rest -= world.exposure_us
    share = g / np.maximum(g.sum(axis=1, keepdims=True), 1e-12) * np.maximum(rest, 0.0)[:, None]
    if world.china >= 0:
        share[:, world.china] = world.exposure_china
    if world.us >= 0:
        share[:, world.us] = world.exposure_us
    np.fill_diagonal(share, 0.0)
    return share


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
    trade = trade_shares(world)
    inducement = np.zeros((n, n))
    if world.china >= 0:
        inducement[:, world.china] = cfg.china.inducement * world.exposure_china
    np.fill_diagonal(inducement, 0.0)
    red = np.array([RED_LINE.get(code, 1.0) for code in codes])
    us_rival = np.zeros(n, dtype=bool)
    if world.us >= 0:
        us_rival = world.dispute[world.us] >= 0.5
    proj, own = projection(world, src, cfg.threat.access)
    return Terms(
        src=src,
        base_threat=base_threat(world, cfg, src),
        growth=growth,
        proj=proj,
        own=own,
        is_source=is_source,
        affinity=affinity(world, cfg),
        cost_unit=real * size_factor(world, cfg, median_capability)[:, None],
        real_cost=real,
        trade=trade,
        inducement=inducement,
        red_line=red,
        us_rival=us_rival,
        channel=channel_stake(world, src),
        pooling=cfg.threat.pooling,
    )


def camp(ties: np.ndarray, us: int, china: int) -> np.ndarray:
    """Camp score in [-1, 1]: (tie to the US - tie to China) / top; +1 US, -1 China.

    Works on one network (N, N) or a stack (R, N, N). China reads a state's camp from its
    ties to the two great powers (paper §2.1).
    """
    shape = ties.shape[:-1]
    to_us = ties[..., us] if us >= 0 else np.zeros(shape)
    to_cn = ties[..., china] if china >= 0 else np.zeros(shape)
    c = np.subtract(to_us, to_cn, dtype=float)  # the levels as floats, then their difference
    c /= MAX_LEVEL
    if us >= 0:
        c[..., us] = 1.0
    if china >= 0:
        c[..., china] = -1.0
    return c
