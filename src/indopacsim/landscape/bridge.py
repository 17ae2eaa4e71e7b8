"""Landscape theory on an indopacsim world: both accounts of alignment on one world.

At a date of a run, the model's own preference terms give a landscape (Axelrod &
Bennett 1993): each state's size is its capability, and the propensity of a pair is
the mean over its two members of the value of full alignment beyond mere contact,

    p_ij = ((V_ij(top) - V_ij(1)) + (V_ji(top) - V_ji(1))) / 2,

with V the noise-free tie value of ``IndoPacModel.value_matrix`` (security, lattice,
affinity, economic terms, risk, upkeep, bonds and doctrine terms). A positive
propensity means the two would rather be on the same side. The base is a dialogue, not
no tie: trade and a crisis channel need contact, not alignment (China and Japan trade
and talk as rivals), so they do not make two states want to be on the same side. The landscape's
minima are the equilibrium prediction; the model's emergent camps (the sign of each
state's alignment index) and blocs are the agent-based one. :func:`compare_at` puts
them side by side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indopacsim.errors import InputError
from indopacsim.landscape.core import Landscape
from indopacsim.landscape.exact import MAX_EXACT_ACTORS
from indopacsim.landscape.result import LandscapeResult
from indopacsim.landscape.solvers import solve
from indopacsim.model.model import IndoPacModel
from indopacsim.scenario.schema import Scenario
from indopacsim.tiescale import MAX_LEVEL


def landscape_of(model: IndoPacModel) -> Landscape:
    """The landscape implied by a model's preference terms at its current step.

    The propensity of two states is the mean of their values of full alignment with each
    other (a treaty-level tie against a dialogue), costs and risks included.
    """
    net = model.value_matrix(level=MAX_LEVEL, base=1)
    prop = (net + net.T) / 2.0
    np.fill_diagonal(prop, 0.0)
    return Landscape(
        names=tuple(model.codes),
        sizes=np.asarray(model.world.capability, dtype=float),
        propensity=prop,
    )


@dataclass(frozen=True)
class BridgeResult:
    """Landscape minima and the model's emergent alignment at one date."""

    date: dt.date
    step: int
    result: LandscapeResult
    table: pd.DataFrame
    agreement: int


def compare_at(
    scenario: Scenario,
    at: dt.date,
    seed: int = 0,
    *,
    heuristic: bool = False,
) -> BridgeResult:
    """Run ``scenario`` up to the step containing ``at`` and compare the two theories.

    Args:
        scenario: The scenario.
        at: A date within the horizon.
        seed: The run's seed.
        heuristic: Use the heuristic landscape solver (needed above
            :data:`~indopacsim.landscape.exact.MAX_EXACT_ACTORS` states).

    Returns:
        The landscape result and a table with, per state, its side in the best minimum
        (0 is the side of the first state), its frustration there, the model's camp
        (``US`` for alignment >= 0, else ``China``), alignment index and bloc; and how
        many states the best minimum puts on the same side as the model's camp split
        (best matching of the two sides).

    Raises:
        InputError: If ``at`` is outside the horizon, or the scenario has more states
            than the exact solver takes and ``heuristic`` is off.
    """
    t = scenario.time
    if not t.start <= at < t.end:
        raise InputError(
            f"{at} is outside the horizon {t.start} .. {t.end} (exclusive)", field="--at"
        )
    if len(scenario.codes) > MAX_EXACT_ACTORS and not heuristic:
        raise InputError(
            f"{len(scenario.codes)} states: the exact solver takes at most "
            f"{MAX_EXACT_ACTORS}; add --heuristic",
            field="--at",
        )
    step = t.step_of(at)
    model = IndoPacModel(scenario, rng=seed, record=False)
    for _ in range(step):
        model.step()
    ls = landscape_of(model)
    rng = np.random.default_rng(seed) if heuristic else None
    result = solve(ls, heuristic=heuristic, rng=rng)
    best = result.best.labels
    camp = (model.alignment >= 0).astype(int)
    agree = int(max((best == camp).sum(), (best == 1 - camp).sum()))
    table = _side_by_side(model, result, camp)
    return BridgeResult(date=at, step=step, result=result, table=table, agreement=agree)


def _side_by_side(model: IndoPacModel, result: LandscapeResult, camp: np.ndarray) -> pd.DataFrame:
    """Per state: its side and frustration in the best minimum, and the model's account."""
    frus = result.frustration_at(0)
    return pd.DataFrame(
        {
            "iso3": model.codes,
            "capability": model.world.capability,
            "landscape_side": result.best.labels,
            "frustration": [frus[c] for c in model.codes],
            "model_camp": np.where(camp == 1, "US", "China"),
            "alignment": model.alignment,
            "bloc": model.blocs,
        }
    )


def report(bridge: BridgeResult, scenario: Scenario, top: int = 3) -> str:
    """Text report of :func:`compare_at`."""
    res = bridge.result
    lines = [
        f"Landscape of {scenario.name} at {bridge.date} (step {bridge.step}): "
        f"{res.landscape.n} states, {len(res.energies)} local minima ({res.method})",
        f"{'rank':>4}  {'energy':>10}  {'basin':>7}  sides",
    ]
    for r in range(min(top, len(res.energies))):
        m = res.minimum(r)
        sides = "  vs  ".join("{" + ", ".join(s) + "}" for s in m.sides)
        lines.append(f"{r + 1:>4}  {m.energy:>10.4g}  {m.basin:>7.2%}  {sides}")
    lines.append("")
    lines.append("Best minimum beside the model's emergent alignment:")
    shown = bridge.table.copy()
    for c in ("capability", "frustration", "alignment"):
        shown[c] = shown[c].map(lambda v: f"{v:.3f}")
    lines.append(shown.to_string(index=False))
    n = res.landscape.n
    lines.append(
        f"\nThe best minimum and the model's US/China camp split agree on {bridge.agreement} "
        f"of {n} states."
    )
    return "\n".join(lines)
