"""Why a pair moves or stays: the value of a rung up (or down), term by term.

A tie moves a rung up only when both sides value the step (``docs/model.md`` section
7.8), so the first question about a forecast that misses (or a pair that a driver does
not move) is which term of which side stands in the way. :func:`decompose` splits each
side's noise-free value of the next rung, as the engine computes it
(:func:`indopacsim.model.valuation.values`), into the terms of ``V_ij(L)``
(:func:`indopacsim.model.kernel.value_at`: security, lattice, affinity, channel,
economic, risk of exposure, upkeep), the opening cost of a tie not yet open, the
doctrine's own term and the pair's status-quo term (``docs/model.md``, Initialisation).
The terms sum to the engine's value (``tests/test_deals.py``). ``docs/validation.md``
uses it to explain the hindcast's largest misses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from indopacsim.model import kernel as K
from indopacsim.model.ensemble import Ensemble
from indopacsim.model.hazards import agreement, hazard, move_gates, pursuits, wanted_cuts
from indopacsim.model.valuation import shared_steps
from indopacsim.scenario.schema import Scenario

if TYPE_CHECKING:
    from indopacsim.model.engine import Engine

#: The terms of a move's value, in the order of the table's columns.
TERMS = (
    "security",
    "lattice",
    "affinity",
    "channel",
    "economic",
    "risk",
    "upkeep",
    "opening",
    "doctrine",
    "status_quo",
)


#: What :meth:`~indopacsim.model.engine.Engine.values` returns: up, down, pressures, threat.
Values = tuple[np.ndarray, np.ndarray, K.Pressures, np.ndarray]


def _terms(eng: Engine, values: Values, way: Literal["up", "down"]) -> dict[str, np.ndarray]:
    """Each term of the value of a rung ``way`` for every ordered pair (R, N, N), from
    the engine's :meth:`~indopacsim.model.engine.Engine.values` now."""
    _, _, pr, t = values
    vt = K.value_terms(pr, eng.terms, eng.policy, eng.bond, eng.weights())
    stack, _, opening, rise, fall, sq = eng._ladder()
    k = 1 if way == "up" else 2
    here, there = K.rungs(stack[0]), K.rungs(stack[k])
    d_depth, d_chan, d_frac, d_vis, d_cost = (b - a for a, b in zip(here, there, strict=True))
    security = vt.security * d_depth
    us = eng.world.us
    if us >= 0:
        security[..., us] *= vt.us_weight
    extra = eng.extras(t) * (rise if way == "up" else fall)
    zero = np.zeros_like(security)
    shared = shared_steps(eng)  # counted with affinity, per rung
    affinity = vt.affinity * d_frac
    if shared is not None:
        affinity = affinity + (shared if way == "up" else -shared)
    return {
        "security": security,
        "lattice": vt.lattice * d_depth,
        "affinity": affinity,
        "channel": vt.channel * d_chan,
        "economic": vt.economic * (vt.trade * d_chan + vt.inducement * d_depth),
        "risk": -vt.risk * d_vis,
        "upkeep": -vt.cost * d_cost * vt.strain,
        "opening": -opening if way == "up" else zero,
        "doctrine": extra,
        "status_quo": zero if sq is None else sq[0 if way == "up" else 1],
    }


def _choices(
    eng: Engine, values: Values, way: Literal["up", "down"]
) -> tuple[np.ndarray, np.ndarray]:
    """Noise-free: which partners each state spends its moves on now (R, N, N) boolean, by
    the model's own rule (:func:`~indopacsim.model.hazards.pursuits`,
    :func:`~indopacsim.model.hazards.wanted_cuts`), and the chance per step of each
    pair's move if made (R, N, N)."""
    up, down = values[0], values[1]
    lad = eng.config.ladder
    can_up, has_tie, rate, _ = move_gates(eng.ties, eng.caps(), lad.hazards, eng.world.floor)
    if way == "down":
        down = np.where(has_tie, down, -np.inf)
        return wanted_cuts(down), hazard(down, lad.down_hazard, lad.down_scale)
    up = np.where(can_up, up, -np.inf)
    mutual = agreement(up, lad.side_payments)
    chosen = pursuits(up, mutual, lad.max_initiatives, lad.feasible)
    return chosen, hazard(mutual, rate, lad.hazard_scale)


def decompose(
    scenario: Scenario,
    pairs: Sequence[tuple[str, str]],
    *,
    steps: int = 0,
    runs: int = 1,
    seed: int = 0,
    way: Literal["up", "down"] = "up",
) -> pd.DataFrame:
    """Each side's value of moving each pair a rung ``way``, term by term.

    The scenario is run ``steps`` steps with its timeline of events (``runs`` runs from
    ``seed``; 0: its start) and the values are those the next step would read before its
    noise, averaged over the runs. One row per side of each pair: ``valuer``,
    ``partner``, ``level`` (mean), one column per term of :data:`TERMS`, ``total``
    (their sum, the engine's value) and ``deal`` (for a move up, the pair's deal value
    :func:`~indopacsim.model.hazards.agreement`, the smaller total with the scenario's
    side payments: both sides must consent; for a move down, the larger total: either
    side may cut); and, noise-free, ``pursues`` (the share of runs in which the valuer
    spends its move on this pair now: an upgrade it pursues, or the cut it wants most),
    ``instead`` (the partner its move goes to in most runs otherwise) and ``chance``
    (the move's chance per step if made: the deal's hazard at the pair's level, or the
    cut's).

    Raises:
        ValueError: naming a state that is not in the scenario.
    """
    ens = Ensemble(scenario, runs, np.random.default_rng(seed))
    if steps:
        ens.run(steps)  # the scenario's timeline applies, as in any run
    eng, codes = ens.engine, list(ens.codes)
    unknown = sorted({c for p in pairs for c in p} - set(codes))
    if unknown:
        raise ValueError(f"states not in scenario {scenario.name!r}: {', '.join(unknown)}")
    now = eng.values()
    terms = _terms(eng, now, way)
    chosen, chance = _choices(eng, now, way)
    rows: list[dict[str, object]] = []
    for a, b in pairs:
        i, j = codes.index(a), codes.index(b)
        values = {
            (v, p): {name: float(x[:, v, p].mean()) for name, x in terms.items()}
            for v, p in ((i, j), (j, i))
        }
        totals = {k: sum(parts[name] for name in TERMS) for k, parts in values.items()}
        if way == "up":
            pair = np.array([[[0.0, totals[i, j]], [totals[j, i], 0.0]]])
            deal = float(agreement(pair, scenario.ladder.side_payments)[0, 0, 1])
        else:
            deal = max(totals.values())
        for (v, p), parts in values.items():
            level = float(eng.ties[:, v, p].mean())
            head = {"valuer": codes[v], "partner": codes[p], "level": level}
            move = {
                "pursues": float(chosen[:, v, p].mean()),
                "instead": _instead(chosen[:, v], p, codes),
                "chance": float(chance[:, v, p].mean()),
            }
            rows.append({**head, **parts, "total": totals[v, p], "deal": deal, **move})
    return pd.DataFrame(rows)


def _instead(chosen: np.ndarray, partner: int, codes: list[str]) -> str:
    """The partner (other than ``partner``) a state's moves go to in most runs, or ``-``."""
    counts = chosen.sum(axis=0)
    counts[partner] = 0
    return codes[int(counts.argmax())] if counts.max() > 0 else "-"


def markdown(table: pd.DataFrame, digits: int = 3) -> str:
    """The table of :func:`decompose` as a markdown table (values rounded)."""
    cols = ["valuer", "partner", "level", *TERMS, "total", "deal"]
    extra = ["pursues", "instead", "chance"]
    names = [*cols, *extra]
    head = "| " + " | ".join(names) + " |\n| " + " | ".join("---" for _ in names) + " |\n"
    body = []
    for r in table[names].itertuples(index=False):
        cells = [r[0], r[1], f"{r[2]:.1f}"] + [f"{x:+.{digits}f}" for x in r[3 : len(cols)]]
        pursues, instead, chance = r[len(cols) :]
        cells += [f"{pursues:.2f}", instead, f"{chance:.3f}"]
        body.append("| " + " | ".join(cells) + " |")
    return head + "\n".join(body) + "\n"


__all__ = ["TERMS", "decompose", "markdown"]
