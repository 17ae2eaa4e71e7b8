"""The Mesa model: construction, determinism, events, invariants, Mesa compatibility."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

import mesa
import numpy as np
import pandas as pd
import pytest

from indopacsim import IndoPacModel
from indopacsim.errors import InputError
from indopacsim.model.agents import GreatPower, StateAgent
from indopacsim.scenario.io import with_overrides
from indopacsim.tiescale import MAX_LEVEL


def run(scenario, seed, steps=None, **kw):
    m = IndoPacModel(scenario, rng=seed, **kw)
    for _ in range(steps or scenario.time.horizon):
        m.step()
    return m


def test_is_a_mesa_model_with_agents_and_datacollector(baseline):
    m = IndoPacModel(baseline, rng=1)
    assert isinstance(m, mesa.Model)
    assert len(m.agents) == len(baseline.codes) == 24
    assert {a.iso3 for a in m.agents_by_type[GreatPower]} == {"USA", "CHN", "RUS"}
    assert len(m.agents_by_type[StateAgent]) == 21
    assert isinstance(m.datacollector, mesa.DataCollector)
    # step 0 collected at construction
    assert len(m.datacollector.get_model_vars_dataframe()) == 1


def test_default_scenario_is_the_embedded_baseline():
    m = IndoPacModel(rng=0)
    assert m.config.name == "uk_japan_2026"


def test_same_seed_identical_tables_different_seed_differs(classroom):
    a, b, c = run(classroom, 7), run(classroom, 7), run(classroom, 8)
    pd.testing.assert_frame_equal(a.model_frame(), b.model_frame())
    pd.testing.assert_frame_equal(a.states_frame(), b.states_frame())
    pd.testing.assert_frame_equal(a.ties_frame(), b.ties_frame())
    assert not a.states_frame()["trust"].equals(c.states_frame()["trust"])


def test_runs_to_horizon_and_stops(classroom):
    m = IndoPacModel(classroom, rng=0)
    m.run_model()
    assert m.steps == classroom.time.horizon
    assert not m.running
    frame = m.model_frame()
    assert list(frame["step"]) == list(range(classroom.time.horizon + 1))
    assert frame["date"].iloc[0] == "2026-01-01"


def test_keyword_overrides_reach_the_config(classroom):
    m = IndoPacModel(classroom, rng=0, us_reliability=0.25, states__GBR__fiscal_room=0.1)
    assert m.config.us.reliability == 0.25
    assert m.world.fiscal_room[m.codes.index("GBR")] == pytest.approx(0.1)


def test_unknown_keyword_override_is_an_input_error(classroom):
    with pytest.raises(InputError, match="usa_reliability"):
        IndoPacModel(classroom, rng=0, usa_reliability=0.3)


def test_invariants_hold_every_step(baseline):
    m = IndoPacModel(baseline, rng=3)
    prev = m.ties.copy()
    for _ in range(12):
        m.step()
        assert np.array_equal(m.ties, m.ties.T)
        assert m.ties.min() >= 0 and m.ties.max() <= MAX_LEVEL
        assert np.abs(m.ties.astype(int) - prev).max() <= 1
        assert np.all(np.diag(m.ties) == 0)
        assert np.all((m.trust >= 0) & (m.trust <= 1))
        prev = m.ties.copy()


def test_events_apply_at_their_step(classroom):
    m = IndoPacModel(classroom, rng=0)
    gbr, jpn = m.codes.index("GBR"), m.codes.index("JPN")
    assert m.bond[gbr, jpn] == 0
    m.step()  # step 1 covers January-March 2026: the joint statement of 31 January
    assert m.bond[gbr, jpn] == pytest.approx(0.15) == m.bond[jpn, gbr]
    before = m.config.us.reliability
    for _ in range(3):
        m.step()
    assert m.config.us.reliability == before  # the 2027-01-01 shift is in step 5
    m.step()
    assert m.config.us.reliability == pytest.approx(before - 0.15)
    assert [e["step"] for e in m.event_log] == [1, 5]


def test_tie_and_doctrine_events(classroom):
    sc = with_overrides(
        classroom,
        {
            "events": [
                {"date": "2026-04-01", "tie": ["GBR", "AUS"], "level": 1},
                {"date": "2026-04-01", "doctrine": "adaptive", "state": "AUS"},
                {"date": "2026-07-01", "set": "china.coercion", "value": 0.9},
            ]
        },
    )
    m = IndoPacModel(sc, rng=0, record=False)
    m.step()
    m.step()
    assert m.base_doctrines[m.codes.index("AUS")] == "adaptive"
    assert m.doctrine_names[m.codes.index("AUS")] in (
        "balance",
        "hedge",
        "bandwagon",
        "network",
        "autonomy",
    )
    _, threat_before, _, _ = m.engine.pressures()
    m.step()
    assert m.config.china.coercion == 0.9
    _, threat_after, _, _ = m.engine.pressures()
    jpn = m.codes.index("JPN")
    assert threat_after[0, jpn].sum() > threat_before[0, jpn].sum()


def test_model_pickles_mid_run(classroom):
    m = run(classroom, 5, steps=3)
    clone = pickle.loads(pickle.dumps(m))
    m.step()
    clone.step()
    assert np.array_equal(m.ties, clone.ties)
    assert np.allclose(m.trust, clone.trust)


def test_adaptive_states_learn_and_switch(classroom):
    sc = with_overrides(classroom, {"default_doctrine": "adaptive", "learning.revise_every": 1})
    m = run(sc, 11, steps=20)
    played = m.states_frame().query("iso3 == 'GBR' or iso3 == 'JPN' or iso3 == 'AUS'")["doctrine"]
    # GBR, JPN, AUS carry explicit doctrines; the default applies to none of them here
    assert set(played) <= {"network", "balance", "hedge"}
    sc2 = with_overrides(
        classroom,
        {"states.AUS.doctrine": "adaptive", "learning.revise_every": 1},
    )
    m2 = run(sc2, 11, steps=20)
    aus = m2.states_frame().query("iso3 == 'AUS'")["doctrine"]
    assert aus.nunique() >= 2
    assert np.any(m2.learner.attraction != 0)


def test_mesa_batch_run_drives_the_model(tmp_path):
    """mesa.batch_run constructs the model from keyword parameters (in a subprocess,
    because batch_run sets the multiprocessing start method globally)."""
    code = textwrap.dedent(
        """
        import mesa
        from indopacsim import IndoPacModel
        rows = mesa.batch_run(
            IndoPacModel,
            parameters={"scenario": "classroom_small", "us_reliability": [0.3, 0.7]},
            rng=[1, 2],
            number_processes=1,
            data_collection_period=-1,
            display_progress=False,
        )
        assert len(rows) == 4, len(rows)
        assert {r["us_reliability"] for r in rows} == {0.3, 0.7}
        assert all("networked_alliance" in r for r in rows)
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")


def test_alignment_shares_toward_us_china_neither(baseline):
    m = IndoPacModel(baseline, rng=0)
    total = m.toward_us + m.toward_china + m.toward_neither
    tied = m.ties.sum(axis=1) > 0
    assert np.allclose(total[tied], 1.0)
    assert np.all((m.toward_us >= 0) & (m.toward_china >= 0) & (m.toward_neither >= -1e-12))
    jpn, prk = m.codes.index("JPN"), m.codes.index("PRK")
    assert m.toward_us[jpn] > m.toward_china[jpn] + 0.4 and m.toward_neither[jpn] > 0
    assert m.toward_china[prk] > 0.7
    frame = m.states_frame()
    assert {"toward_us", "toward_china", "toward_neither"} <= set(frame.columns)


def test_mesa_scenario_on_reset_means_the_baseline():
    """SolaraViz's Reset passes a Mesa Scenario as ``scenario``; the model takes its rng."""
    from mesa.experimental.scenarios import Scenario as MesaScenario

    m = IndoPacModel(scenario=MesaScenario(rng=7))
    assert m.config.name == "uk_japan_2026"
    again = IndoPacModel(scenario=MesaScenario(rng=7))
    m.step()
    again.step()
    assert np.array_equal(m.ties, again.ties)


def test_stepping_past_the_horizon_continues_the_calendar(classroom):
    m = IndoPacModel(classroom, rng=0, record=False)
    m.run_model()
    assert not m.running and m.steps == classroom.time.horizon
    m.step()
    assert m.steps == classroom.time.horizon + 1
    assert m.date == classroom.time.state_date(m.steps).isoformat()


def test_players_moves_replace_the_doctrine_for_their_state(classroom):
    from indopacsim import Moves

    m = IndoPacModel(classroom, rng=0, record=False)
    gbr, jpn = m.codes.index("GBR"), m.codes.index("JPN")
    before = int(m.ties[gbr, jpn])
    m.submit_moves("GBR", Moves(downgrade=frozenset({"JPN"})))
    m.step()
    assert m.ties[gbr, jpn] == before - 1
    m.submit_moves("GBR", Moves(upgrade=frozenset({"JPN"})))
    m.submit_moves("JPN", Moves(upgrade=frozenset({"GBR"})))
    m.step()
    assert m.ties[gbr, jpn] == before
    advice = m.doctrine_moves("JPN")
    assert isinstance(advice, Moves) and advice.china in ("engage", "neutral", "distance")


def test_a_copy_with_other_content_has_another_digest(baseline):
    """The content-keyed caches key by digest: a model_copy must not carry its source's."""
    copy = baseline.model_copy(update={"events": []})
    assert copy.digest() != baseline.digest()
    assert baseline.digest() == baseline.model_copy().digest()


def test_content_cache_hits_for_an_equal_scenario_loaded_again():
    from indopacsim.model import engine
    from indopacsim.scenario.io import load_scenario

    engine._TERMS.clear()
    IndoPacModel(load_scenario("classroom_small"), rng=0, record=False)
    IndoPacModel(load_scenario("classroom_small"), rng=1, record=False)  # a new, equal object
    assert engine._TERMS.hits >= 1
