"""The calibration's scoring rules: Brier as before, the ignorance score as a choice."""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim.validation import calibration as C
from indopacsim.validation import hindcast as H
from indopacsim.validation import scoring as S


def test_brier_is_the_hindcasts_brier():
    rng = np.random.default_rng(0)
    p, y = rng.random(50), rng.random(50) < 0.3
    assert S.score("brier", p, y, 10) == pytest.approx(H.score(p, y).brier, abs=1e-12)


def test_a_share_of_zero_costs_the_jeffreys_bound_not_infinity():
    runs = 99
    assert S.jeffreys(np.array([0.0, 1.0]), runs) == pytest.approx([0.005, 0.995])
    got = S.score("log", np.array([0.0]), np.array([True]), runs)
    assert got == pytest.approx(np.log(2 * runs + 2))
    # the same miss costs Brier at most 1, the ignorance score far more
    assert S.score("brier", np.array([0.0]), np.array([True]), runs) == 1.0


def test_both_rules_are_proper_the_true_chance_scores_best():
    """The expected score of a stated share under a true chance of 0.2 is lowest at 0.2."""
    grid, runs, true = np.linspace(0.0, 1.0, 101), 100, 0.2
    for rule in S.RULES:
        yes = np.array([S.score(rule, np.array([q]), np.array([1.0]), runs) for q in grid])
        no = np.array([S.score(rule, np.array([q]), np.array([0.0]), runs) for q in grid])
        expected = true * yes + (1 - true) * no
        assert grid[np.argmin(expected)] == pytest.approx(true, abs=0.011), rule


def test_pair_weights_weigh_the_pairs():
    p, y = np.array([0.1, 0.9]), np.array([0.0, 0.0])
    w = np.array([1.0, 0.0])
    assert S.score("log", p, y, 10, w) == S.score("log", p[:1], y[:1], 10)


def test_an_unknown_rule_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'spherical'.*brier, log"):
        S.score("spherical", np.zeros(1), np.zeros(1), 1)
    with pytest.raises(ValueError, match="unknown scoring rule 'spherical'"):
        C.Objective(runs=1, rule="spherical")


def test_the_objective_scores_by_the_rule_it_is_given():
    params = C.frozen()["parameters"]
    brier = C.Objective(runs=4, seed=2, window="2013-2015")
    log = C.Objective(runs=4, seed=2, window="2013-2015", rule="log")
    assert log(params) > brier(params) > 0  # the ignorance of a miss exceeds its Brier
    joint = C.objective(2, 3, window="2013-2015+2016-2019", rule="log")
    assert all(p.rule == "log" for p in joint.parts)


def test_a_calibration_records_its_rule():
    kw = {"screen": 2, "refine": 2, "runs": 2, "seed": 5, "refine_runs": 2}
    rec = C.calibrate(window="2013-2015", fixed_starts=False, rule="log", **kw)
    assert rec["objective"].startswith("ignorance") and rec["window"] == "2013-2015"
    assert C.calibrate(window="2013-2015", fixed_starts=False, **kw)["objective"].startswith(
        "Brier(p_up) + Brier(p_down)"
    )


@pytest.mark.parametrize(
    ("name", "rule"),
    [("calibration_2006_2012.json", "brier"), ("calibration_2006_2012_ignorance.json", "log")],
)
def test_the_fits_of_the_rules_test_saw_only_2006_2012(name, rule):
    """The records of the out-of-time test: the earlier window alone, screened starts only
    (two starts), by their rule, every free parameter within its range."""
    import json
    from importlib import resources

    rec = json.loads(resources.files("indopacsim.data").joinpath(name).read_text())
    assert rec["window"] == "2006-2012" and rec["scenario"] == "hindcast_2005"
    assert rec["rule"] == rule and rec["objective"] == C._described(rule)
    assert len(rec["starts"]) == 2 and f"--rule {rule}" in rec["note"]
    assert set(rec["parameters"]) == set(C.FREE)
    for k, (lo, hi, _) in C.FREE.items():
        assert lo <= rec["parameters"][k] <= hi, k
