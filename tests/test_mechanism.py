"""The mechanism answers the questions it claims to (issue 9's acceptance, measured).

Every test runs ensembles of the baseline (``uk_japan_2026``) with fixed seeds through
:mod:`indopacsim.validation.mechanism`; ``docs/validation.md`` reports the same figures.

The issue's thresholds that the calibrated model does not meet are kept as strict
expected failures with the measured figure in the reason: they turn into failures the day
the model meets them (and the marker must go), and they say plainly where it falls short.
"""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim.model.ensemble import run_ensemble
from indopacsim.tiescale import MAX_LEVEL
from indopacsim.validation import mechanism as M


def test_changes_are_spread_over_the_decade():
    # 100 runs: the last years' means are near the floor of 2 (2.1-2.2 at 100 runs, seeds
    # 0-2), where 20 runs read anything from 1.6 to 2.6
    t = M.timing(runs=100, seed=0)
    assert t.first_year_share <= 0.40, t.per_year
    assert np.all(t.per_year[1:] >= 2.0) and np.all(t.per_year[1:] <= 20.0), t.per_year


@pytest.fixture(scope="module")
def partners():
    return set(M.us_partners())


def _among(table, states, without=()):
    keep = table["a"].isin(states) & table["b"].isin(states)
    for s in without:
        keep &= (table["a"] != s) & (table["b"] != s)
    return table[keep]


SHORT = "calibrated on 2006-2019 the model changes slowly (3-5 tie changes a year of 276 pairs)"


#: Pairs whose mean end level moves by >= 0.8 under each driver that misses the target.
MATERIAL_SHORTFALL = {
    "us.reliability": 1,
    "china.retaliation": 3,
    "russia.threat": 0,
}


def _driver_param(path):
    if path not in MATERIAL_SHORTFALL:
        return pytest.param(path, id=path)
    reason = (
        f"{SHORT}: {MATERIAL_SHORTFALL[path]} pairs move by >= 0.8 under {path} "
        "(docs/validation.md, 'The mechanism on the 2026 baseline')"
    )
    return pytest.param(path, id=path, marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize("path", [_driver_param(p) for p in M.DRIVERS])
def test_each_driver_moves_at_least_five_pairs_materially(path):
    table = M.driver_effect(path, runs=10, seed=1)
    assert len(M.material(table)) >= 5, table.reindex(table["diff"].abs().sort_values().index)


def test_coercion_deepens_ties_among_us_partners(partners):
    """A direction over some 150 pairs (40 runs: +11.6 rungs in all, 41 pairs up and 22
    down; the paired interval of the same outcome is the coercion claim of
    ``tests/test_validation.py``)."""
    table = M.driver_effect("china.coercion", runs=40, seed=1)
    among = _among(table, partners | {"USA"})
    assert among["diff"].sum() > 5.0
    assert (among["diff"] > 0).sum() > 1.5 * (among["diff"] < 0).sum()


def test_less_reliability_builds_ties_among_us_partners_without_the_us(partners):
    table = M.driver_effect("us.reliability", runs=10, seed=1)
    among = _among(table, partners, without=("USA",))
    # reliability rises from low to high: ties among partners must be deeper at LOW reliability
    assert among["diff"].sum() < 0


def test_less_reliability_raises_the_deal_values_among_us_partners():
    # the lattice's need (1 - trust x depth of the US tie) grows as trust falls
    table = M.deal_values("us.reliability", steps=8, runs=4)
    assert len(table) > 50
    assert (table["low"] > table["high"]).mean() > 0.8
    assert table["low"].sum() > 1.5 * table["high"].sum()


def test_retaliation_lowers_exposed_states_alignment():
    table = M.driver_effect("china.retaliation", runs=10, seed=1)
    us_camp = table[(table["a"] == "USA") | (table["b"] == "USA")]
    assert us_camp["diff"].sum() < 0


def test_distance_costs_thin_long_ties():
    table = M.driver_effect("costs.distance", runs=10, seed=1)
    moved = table[table["diff"].abs() >= 0.3]
    assert (moved["diff"] < 0).sum() >= 5
    assert (moved["diff"] < 0).sum() > (moved["diff"] > 0).sum()
    assert table["diff"].sum() < 0


EUROPE = {"GBR", "FRA", "DEU", "ITA", "NLD", "FIN", "USA", "CAN"}


@pytest.mark.xfail(
    strict=True,
    reason="the 28 Euro-Atlantic pairs of 2026 are NATO treaty ties, held at the top of "
    "the ladder (docs/model.md section 7.8): nothing is left to draw together; before the "
    "treaty floor the only movement was NATO pairs thinning a rung at a low threat",
)
def test_russian_threat_draws_europe_together():
    table = M.driver_effect("russia.threat", runs=10, seed=1)
    assert _among(table, EUROPE)["diff"].sum() > 0


def test_the_uk_japan_agreement_deepens_the_tie_within_2026():
    start = 6
    assert M.uk_japan_by_date(runs=20, seed=0, year_end="2027-01-01") > start + 0.5


@pytest.mark.xfail(
    strict=True,
    reason=f"{SHORT}: a doctrine moves a middle power's mean payoff by 0.4-1.4 seed SDs "
    "(0-2.1 over all 21; paired, up to 4.8), not 5",
)
@pytest.mark.parametrize("state", ["JPN", "AUS", "PHL", "VNM", "IND"])
def test_doctrine_changes_payoff_and_ties(state):
    table = M.doctrine_payoffs(state, ("balance", "hedge", "bandwagon", "network", "autonomy"))
    spread = table["payoff"].max() - table["payoff"].min()
    assert spread > 5 * table["sd"].max(), table
    ties = np.array([list(t.values()) for t in table["ties"]])
    assert np.abs(ties - ties[0]).max() >= 1.0


@pytest.fixture(scope="module")
def baseline_end():
    return run_ensemble(M.baseline(), 20, 5)


@pytest.mark.parametrize(
    "check",
    [
        "china_loses_most_dialogues",
        "china_vietnam_or_malaysia_to_0",
        "china_russia_treaty",
        "north_korea_5_dialogues",
        "russia_philippines_or_thailand_2",
        "taiwan_10_dialogues",
    ],
)
def test_no_implausible_end_state_in_most_runs(baseline_end, check):
    assert M.implausible(baseline_end)[check] < 0.5


def test_china_russia_cannot_reach_treaty_level():
    res = run_ensemble(M.baseline({"china.coercion": 1.0, "russia.threat": 1.0}), 10, 2)
    c = res.codes
    assert res.ties[:, c.index("CHN"), c.index("RUS")].max() < MAX_LEVEL


def test_doctrine_changes_what_a_state_does():
    """The doctrines are policies over the same choices whose consequences differ."""
    table = M.doctrine_payoffs("VNM", ("balance", "bandwagon"), runs=10)
    ties = np.array([list(t.values()) for t in table["ties"]])
    assert np.abs(ties[0] - ties[1]).max() >= 0.5
    assert table["payoff"].iloc[0] != table["payoff"].iloc[1]


def test_the_pace_bound_by_hand():
    """Continuous pursuit for ten years (40 quarters) at the calibrated top rates."""
    sc = M.baseline()
    lad = sc.ladder
    bound = M.pace_bound(sc).set_index("level")
    r7 = lad.up_hazard * np.exp(-lad.depth_decay * 7)  # from 7 only one rung is left
    assert bound.loc[7, "gain"] == pytest.approx(1 - (1 - r7) ** 40)
    assert bound.loc[7, "p_gain"] == pytest.approx(bound.loc[7, "gain"])
    assert bound.loc[1, "cut"] == pytest.approx(1 - (1 - lad.down_hazard) ** 40)
    assert bound.loc[0, "cut"] == 0.0 and bound.loc[8, "gain"] == 0.0
    # deeper ties move more slowly, and a cut at the top rate every quarter can take a tie
    # down by as many rungs as it has, at most one a quarter
    assert bound["gain"].is_monotonic_decreasing
    assert (bound["cut"] <= bound.index.to_numpy()).all()
    assert bound["cut"].is_monotonic_increasing


def test_paired_effects_compare_runs_one_by_one():
    table = M.paired_effects(M.doctrine_payoffs("JPN", ("balance", "hedge", "network"), runs=4))
    assert len(table) == 3 and set(zip(table["a"], table["b"], strict=True)) == {
        ("balance", "hedge"),
        ("balance", "network"),
        ("hedge", "network"),
    }
    assert (table["effect"].diff().dropna() <= 0).all()  # largest first
    assert np.allclose(table["effect"], table["diff"].abs() / table["sd"])
    # the same doctrine twice: the same runs, no difference
    same = M.paired_effects(M.doctrine_payoffs("JPN", ("balance", "balance"), runs=3))
    assert same["diff"].iloc[0] == 0.0 and same["effect"].iloc[0] == 0.0


def test_doctrine_payoffs_run_on_a_given_base():
    plain = M.doctrine_payoffs("GBR", ("balance", "hedge"), runs=3)
    same = M.doctrine_payoffs("GBR", ("balance", "hedge"), runs=3, base=M.baseline())
    assert np.array_equal(np.stack(plain["runs"]), np.stack(same["runs"]))
    dear = M.baseline({"costs.opening": 0.25})
    other = M.doctrine_payoffs("GBR", ("balance", "hedge"), runs=3, base=dear)
    assert not np.array_equal(np.stack(plain["runs"]), np.stack(other["runs"]))
