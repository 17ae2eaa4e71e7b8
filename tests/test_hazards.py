"""The hazards of agreement and summits (``docs/model.md`` section 7.8) on hand-built arrays.

Every answer is worked out by hand from the equations of the docs; every test can fail.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from indopacsim.model import hazards
from indopacsim.model.ensemble import run_ensemble
from indopacsim.model.world import tie_ceilings
from indopacsim.scenario.io import load_scenario


def test_hazard_is_zero_for_a_move_not_worth_making_or_not_allowed():
    v = np.array([-np.inf, -0.3, 0.0, 1e-9])
    h = hazards.hazard(v, 0.2, 0.05)
    assert np.all(h[:3] == 0.0) and 0.0 < h[3] < 1e-6


def test_hazard_is_proportional_for_small_values_and_saturates_at_the_top():
    top, s = 0.3, 0.05
    small = hazards.hazard(np.array([1e-4, 2e-4]), top, s)
    assert small[1] / small[0] == pytest.approx(2.0, rel=1e-3)  # twice the value, twice as fast
    assert small[0] == pytest.approx(top * 1e-4 / s, rel=1e-3)
    assert hazards.hazard(np.array([s]), top, s)[0] == pytest.approx(top * (1 - np.exp(-1)))
    assert hazards.hazard(np.array([50 * s]), top, s)[0] == pytest.approx(top)
    grid = hazards.hazard(np.linspace(0, 1, 50), top, s)
    assert np.all(np.diff(grid) >= 0)


def _pair(up01: float, up10: float, other: float = 1.0):
    """Three states; 0 and 1 want each other by ``up01``/``up10``, both prefer state 2."""
    up = np.full((1, 3, 3), -np.inf)
    up[0, 0, 1], up[0, 1, 0] = up01, up10
    up[0, 0, 2] = up[0, 2, 0] = up[0, 1, 2] = up[0, 2, 1] = other
    ties = np.zeros((1, 3, 3), dtype=np.int8)
    caps = np.full((1, 3, 3), 8, dtype=np.int8)
    return up, np.full((1, 3, 3), -np.inf), ties, caps


def test_a_summit_puts_a_pair_no_one_pursues_on_the_table():
    up, down, ties, caps = _pair(0.2, 0.2)
    draws = np.full((1, 3, 3), 0.99)
    draws[0, 0, 1] = 0.3  # above the ordinary hazard, below the summit's
    hz = (0.1, 0.0, 0.01, 0.0)
    met = np.zeros((3, 3), dtype=bool)
    met[0, 1] = met[1, 0] = True
    plain = hazards.choose_moves(up, down, ties, caps, draws, 1, hz, 1.0)
    assert plain[0, 0, 1] == 0  # neither pursues the pair: both prefer state 2
    summit = hazards.choose_moves(up, down, ties, caps, draws, 1, hz, 1.0, (met, 0.9))
    assert summit[0, 0, 1] == summit[0, 1, 0] == 1
    assert summit[0, 0, 2] == 0  # the summit's rate is for the pair that meets only


def _refused_favourite():
    """States 0 and 1 each gain most from state 2 (0.5, 0.3), who refuses both (-2.0: each
    deal is worth less than 0 to the pair even with full side payments); 0 and 1 both
    gain from their own deal (0.1)."""
    up = np.full((1, 3, 3), -np.inf)
    up[0, 0, 1] = up[0, 1, 0] = 0.1
    up[0, 0, 2], up[0, 2, 0] = 0.5, -2.0
    up[0, 1, 2], up[0, 2, 1] = 0.3, -2.0
    ties = np.zeros((1, 3, 3), dtype=np.int8)
    caps = np.full((1, 3, 3), 8, dtype=np.int8)
    return up, np.full((1, 3, 3), -np.inf), ties, caps


@pytest.mark.parametrize("feasible", [False, True])
def test_feasible_pursuit_spends_bandwidth_only_on_deals_the_partner_would_accept(feasible):
    """By their own gains, states 0 and 1 spend their one initiative each on state 2, who
    refuses: the deal between them, worth making to both, is never proposed. Pursuing only
    feasible deals, each proposes it."""
    up, down, ties, caps = _refused_favourite()
    draws = np.full((1, 3, 3), 0.99)
    draws[0, 0, 1] = 0.01  # below any positive hazard of (0, 1)
    rates = (0.5, 0.0, 0.01, 0.0)
    out = hazards.choose_moves(up, down, ties, caps, draws, 1, rates, 1.0, None, None, feasible)
    assert out[0, 0, 1] == out[0, 1, 0] == (1 if feasible else 0)
    assert out[0, 0, 2] == out[0, 1, 2] == 0  # refused deals never close


def test_a_summit_between_states_that_do_not_want_a_deal_ends_in_words():
    up, down, ties, caps = _pair(-0.2, 0.1)  # joint gain -0.05 with full side payments
    draws = np.full((1, 3, 3), 0.0)  # the most favourable draw
    met = np.zeros((3, 3), dtype=bool)
    met[0, 1] = met[1, 0] = True
    rates = (0.1, 0.0, 0.01, 0.0)
    out = hazards.choose_moves(up, down, ties, caps, draws, 1, rates, 1.0, (met, 1.0))
    assert out[0, 0, 1] == 0


def test_the_uk_japan_summits_deepen_the_tie_within_2026_only_where_both_want_it():
    """The baseline's January talks and July 2+2 are summits. They carry the tie up only
    because the model's deal value is positive: with the summits removed the tie moves at
    the ordinary rate, and a summit between Japan and Russia (whose deal value is negative)
    leaves their tie where it is."""
    sc = load_scenario("uk_japan_2026")
    steps = 4  # the four quarters of 2026
    res = run_ensemble(sc, 100, 0, steps=steps)
    g, j, r = (res.codes.index(x) for x in ("GBR", "JPN", "RUS"))
    with_summits = res.ties[:, g, j].mean() - res.ties0[g, j]
    plain = sc.model_copy(update={"events": [e for e in sc.events if e.kind != "summit"]})
    without = run_ensemble(plain, 100, 0, steps=steps).ties[:, g, j].mean() - res.ties0[g, j]
    assert with_summits >= 0.5 > without
    events = [
        e.model_copy(update={"summit": ("JPN", "RUS")}) if e.kind == "summit" else e
        for e in sc.events
    ]
    jr = run_ensemble(sc.model_copy(update={"events": events}), 100, 0, steps=steps)
    assert (jr.ties[:, j, r] > jr.ties0[j, r]).mean() < 0.1


def test_deeper_upgrades_are_slower_by_the_depth_decay():
    ties = np.array([[[0, 1], [1, 0]], [[0, 5], [5, 0]]], dtype=np.int8)
    r = hazards.top_rates(ties, 0.2, 0.3)
    assert r[0, 0, 1] == pytest.approx(0.2 * np.exp(-0.3))
    assert r[1, 0, 1] == pytest.approx(0.2 * np.exp(-1.5))
    assert np.all(hazards.top_rates(ties, 0.2, 0.0) == 0.2)
    # in the moves: the same deal closes from level 1 and not from level 5 at one draw
    up = np.full((2, 2, 2), 0.5)
    down = np.full((2, 2, 2), -np.inf)
    caps = np.full((2, 2, 2), 8, dtype=np.int8)
    draws = np.full((2, 2, 2), 0.1)
    out = hazards.choose_moves(up, down, ties, caps, draws, 1, (0.2, 0.0, 0.01, 0.3), 1.0)
    assert out[0, 0, 1] == 1 and out[1, 0, 1] == 0


def test_japans_constitutional_ceiling_holds_and_the_lower_wildcard_wins():
    codes = ("USA", "CHN", "GBR", "JPN", "TWN")
    cap = tie_ceilings(codes)
    usa, chn, gbr, jpn, twn = range(5)
    assert cap[jpn, usa] == 8 and cap[jpn, gbr] == 7
    assert cap[jpn, chn] == 6  # China's non-alliance (6) below Japan's constitution (7)
    assert cap[jpn, twn] == 1 and cap[chn, twn] == 1
    assert cap[gbr, usa] == 8
    res = run_ensemble(load_scenario("uk_japan_2026"), 30, 2)
    j, us = res.codes.index("JPN"), res.codes.index("USA")
    others = np.delete(res.ties[:, j, :], us, axis=1)
    assert others.max() <= 7


def test_a_cut_comes_sooner_the_more_the_tie_costs():
    """Cuts with their own scale (section 7.8): two ties at level 3 that two states each
    want to cut, one losing them 0.01, the other 0.5. With the cut's top rate 1 and scale
    0.3: h = 1 - exp(-0.01 / 0.3) = 0.0328 and 1 - exp(-0.5 / 0.3) = 0.811."""
    up = np.full((1, 4, 4), -np.inf)
    down = np.full((1, 4, 4), -np.inf)
    down[0, 0, 1] = 0.01  # state 0 wants to cut its tie to 1, a little
    down[0, 2, 3] = 0.5  # state 2 wants to cut its tie to 3, a lot
    ties = np.zeros((1, 4, 4), dtype=np.int8)
    ties[0, 0, 1] = ties[0, 1, 0] = ties[0, 2, 3] = ties[0, 3, 2] = 3
    caps = np.full((1, 4, 4), 8, dtype=np.int8)
    rates = (0.1, 1.0, (0.0025, 0.3), 0.0)
    for u, small, large in ((0.1, 0, 0), (0.5, 0, -1), (0.98, -1, -1)):
        draws = np.full((1, 4, 4), u)  # a cut happens when u > 1 - p
        out = hazards.choose_moves(up, down, ties, caps, draws, 1, rates)
        assert (out[0, 0, 1], out[0, 2, 3]) == (small, large), u
    # a shared scale (one number) is the flat form: both cut at nearly the top rate
    draws = np.full((1, 4, 4), 0.5)
    out = hazards.choose_moves(up, down, ties, caps, draws, 1, (0.1, 1.0, 0.0025, 0.0))
    assert out[0, 0, 1] == out[0, 2, 3] == -1


def test_the_crimea_suspensions_come_sooner_with_the_graded_cut():
    """The record the graded cut was adopted for (docs/model.md section 7.8): in the 2012
    world, the West's ties with Russia cut within 2014 after the annexation of Crimea
    (the scenario's 2014-03-18 event). 200 runs: the four pairs are cut by the end of 2014
    in 0.28, 0.10, 0.50 and 0.07 of runs (USA, FRA, CAN, GBR) against 0.14, 0.06, 0.17
    and 0.05 with a flat cut at the top rate of the calibration before it (0.022)."""
    sc = load_scenario("hindcast_2012")
    steps = sc.time.step_of(dt.date(2015, 1, 1)) - 1
    flat = {"ladder.down_hazard": 0.022, "ladder.down_scale": 0.0025}
    shares = []
    for overrides in ({}, flat):
        res = run_ensemble(sc, 100, 0, overrides, steps=steps)
        c = res.codes
        pairs = [(c.index("RUS"), c.index(x)) for x in ("USA", "FRA", "CAN", "GBR")]
        shares.append(sum(float((res.ties[:, i, j] < res.ties0[i, j]).mean()) for i, j in pairs))
    assert shares[0] > 1.5 * shares[1], shares
