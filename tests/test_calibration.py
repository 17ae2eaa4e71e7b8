"""The calibration is frozen, reproducible and uses nothing from the scored window."""

from __future__ import annotations

import datetime as dt

from indopacsim.scenario.io import load_scenario
from indopacsim.scenario.schema import Scenario
from indopacsim.validation import calibration


def test_schema_defaults_are_the_frozen_calibration():
    rec = calibration.frozen()
    sc = Scenario()
    assert set(rec["parameters"]) == set(calibration.FREE)
    for path, value in rec["parameters"].items():
        section, name = path.split(".")
        assert getattr(getattr(sc, section), name) == value, path


def test_the_record_says_what_was_fitted_and_how_long_it_took():
    rec = calibration.frozen()
    assert rec["window"] == calibration.WINDOW == "2006-2012+2013-2019"
    assert rec["scenario"] == "hindcast_2005+hindcast_2012"
    assert rec["seconds"] > 0 and rec["evaluations"] > 0 and "seed" in rec


def test_the_calibration_windows_end_before_2020():
    names = calibration.frozen()["scenario"].split("+")
    for window, name in zip(calibration.WINDOW.split("+"), names, strict=True):
        sc = load_scenario(name)
        scenario, start, end = calibration.H.WINDOWS[window]
        assert scenario == name and sc.world == str(start.year - 1)
        assert sc.time.end <= dt.date(2020, 1, 1) and end < dt.date(2020, 1, 1)
        assert all(ev.date < dt.date(2020, 1, 1) for ev in sc.events)


def test_a_small_calibration_reruns_to_the_same_parameters():
    a = calibration.calibrate(screen=3, refine=4, runs=3, seed=5, refine_runs=4)
    b = calibration.calibrate(screen=3, refine=4, runs=3, seed=5, refine_runs=4)
    assert a["parameters"] == b["parameters"] and a["value"] == b["value"]


def test_the_warm_start_is_a_fifth_start_that_can_be_left_out():
    warm = calibration.calibrate(screen=3, refine=4, runs=3, seed=5, refine_runs=4)
    cold = calibration.calibrate(screen=3, refine=4, runs=3, seed=5, refine_runs=4, warm=False)
    assert len(warm["starts"]) == 5 and cold["starts"] == warm["starts"][:4]
    assert set(calibration.PREVIOUS_START) == set(calibration.FREE)


def test_a_fit_to_part_of_the_window_sees_only_that_part():
    kw = {"screen": 3, "refine": 4, "runs": 3, "seed": 5, "refine_runs": 4}
    part = calibration.calibrate(window="2013-2015", fixed_starts=False, **kw)
    assert part["window"] == "2013-2015" and len(part["starts"]) == 2
    whole = calibration.calibrate(fixed_starts=False, **kw)
    assert part["screen_best"] != whole["screen_best"]  # another window, another objective
    obj = calibration.Objective(runs=2, window="2013-2015")
    assert obj.scenario.time.end == dt.date(2016, 1, 1)
    assert all(ev.date < dt.date(2016, 1, 1) for ev in obj.scenario.events)


def test_a_joint_objective_is_the_mean_of_its_windows():
    params = calibration.frozen()["parameters"]
    joint = calibration.objective(2, 3, window="2013-2015+2016-2019")
    assert isinstance(joint, calibration.JointObjective)
    assert joint.name == "hindcast_2012+hindcast_2012"
    parts = [calibration.Objective(2, 3, window=w)(params) for w in ("2013-2015", "2016-2019")]
    assert joint(params) == sum(parts) / 2
    assert joint.evaluations == 1
    assert isinstance(calibration.objective(2, 3), calibration.JointObjective)  # the default
    assert isinstance(calibration.objective(2, 3, window="2013-2019"), calibration.Objective)


def test_the_windows_share_their_pairs_so_pair_weights_apply_to_both():
    """A state-bootstrap replicate weighs the pairs of every window by one vector."""
    parts = calibration.objective(1, 1).parts
    first = parts[0].obs[["a", "b"]]
    assert len(parts) == 2
    assert all(p.obs[["a", "b"]].equals(first) for p in parts)
