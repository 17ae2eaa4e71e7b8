"""Pairwise preference terms, each computed in numpy over all pairs at once.

Row ``i`` of every matrix is state ``i``'s view of partner ``j``. Each term names the
theory or the section of the source paper it formalizes; ``docs/model.md`` gives the
equations with the same names.

Static terms (they change only when a parameter changes, e.g. by an event) are built by
:func:`static_terms`; dynamic terms (they depend on the current tie network and beliefs)
by the functions below it, called every step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indopacsim.model.geography import loss_of_strength
from indopacsim.model.world import World
from indopacsim.scenario.schema import Scenario
from indopacsim.tiescale import MAX_LEVEL


def threat_matrix(
    capability: np.ndarray,
    lsg: np.ndarray,
    hostility: np.ndarray,
    dispute: np.ndarray,
    w: float,
    ties0: np.ndarray,
) -> np.ndarray:
    """Threat posed by ``j`` to ``i``: T_ij = cap_j LSG(d_ij) (host_j + w disp_ij) (1 - L0_ij/5)^2.

    Balance-of-threat theory (Walt, *The Origins of Alliances*, 1987): threat grows with
    aggregate power, proximity and offensive intentions. Proximity enters through the
    loss-of-strength gradient; intentions through the great powers' hostility (China's
    coercion, Russia's threat level: paper §2.1) and the dyad's disputes and rivalries,
    discounted by the pair's tie at the start, quadratically (a treaty ally is no threat,
    a strategic partner little: Walt's "intentions" read from existing alignment). The
    initial ties anchor threat perceptions, so threat is a static term.
    """
    friendship = (1.0 - ties0.astype(float) / MAX_LEVEL) ** 2
    t = capability[None, :] * lsg * (hostility[None, :] + w * dispute) * friendship
    np.fill_diagonal(t, 0.0)
    return t


def threat_shares(threat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split each state's threat into shares by source.

    Returns:
        ``(theta, total)``: theta_ik = T_ik / sum_k T_ik (rows of zeros where a state
        faces no threat) and each state's total threat.
    """
    total = threat.sum(axis=1)
    theta = np.divide(threat, total[:, None], out=np.zeros_like(threat), where=total[:, None] > 0)
    return theta, total


def threat_overlap(theta: np.ndarray) -> np.ndarray:
    """Shared threat perception: cosine similarity of the threat-share vectors.

    The paper's "divergent threat perceptions (Japan: China; UK: Russia)" (§6) lower it.
    """
    norm = np.linalg.norm(theta, axis=1)
    unit = np.divide(theta, norm[:, None], out=np.zeros_like(theta), where=norm[:, None] > 0)
    return unit @ unit.T


def projection(reach: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """P_ij = sum_{k != j} theta_ik R_jk: how near partner j sits to i's threats.

    ``reach[j, k]`` is a loss-of-strength gradient (Boulding 1962) from j's location to
    k's; P weights it by how much of i's threat comes from each k. It measures the value
    of j's *location* against my threats (forward access for a great power; the
    opportunity cost of sending forces elsewhere). The partner's own share of my threat
    is left out (k = j).
    """
    proj = theta @ reach.T - theta * np.diag(reach)[None, :]
    return np.asarray(np.clip(proj, 0.0, None))


def security_value(
    capability: np.ndarray, reach: np.ndarray, overlap: np.ndarray, theta: np.ndarray
) -> np.ndarray:
    """Raw security value of partner ``j`` to ``i``: S_ij = cap_j R_ji O_ij (1 - theta_ij).

    R_ji = ``reach[j, i]`` is the share of j's strength that reaches i (loss-of-strength
    gradient: alliances are mostly defensive, and a partner's aid counts where my threats
    meet me); O the threat overlap (how far j shares i's threats, and so would commit its
    strength against them); the last factor removes the part of i's threat j itself poses.
    """
    s = capability[None, :] * reach.T * overlap * (1.0 - theta)
    np.fill_diagonal(s, 0.0)
    return s


def affinity(
    democracy: np.ndarray,
    memberships: np.ndarray,
    w_values: float,
    w_institutions: float,
    dispute: np.ndarray | None = None,
    w_rivalry: float = 0.0,
) -> np.ndarray:
    """Affinity: regime similarity and shared memberships, less rivalry (paper §1, §5.2, §7).

    A_ij = w_values (1 - |dem_i - dem_j|) + w_institutions Jaccard(members_i, members_j)
    - w_rivalry dispute_ij. The "values-based coalition" of like-minded democracies and
    shared institutions such as CPTPP (paper §3.2) enter here; states locked in a dispute
    or rivalry do not institutionalise cooperation with each other (Thompson & Dreyer
    2011 on strategic rivalries).
    """
    similar = 1.0 - np.abs(democracy[:, None] - democracy[None, :])
    m = memberships.astype(float)
    inter = m @ m.T
    size = m.sum(axis=1)
    union = size[:, None] + size[None, :] - inter
    jac = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    a = w_values * similar + w_institutions * jac
    if dispute is not None and w_rivalry:
        a -= w_rivalry * dispute
    np.fill_diagonal(a, 0.0)
    return a


def tie_cost(
    distance_km: np.ndarray,
    base: float,
    per_10k_km: float,
    opportunity: float,
    total_threat: np.ndarray,
    proj: np.ndarray,
) -> np.ndarray:
    """Cost per rung per step of a tie (paper §6: 9,000 km of logistics; fiscal limits).

    c_ij = base + per_10k_km * d_ij / 10,000 km * (1 + opportunity * tau_i * (1 - P_ij)).
    Logistics cost grows with distance; its opportunity cost grows with the threat I face
    at home (tau_i) that the partner's position does not help me meet (1 - P_ij): forces
    sent 9,000 km away are missing where my main threat is (paper §5.2: "overextending
    limited defence resources"; §6: the UK "remains more focused on Russia").
    """
    distant = per_10k_km * distance_km / 10_000.0
    return base + distant * (1.0 + opportunity * total_threat[:, None] * (1.0 - proj))


def level_value_table(concavity: float) -> np.ndarray:
    """f(l) = (l/5)**concavity for l = 0..5: the value of holding level l, per unit of V."""
    levels = np.arange(MAX_LEVEL + 1) / MAX_LEVEL
    return np.asarray(levels**concavity)


def level_cost_table(convexity: float) -> np.ndarray:
    """k(l) = 5 (l/5)**convexity for l = 0..5: the cost of holding level l, per unit of c.

    With convexity 2 a dialogue (level 1) costs 0.2 c and a treaty alliance 5 c: the
    marginal cost of each rung rises while its marginal value falls, so every pair has
    an interior preferred level.
    """
    levels = np.arange(MAX_LEVEL + 1) / MAX_LEVEL
    return np.asarray(MAX_LEVEL * levels**convexity)


def rung_tables(
    f: np.ndarray, k: np.ndarray, sunk: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-level changes of value and cost for one rung up and one rung down.

    Returns:
        ``(df_up, dk_up, df_down, dk_down)`` indexed by the current level:
        f(l+1) - f(l), k(l+1) - k(l), f(l) - f(l-1) and k(l) - k(l-1) - sunk k(l) (the
        cost saved by stepping down, less the share of the investment lost).
    """
    levels = np.arange(MAX_LEVEL + 1)
    nxt, prv = np.minimum(levels + 1, MAX_LEVEL), np.maximum(levels - 1, 0)
    return f[nxt] - f, k[nxt] - k, f - f[prv], k - k[prv] - sunk * k


@dataclass(frozen=True, eq=False)
class StaticTerms:
    """Terms that change only with parameters: rebuilt when an event changes one.

    ``lsg[j, k]`` is the share of j's strength that reaches k (it is not symmetric when
    states have different reaches).
    """

    lsg: np.ndarray
    threat: np.ndarray
    theta: np.ndarray
    total_threat: np.ndarray
    projection: np.ndarray
    overlap: np.ndarray
    security: np.ndarray
    affinity: np.ndarray
    cost: np.ndarray
    f: np.ndarray
    k: np.ndarray
    main_threat: np.ndarray
    steps: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def static_terms(world: World, scenario: Scenario, hostility: np.ndarray) -> StaticTerms:
    """Build the static terms of a world under a scenario's parameters."""
    # reach[j, k]: share of j's strength that arrives at k (row-specific half distances)
    lsg = loss_of_strength(world.distance_km, world.reach_km[:, None])
    t = threat_matrix(
        world.capability,
        lsg.T,
        hostility,
        world.dispute,
        scenario.threat.dispute_weight,
        world.ties0,
    )
    theta, total = threat_shares(t)
    w = scenario.weights
    near = loss_of_strength(world.distance_km, scenario.threat.lsg_half_distance_km)
    proj, overlap = projection(near, theta), threat_overlap(theta)
    return StaticTerms(
        lsg=lsg,
        threat=t,
        theta=theta,
        total_threat=total,
        projection=proj,
        overlap=overlap,
        security=security_value(world.capability, lsg, overlap, theta),
        affinity=affinity(
            world.democracy,
            world.memberships,
            w.values,
            w.institutions,
            world.dispute,
            w.rivalry,
        ),
        cost=tie_cost(
            world.distance_km,
            scenario.costs.base,
            scenario.costs.distance,
            scenario.costs.opportunity,
            total,
            proj,
        ),
        f=(f := level_value_table(scenario.ladder.concavity)),
        k=(k := level_cost_table(scenario.costs.convexity)),
        steps=rung_tables(f, k, scenario.costs.sunk),
        main_threat=np.where(total > 0, theta.argmax(axis=1), -1),
    )


def camp(ties: np.ndarray, us: int, china: int) -> np.ndarray:
    """Camp score in [-1, 1]: (tie to the US - tie to China) / 5; +1 for the US, -1 for China.

    China reads a state's camp from its ties to the two great powers (paper §2.1).
    """
    n = ties.shape[0]
    to_us = ties[:, us].astype(float) if us >= 0 else np.zeros(n)
    to_cn = ties[:, china].astype(float) if china >= 0 else np.zeros(n)
    c = (to_us - to_cn) / MAX_LEVEL
    if us >= 0:
        c[us] = 1.0
    if china >= 0:
        c[china] = -1.0
    return c


def trust_weighted_security(
    security: np.ndarray, trust: np.ndarray, sensitivity: float, us: int
) -> np.ndarray:
    """Security value as each state weighs it given its trust in the US.

    A partner other than the US is worth more the less I trust the US:
    S'_ij = S_ij * (1 + sensitivity * (1 - trust_i)) (paper §2.2: "a hedge against US
    unpredictability"; alliance security dilemma, Snyder 1984: fear of abandonment).
    The US itself is worth S_i,US * trust_i: its guarantee is discounted by its reliability.
    """
    out = security * (1.0 + sensitivity * (1.0 - trust))[:, None]
    if us >= 0:
        out[:, us] = security[:, us] * trust
    return out


def economic_terms(
    ties: np.ndarray,
    exposure_china: np.ndarray,
    exposure_us: np.ndarray,
    camp_score: np.ndarray,
    f: np.ndarray,
    scenario: Scenario,
    us: int,
    china: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Economic value and risk of a tie, from the great powers' statecraft.

    Returns:
        ``(econ, risk)`` matrices:

        * risk_ij = retaliation * exposure_china_i * max(camp_j, 0): expected Chinese
          retaliation for aligning with a partner of the US camp, scaled by my trade
          exposure (weaponized interdependence, Farrell & Newman 2019; paper §3.2, §6);
        * econ_i,CHN = inducement * exposure_china_i - rebuke * f(tie_i,US): China rewards
          engagement, the US rebukes it (paper §2.2: Trump's "very dangerous");
        * econ_i,US = -transactional_pressure * exposure_us_i: tariffs and burden-sharing
          demands on US partners (paper §2.2).
    """
    n = ties.shape[0]
    risk = (
        scenario.china.retaliation * exposure_china[:, None] * np.maximum(camp_score, 0.0)[None, :]
    )
    econ = np.zeros((n, n))
    if china >= 0:
        rebuke = scenario.us.rebuke * f[ties[:, us]] if us >= 0 else 0.0
        econ[:, china] = scenario.china.inducement * exposure_china - rebuke
        econ[china, :] = 0.0
        risk[china, :] = 0.0
    if us >= 0:
        econ[:, us] = -scenario.us.transactional_pressure * exposure_us
        econ[us, :] = 0.0
        risk[us, :] = 0.0
    np.fill_diagonal(risk, 0.0)
    np.fill_diagonal(econ, 0.0)
    return econ, risk


def reference_cost(world: World, scenario: Scenario) -> np.ndarray:
    """Cost scale of each tie at the calibration point: this world under default policies.

    Budgets are the cost of the 2026 commitments at the calibration point (the revealed
    fiscal envelope) plus headroom; a scenario that makes ties costlier (a larger threat
    at home, dearer logistics) squeezes that fixed envelope instead of moving it (paper
    §5.2: "overextending limited defence resources"; §6: fiscal pressures).
    """
    from indopacsim.scenario.schema import ChinaPolicy, Costs, RussiaPolicy, ThreatSpec, USPolicy

    ref = scenario.model_copy(
        update={
            "us": USPolicy(),
            "china": ChinaPolicy(),
            "russia": RussiaPolicy(),
            "costs": Costs(),
            "threat": ThreatSpec(),
        }
    )
    hostility = world.hostility.copy()
    if world.china >= 0:
        hostility[world.china] = ChinaPolicy().coercion
    if world.russia >= 0:
        hostility[world.russia] = RussiaPolicy().threat
    return static_terms(world, ref, hostility).cost
