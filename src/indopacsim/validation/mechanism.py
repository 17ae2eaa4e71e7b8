"""Does the mechanism answer the questions it claims to? Measures on the baseline.

Each function measures one property the model must have for its conclusions to mean
anything, on ensembles of the baseline scenario (``uk_japan_2026``): the timing of tie
changes (no freeze in the first year), the effect of each of the paper's drivers on the
pairs' mean end levels, the effect of doctrines on a middle power's payoff and ties, the
UK-Japan agreement, and implausible end states. ``tests/test_mechanism.py`` asserts the
thresholds; ``docs/validation.md`` reports the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indopacsim.model.ensemble import Ensemble, EnsembleResult, run_ensemble
from indopacsim.model.hazards import agreement
from indopacsim.scenario.io import load_scenario, with_overrides
from indopacsim.scenario.schema import Scenario
from indopacsim.scenario.types import STEP_MONTHS
from indopacsim.tiescale import MAX_LEVEL

BASELINE = "uk_japan_2026"

#: The paper's drivers: parameter path, low and high value, and the direction theory and
#: the paper give (what must rise from low to high).
DRIVERS: dict[str, tuple[float | str, float | str, str]] = {
    "us.reliability": (0.2, 0.9, "less reliability: more ties among US partners without the US"),
    "china.coercion": (0.2, 1.0, "more coercion: more and deeper ties among US partners"),
    "china.retaliation": (0.1, 0.8, "more retaliation: exposed states align less with the US"),
    "russia.threat": (0.2, 1.0, "more Russian threat: Europe balances Russia, the UK looks home"),
    "costs.distance": ("third", "triple", "costlier distance: fewer long-distance ties"),
}


def baseline(overrides: dict[str, object] | None = None) -> Scenario:
    """The baseline scenario with overrides."""
    return with_overrides(load_scenario(BASELINE), overrides or {})


@dataclass(frozen=True)
class Timing:
    """Tie changes per year (mean per run) and the first year's share of them."""

    per_year: np.ndarray
    first_year_share: float


def timing(runs: int = 20, seed: int = 0) -> Timing:
    """Changes per year in the baseline and the share that falls in the first year."""
    res = run_ensemble(baseline(), runs, seed)
    per_year = res.changes.reshape(-1, 4).sum(axis=1) / runs
    return Timing(per_year=per_year, first_year_share=float(per_year[0] / per_year.sum()))


def driver_values(path: str, scenario: Scenario | None = None) -> tuple[float, float]:
    """The low and high value of a driver (distance: a third and three times the default)."""
    lo, hi, _ = DRIVERS[path]
    if path == "costs.distance":
        d = (scenario or baseline()).costs.distance
        return d / 3.0, d * 3.0
    return float(lo), float(hi)


def driver_effect(
    path: str, runs: int = 10, seed: int = 1, scenario: Scenario | None = None
) -> pd.DataFrame:
    """Mean end level of every pair at the driver's low and high value (common seeds), on
    the baseline or on ``scenario`` (e.g. the baseline at another parameter set).

    Returns one row per pair: a, b, start, low, high, diff (= high - low).
    """
    sc = baseline() if scenario is None else scenario
    lo, hi = driver_values(path, sc)
    res_lo = run_ensemble(sc, runs, seed, {path: lo})
    res_hi = run_ensemble(sc, runs, seed, {path: hi})
    return _pair_table(res_lo, res_lo.mean_level(), res_hi.mean_level())


def _pair_table(res: EnsembleResult, low: np.ndarray, high: np.ndarray) -> pd.DataFrame:
    i, j = np.triu_indices(len(res.codes), 1)
    return pd.DataFrame(
        {
            "a": [res.codes[k] for k in i],
            "b": [res.codes[k] for k in j],
            "start": res.ties0[i, j],
            "low": low[i, j],
            "high": high[i, j],
            "diff": high[i, j] - low[i, j],
        }
    )


def material(table: pd.DataFrame, share: float = 0.1) -> pd.DataFrame:
    """Pairs whose mean end level moves by at least ``share`` of the top of the scale."""
    return table[table["diff"].abs() >= share * MAX_LEVEL]


def pace_bound(scenario: Scenario | None = None, years: float = 10.0) -> pd.DataFrame:
    """The most a pair can move in ``years`` at the calibrated pace, by starting level.

    An upper bound on any driver's effect on one pair: the expected rungs gained when one
    side pursues that pair's upgrade at every step and the other always accepts (the top
    rate ``h_up e^(-lambda L)`` of :func:`~indopacsim.model.hazards.top_rates` each step,
    one rung at a time), its chance of gaining at least one rung, and the same for cuts
    wanted at every step (``h_down``). A driver moves a pair's mean end level by at most
    the gap between such a pursuit in one setting and none in the other. Columns: level,
    gain, p_gain, cut, p_cut.
    """
    sc = scenario or baseline()
    lad = sc.ladder
    steps = round(years * 12 / STEP_MONTHS[sc.time.step])
    levels = np.arange(MAX_LEVEL + 1)
    up = lad.up_hazard * np.exp(-lad.depth_decay * levels)
    up[MAX_LEVEL] = 0.0
    down = np.where(levels > 0, lad.down_hazard, 0.0)
    rows = []
    for start in levels:
        rise, fall = _chain(int(start), up, steps, +1), _chain(int(start), down, steps, -1)
        rows.append(
            {
                "level": int(start),
                "gain": float(rise @ levels - start),
                "p_gain": float(1.0 - rise[start]),
                "cut": float(start - fall @ levels),
                "p_cut": float(1.0 - fall[start]),
            }
        )
    return pd.DataFrame(rows)


def _chain(start: int, rate: np.ndarray, steps: int, way: int) -> np.ndarray:
    """The distribution of the level after ``steps`` steps of moving one rung ``way`` with
    chance ``rate[level]`` each step (a Markov chain; the levels' probabilities)."""
    p = np.zeros(len(rate))
    p[start] = 1.0
    for _ in range(steps):
        moved = p * rate
        p = p - moved
        p += np.roll(moved, way)
    return p


def us_partners(scenario: Scenario | None = None) -> list[str]:
    """States with a tie of level 4 or more to the US at the start (the US camp)."""
    sc = scenario or baseline()
    res = run_ensemble(sc, 1, 0, steps=0)
    us = res.codes.index("USA")
    return [c for k, c in enumerate(res.codes) if k != us and res.ties0[us, k] >= 4]


def doctrine_payoffs(
    state: str,
    doctrines: tuple[str, ...],
    runs: int = 10,
    seed: int = 3,
    base: Scenario | None = None,
) -> pd.DataFrame:
    """A state's mean payoff and own ties under each doctrine (others as in the baseline,
    or in ``base``).

    Returns one row per doctrine: mean payoff over runs, its standard deviation across
    runs (seeds), the payoff of each run (``runs``, for :func:`paired_effects`) and the
    state's mean end level of each of its ties (as a dict).
    """
    rows: list[dict[str, object]] = []
    for d in doctrines:
        sc = with_overrides(base or baseline(), {f"states.{state}.doctrine": d})
        res = run_ensemble(sc, runs, seed, payoffs=True)
        k = res.codes.index(state)
        pay = res.payoff[:, k]
        ties = res.ties[:, k, :].mean(axis=0)
        rows.append(
            {
                "doctrine": d,
                "payoff": float(pay.mean()),
                "sd": float(pay.std(ddof=1)),
                "runs": pay,
                "ties": {c: round(float(v), 2) for c, v in zip(res.codes, ties, strict=True)},
            }
        )
    return pd.DataFrame(rows)


def paired_effects(table: pd.DataFrame) -> pd.DataFrame:
    """Every pair of doctrines of a :func:`doctrine_payoffs` table compared run by run
    (common random numbers: run k of each doctrine draws from the same seed until their
    choices part).

    Columns: a, b, diff (mean payoff under ``a`` minus under ``b``), sd (the SD of the
    run-by-run differences) and effect (|diff| / sd), largest effect first. A reading of
    "seed standard deviations" more lenient than the payoff's own SD (the paired
    difference's spread).
    """
    rows = []
    named = list(zip(table["doctrine"], table["runs"], strict=True))
    for k, (a, pa) in enumerate(named):
        for b, pb in named[k + 1 :]:
            diff = pa - pb
            sd = float(diff.std(ddof=1))
            effect = abs(float(diff.mean())) / sd if sd > 0 else 0.0
            rows.append({"a": a, "b": b, "diff": float(diff.mean()), "sd": sd, "effect": effect})
    return pd.DataFrame(rows).sort_values("effect", ascending=False, ignore_index=True)


def uk_japan_by_date(runs: int = 20, seed: int = 0, year_end: str = "2027-01-01") -> float:
    """Mean UK-Japan level at a date of the baseline (by default the end of 2026)."""
    sc = baseline()
    steps = sc.time.step_of(pd.Timestamp(year_end).date()) - 1
    res = run_ensemble(sc, runs, seed, steps=steps)
    i, j = res.codes.index("GBR"), res.codes.index("JPN")
    return float(res.ties[:, i, j].mean())


def deal_values(path: str, steps: int = 12, runs: int = 10, seed: int = 1) -> pd.DataFrame:
    """The deal value of the next upgrade of every pair of US partners (the US left out)
    after ``steps`` steps at a driver's low and at its high value (mean over runs).

    A driver acts on the dynamics through the sign of a deal's value more than its size
    (the calibrated hazard is nearly a step, ``docs/validation.md``): this table shows how
    far a driver changes the values and how many it turns from positive to negative or
    back. Pairs at their ceiling are left out. Columns: a, b, level (at the low value),
    low, high.
    """
    sc = baseline()
    partners = [c for c in us_partners(sc) if c != "USA"]
    out = []
    for value in driver_values(path, sc):
        ens = Ensemble(with_overrides(sc, {path: value}), runs, np.random.default_rng(seed))
        ens.run(steps)
        eng = ens.engine
        up = eng.values()[0]
        caps = eng.caps()
        up = np.where(eng.ties < np.minimum(caps, np.swapaxes(caps, 1, 2)), up, -np.inf)
        out.append((agreement(up, eng.config.ladder.side_payments).mean(axis=0), eng.ties))
    idx = [ens.codes.index(c) for c in partners]
    rows = [
        {
            "a": ens.codes[i],
            "b": ens.codes[j],
            "level": float(out[0][1][:, i, j].mean()),
            "low": float(out[0][0][i, j]),
            "high": float(out[1][0][i, j]),
        }
        for k, i in enumerate(idx)
        for j in idx[k + 1 :]
        if np.isfinite(out[0][0][i, j]) and np.isfinite(out[1][0][i, j])
    ]
    return pd.DataFrame(rows)


def implausible(res: EnsembleResult) -> dict[str, float]:
    """Share of runs in which each implausible end state of the old model occurs.

    China's dialogue ties with most partners falling to 0; China-Vietnam or China-Malaysia
    falling to 0; China-Russia a treaty; North Korea with dialogue ties to five or more
    states; Russia-Philippines or Russia-Thailand at 2 or more; Taiwan with dialogue ties
    to ten or more states.
    """
    c = res.codes
    t = res.ties
    cn, ru, kp, tw = (c.index(x) for x in ("CHN", "RUS", "PRK", "TWN"))
    start_cn = res.ties0[cn] > 0
    lost = ((t[:, cn, :] == 0) & start_cn[None, :]).sum(axis=1) / max(start_cn.sum(), 1)
    return {
        "china_loses_most_dialogues": float((lost > 0.5).mean()),
        "china_vietnam_or_malaysia_to_0": float(
            ((t[:, cn, c.index("VNM")] == 0) | (t[:, cn, c.index("MYS")] == 0)).mean()
        ),
        "china_russia_treaty": float((t[:, cn, ru] == MAX_LEVEL).mean()),
        "north_korea_5_dialogues": float(((t[:, kp, :] > 0).sum(axis=1) >= 5).mean()),
        "russia_philippines_or_thailand_2": float(
            ((t[:, ru, c.index("PHL")] >= 2) | (t[:, ru, c.index("THA")] >= 2)).mean()
        ),
        "taiwan_10_dialogues": float(((t[:, tw, :] > 0).sum(axis=1) >= 10).mean()),
    }
