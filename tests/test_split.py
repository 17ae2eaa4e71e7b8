"""The calibration window split in time (``validation/split.py``): the halves are the
window's own scenario stopped and restarted, with nothing from after their dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from indopacsim import data
from indopacsim.model.ensemble import run_ensemble
from indopacsim.scenario.io import load_scenario, validate
from indopacsim.validation import hindcast as H
from indopacsim.validation import split as S
from indopacsim.validation.calibration import Objective


def test_the_split_halves_the_windows_changes() -> None:
    ch = data.tie_changes()
    dates = ch["date"][(ch["date"] >= dt.date(2013, 1, 1)) & (ch["date"] <= dt.date(2019, 12, 31))]
    before = int((dates < S.SPLIT).sum())
    assert (before, len(dates) - before) == (20, 16)


def test_the_held_out_half_starts_from_the_world_of_its_date() -> None:
    whole = load_scenario("hindcast_2012")
    sc, start, end = S.window_scenario("2016-2019")
    assert (sc.time.start, sc.time.horizon, start, end) == (
        dt.date(2016, 1, 1),
        16,
        dt.date(2016, 1, 1),
        dt.date(2019, 12, 31),
    )
    assert sc.time.end == whole.time.end
    assert all(e.date >= start for e in sc.events)
    assert len(sc.events) == sum(e.date >= start for e in whole.events)
    # the drivers as the events before 2016 left them, and fitted as the start's
    assert sc.china.coercion == pytest.approx(0.5)
    assert sc.russia.threat == pytest.approx(0.5)
    assert sc.us.reliability == pytest.approx(0.7)
    assert sc.status_quo.reference["china.coercion"] == pytest.approx(0.5)
    assert sc.status_quo.reference["russia.threat"] == pytest.approx(0.5)


def test_the_restart_network_is_the_observed_one() -> None:
    whole = load_scenario("hindcast_2012")
    first = run_ensemble(whole, 1, 0, steps=0)
    eve = H.observed(first.codes, first.ties0, whole.time.start, dt.date(2015, 12, 31))
    sc, _, _ = S.window_scenario("2016-2019")
    res = run_ensemble(sc, 1, 0, steps=0)
    assert res.codes == first.codes
    got = res.ties0[eve["i"].to_numpy(), eve["j"].to_numpy()]
    np.testing.assert_array_equal(got, eve["level_end"].to_numpy())
    assert int((eve["level_end"] != eve["level_start"]).sum()) >= 10
    k = {c: n for n, c in enumerate(res.codes)}
    assert res.ties0[k["JPN"], k["IND"]] == 4  # the special strategic partnership of 2015


def test_the_fit_half_is_the_window_stopped() -> None:
    whole = load_scenario("hindcast_2012")
    sc, _, end = S.window_scenario("2013-2015")
    assert (sc.time.horizon, end) == (12, dt.date(2015, 12, 31))
    assert all(e.date <= end for e in sc.events)
    a = run_ensemble(sc, 3, 5)
    b = run_ensemble(whole, 3, 5, steps=12)
    np.testing.assert_array_equal(a.ties, b.ties)


def test_a_restart_refuses_what_it_cannot_carry() -> None:
    whole = load_scenario("hindcast_2012")
    with pytest.raises(ValueError, match="first day of a step"):
        S.restarted(whole, dt.date(2016, 2, 1))
    with pytest.raises(ValueError, match="first day of a step"):
        S.restarted(whole, whole.time.start)
    doc = whole.model_dump(mode="json")
    doc["events"].append({"date": "2014-01-01", "tie": ["JPN", "AUS"], "level": 5})
    with pytest.raises(ValueError, match="kind tie"):
        S.restarted(validate(doc), dt.date(2016, 1, 1))
    with pytest.raises(ValueError, match="after the horizon"):
        S.truncated(whole, dt.date(2021, 1, 1))
    doc = whole.model_dump(mode="json")
    doc["events"].append({"date": "2014-01-01", "shift": "states.JPN.fiscal_room", "by": 0.1})
    with pytest.raises(ValueError, match=r"states\.JPN\.fiscal_room given in the scenario"):
        S.restarted(validate(doc), dt.date(2016, 1, 1))


def test_a_restart_clips_shifts_as_the_model_does() -> None:
    doc = load_scenario("hindcast_2012").model_dump(mode="json")
    doc["events"].append({"date": "2015-06-01", "shift": "china.coercion", "by": 0.9})
    sc = S.restarted(validate(doc), dt.date(2016, 1, 1))
    assert sc.china.coercion == 1.0 == sc.status_quo.reference["china.coercion"]


def test_the_objective_scores_a_half() -> None:
    obj = Objective(runs=2, seed=1, window="2016-2019")
    assert int(obj.obs["up"].sum()) == 14
    assert obj.observed_rate == pytest.approx(H.observed_rate(S.SPLIT, dt.date(2019, 12, 31)))
    assert 0.0 < obj({}) < 1.0
    with pytest.raises(KeyError, match="unknown window"):
        S.window_scenario("2016-2017")
