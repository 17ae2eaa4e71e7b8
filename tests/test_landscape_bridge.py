"""Landscape theory on an indopacsim world (the bridge of issue 3)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from indopacsim import IndoPacModel
from indopacsim.errors import InputError
from indopacsim.landscape.bridge import compare_at, landscape_of
from indopacsim.landscape.core import energy


def test_landscape_of_a_model_is_symmetric_and_sized_by_capability(classroom):
    m = IndoPacModel(classroom, rng=0)
    ls = landscape_of(m)
    assert ls.names == m.codes
    assert np.allclose(ls.propensity, ls.propensity.T)
    assert np.all(np.diag(ls.propensity) == 0)
    assert np.allclose(ls.sizes, m.world.capability)
    usa, jpn, chn = (m.codes.index(c) for c in ("USA", "JPN", "CHN"))
    assert ls.propensity[usa, jpn] > 0 > ls.propensity[jpn, chn]


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
