"""Integration: every bundled scenario loads and runs a few steps."""

from __future__ import annotations

import pytest

from indopacsim import IndoPacModel, load_scenario
from indopacsim.scenario.io import bundled_scenarios, with_overrides


@pytest.mark.parametrize("name", bundled_scenarios())
def test_bundled_scenario_runs(name):
    sc = load_scenario(name)
    m = IndoPacModel(sc, rng=0)
    for _ in range(6):
        m.step()
    df = m.model_frame()
    assert len(df) == 7 and df["mean_level"].notna().all()
    assert len(m.states_frame()) == 7 * len(sc.codes)


def test_variants_differ_from_the_baseline_only_where_they_say():
    base = load_scenario("uk_japan_2026")
    retreat = load_scenario("us_retrenchment")
    assert retreat.events[: len(base.events)] == base.events
    assert len(retreat.events) == len(base.events) + 2
    assert (
        with_overrides(
            retreat,
            {
                "name": "uk_japan_2026",
                "description": base.description,
                "events": base.model_dump()["events"],
            },
        )
        == base
    )
