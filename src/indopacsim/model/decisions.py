"""Simultaneous tie decisions on the institutionalisation ladder, for all states at once.

Each step every state values each tie (row ``i`` of the value matrix, with a random
utility shock), then all decide at once and all commit at once (DESIGN §3):

* the marginal gain of one rung up is ``V~_ij (f(l+1) - f(l)) - c_ij (k(l+1) - k(l))``; of
  one rung down, ``-V~_ij (f(l) - f(l-1)) + c_ij (k(l) - k(l-1) - s k(l))`` (``f``
  concave: diminishing returns; ``k`` convex: rising costs; ``s k(l)`` the share ``s`` of
  the investment in level ``l`` that is lost on stepping down: sunk costs and audience
  costs grow with institutionalisation, so treaty alliances are the stickiest; Fearon
  1997; Bennett 1997 on alliance duration);
* a state initiates at most ``k`` upgrades a step (diplomatic bandwidth), its best ones,
  while their cost fits its fiscal headroom; a partner accepts when the upgrade is worth
  it to the partner too and fits the partner's headroom: an upgrade needs both sides;
* a downgrade needs one side;
* levels move at most one rung per step.

Accepted upgrades that together overrun a state's headroom are dropped, worst first:
that is the only per-state loop, and it runs only for the few states that overrun.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indopacsim.model.preferences import rung_tables


@dataclass(frozen=True, eq=False)
class Decision:
    """The outcome of one step's decisions.

    Attributes:
        delta: Symmetric int8 matrix of rung changes (-1, 0, +1).
        upgrades: Number of pairs that moved up.
        downgrades: Number of pairs that moved down.
    """

    delta: np.ndarray
    upgrades: int
    downgrades: int


def marginal_gains(
    value: np.ndarray,
    ties: np.ndarray,
    f: np.ndarray,
    k: np.ndarray,
    cost: np.ndarray,
    sunk: float,
    max_level: np.ndarray,
    tables: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Marginal gains of one rung up and one rung down for every directed pair.

    Args:
        value: Perceived value V~ of each tie (row = the deciding state).
        ties: Current levels (int matrix).
        f: Value of each level, ``f[0..5]``.
        k: Cost of holding each level per unit of ``cost``, ``k[0..5]``.
        cost: Perceived cost scale of each tie (row = the deciding state).
        sunk: Share of the cost of holding a level lost on stepping down from it.
        max_level: Highest level each pair may reach (a row vector per state, or a
            matrix combining doctrine caps and political ceilings).
        tables: Precomputed :func:`~indopacsim.model.preferences.rung_tables` (optional).

    Returns:
        ``(up, down)``; impossible moves (above the cap, below 0, the diagonal) are -inf.
    """
    lv = ties.astype(np.intp)
    df_up, dk_up, df_dn, dk_dn = rung_tables(f, k, sunk) if tables is None else tables
    up = value * df_up[lv]
    up -= cost * dk_up[lv]
    down = cost * dk_dn[lv]
    down -= value * df_dn[lv]
    cap = max_level if max_level.ndim == 2 else max_level[:, None]
    up[lv >= cap] = -np.inf
    down[lv == 0] = -np.inf
    np.fill_diagonal(up, -np.inf)
    np.fill_diagonal(down, -np.inf)
    return up, down


def _top_k_within_budget(
    gain: np.ndarray, cost: np.ndarray, headroom: np.ndarray, k: int
) -> np.ndarray:
    """Per row, greedily: up to ``k`` best positive gains, each taken if it still fits.

    ``k`` rounds of a row-wise argmax (k is small): a state takes its best remaining
    upgrade when its cost fits the headroom left, and otherwise passes to the next.
    """
    n = gain.shape[0]
    rows = np.arange(n)
    masked = np.where(gain > 0, gain, -np.inf)
    left = headroom.astype(float)
    chosen = np.zeros_like(gain, dtype=bool)
    for _ in range(min(k, n - 1)):
        j = masked.argmax(axis=1)
        g = masked[rows, j]
        c = cost[rows, j]
        take = np.isfinite(g) & (c <= left)
        chosen[rows[take], j[take]] = True
        left -= np.where(take, c, 0.0)
        masked[rows, j] = -np.inf
    return chosen


def decide(
    value: np.ndarray,
    ties: np.ndarray,
    f: np.ndarray,
    k: np.ndarray,
    cost: np.ndarray,
    real_cost: np.ndarray,
    headroom: np.ndarray,
    sunk: float,
    max_level: np.ndarray,
    max_initiatives: int,
    tables: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Decision:
    """Decide and commit one step of tie changes for all states at once.

    Args:
        value: Perceived value of each tie, shocks included (row = deciding state).
        ties: Current levels.
        f: Value of each level.
        k: Cost of holding each level per unit of cost.
        cost: Perceived cost scale (doctrine-weighted).
        real_cost: Budget cost scale (what headroom is spent on).
        headroom: Each state's unspent budget.
        sunk: Share of the cost of holding a level lost on stepping down from it.
        max_level: Each state's level cap.
        max_initiatives: Upgrades a state may initiate per step.
        tables: Precomputed rung tables (optional, for speed).

    Returns:
        The :class:`Decision`.
    """
    up, down = marginal_gains(value, ties, f, k, cost, sunk, max_level, tables)
    dk_up = (tables or rung_tables(f, k, sunk))[1]
    step_cost = real_cost * dk_up[ties.astype(np.intp)]
    affordable = step_cost <= headroom[:, None]
    initiate = _top_k_within_budget(up, step_cost, headroom, max_initiatives)
    accept = (up > 0) & affordable
    upgrade = (initiate & accept.T) | (initiate.T & accept)
    upgrade = _enforce_budgets(upgrade, up, step_cost, headroom)
    downgrade = ((down > 0) | (down.T > 0)) & ~upgrade
    delta = upgrade.astype(np.int8) - downgrade.astype(np.int8)
    return Decision(
        delta=delta,
        upgrades=int(upgrade.sum()) // 2,
        downgrades=int(downgrade.sum()) // 2,
    )


def _enforce_budgets(
    upgrade: np.ndarray, up: np.ndarray, real_cost: np.ndarray, headroom: np.ndarray
) -> np.ndarray:
    """Drop a state's worst accepted upgrades until their cost fits its headroom."""
    spend = (upgrade * real_cost).sum(axis=1)
    over = np.flatnonzero(spend > headroom + 1e-12)
    if over.size == 0:
        return upgrade
    upgrade = upgrade.copy()
    for i in over:
        partners = np.flatnonzero(upgrade[i])
        for j in partners[np.argsort(up[i, partners])]:
            if spend[i] <= headroom[i] + 1e-12:
                break
            upgrade[i, j] = upgrade[j, i] = False
            spend[i] -= real_cost[i, j]
            spend[j] -= real_cost[j, i]
    return upgrade
