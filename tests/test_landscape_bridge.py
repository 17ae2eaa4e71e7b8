"""Landscape theory on an indopacsim world (the bridge of issue 3)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from indopacsim import IndoPacModel
from indopacsim.errors import InputError
from indopacsim.landscape.bridge import compare_at, landscape_of, report
from indopacsim.landscape.core import energy
from indopacsim.landscape.exact import MAX_EXACT_ACTORS
from indopacsim.scenario.schema import Scenario


def test_landscape_of_a_model_is_symmetric_and_sized_by_capability(classroom):
    m = IndoPacModel(classroom, rng=0)
    ls = landscape_of(m)
    assert ls.names == m.codes
    assert np.allclose(ls.propensity, ls.propensity.T)
    assert np.all(np.diag(ls.propensity) == 0)
    assert np.allclose(ls.sizes, m.world.capability)
    usa, jpn, chn = (m.codes.index(c) for c in ("USA", "JPN", "CHN"))
    # allies attract most: Japan's largest propensity is with the US, far above its
    # propensity with China (about zero: China's wish to wedge Japan from the US, a
    # treaty that would discount the threat of the US-Japan axis, offsets Japan's aversion)
    assert ls.propensity[jpn].argmax() == usa
    assert ls.propensity[usa, jpn] > ls.propensity[jpn, chn] + 2.0
    assert ls.propensity[jpn, chn] < 0.1


def test_compare_at_reports_the_best_minimum_and_agreement(classroom):
    b = compare_at(classroom, dt.date(2027, 1, 1), seed=3)
    assert b.step == classroom.time.step_of(dt.date(2027, 1, 1))
    best = b.result.best
    assert energy(b.result.landscape, best.labels) == pytest.approx(best.energy)
    camp = (b.table["model_camp"] == "US").to_numpy(int)
    side = b.table["landscape_side"].to_numpy()
    assert b.agreement == max((side == camp).sum(), (side != camp).sum())


def test_compare_at_outside_the_horizon(classroom):
    with pytest.raises(InputError, match="horizon"):
        compare_at(classroom, dt.date(2031, 1, 1))


def test_report_lists_the_minima_the_table_and_the_agreement(classroom):
    b = compare_at(classroom, dt.date(2027, 1, 1), seed=3)
    text = report(b, classroom, top=2)
    lines = text.splitlines()
    assert lines[0].startswith(f"Landscape of {classroom.name} at 2027-01-01 (step {b.step})")
    assert f"{len(b.result.energies)} local minima (exact)" in lines[0]
    ranks = [ln for ln in lines if ln.strip().startswith(("1 ", "2 ", "3 "))]
    assert len(ranks) == min(2, len(b.result.energies))
    assert "{" + ", ".join(b.result.best.sides[0]) + "}" in text
    assert "Best minimum beside the model's emergent alignment:" in text
    for code in classroom.codes:
        assert code in text
    assert lines[-1] == (
        f"The best minimum and the model's US/China camp split agree on {b.agreement} "
        f"of {len(classroom.codes)} states."
    )


def test_compare_at_refuses_the_exact_solver_above_its_limit(classroom):
    extra = {"lat": 0.0, "lon": 0.0, "gdp_usd_bn": 1.0, "milex_usd_bn": 0.1}
    extra |= {"population_m": 1.0, "democracy_score": 0.5}
    states = {f"X{k:02d}": extra for k in range(MAX_EXACT_ACTORS + 1 - len(classroom.codes))}
    big = Scenario.model_validate(
        {**classroom.model_dump(), "states": {**classroom.states, **states}}
    )
    assert len(big.codes) == MAX_EXACT_ACTORS + 1
    with pytest.raises(InputError, match=f"at most {MAX_EXACT_ACTORS}; add --heuristic"):
        compare_at(big, dt.date(2027, 1, 1))
