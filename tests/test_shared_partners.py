"""Shared partners (triadic closure, ``weights.shared_partners``), calibrated on 2013-2019
(``docs/validation.md``, "Shared partners").

The term adds ``w S_ij / 8`` to each side's value of a rung up (and takes it from a rung
down), with ``S_ij = sum_k DEPTH[L_ik] DEPTH[L_jk]``. It must be exactly that, be on at
the calibrated default and vanish at 0, be counted by the term-by-term explanation and
by the realised payoffs.
"""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim.model import payoffs
from indopacsim.model.ensemble import Ensemble
from indopacsim.model.valuation import shared_steps
from indopacsim.scenario.io import load_scenario, with_overrides
from indopacsim.tiescale import DEPTH
from indopacsim.validation import deals

W = 0.05


def engine(weight: float, fit: bool = False, name: str = "uk_japan_2026"):
    sc = with_overrides(
        load_scenario(name), {"weights.shared_partners": weight, "status_quo.fit": fit}
    )
    return Ensemble(sc, 2, np.random.default_rng(3)).engine


def test_on_at_the_calibrated_default_and_off_at_0():
    from indopacsim.validation.calibration import frozen

    eng = Ensemble(load_scenario("uk_japan_2026"), 1, np.random.default_rng(0)).engine
    w = frozen()["parameters"]["weights.shared_partners"]
    assert eng.config.weights.shared_partners == w > 0
    assert shared_steps(eng) is not None and (shared_steps(eng) > 0).any()
    assert shared_steps(engine(0.0)) is None


def test_the_term_is_the_depth_of_the_partners_a_pair_shares():
    eng = engine(W)
    codes = list(eng.world.codes)
    d = DEPTH[eng.ties[0].astype(int)]
    got = shared_steps(eng)[0]
    for a, b in (("JPN", "AUS"), ("GBR", "JPN"), ("CHN", "RUS"), ("AUS", "ITA")):
        i, j = codes.index(a), codes.index(b)
        by_hand = sum(d[i, k] * d[j, k] for k in range(len(codes)))
        assert got[i, j] == pytest.approx(W * by_hand / 8, abs=1e-15)
        assert got[i, j] == got[j, i]
    # two US allies share the US (a treaty: depth 1 on both sides) and more
    assert got[codes.index("JPN"), codes.index("AUS")] > W / 8


def test_it_moves_a_rung_up_by_the_term_and_a_rung_down_by_its_negative():
    off, on = engine(0.0), engine(W)  # no status-quo fit: the start's values differ only by it
    up0, down0, _, _ = off.values()
    up1, down1, _, _ = on.values()
    s = shared_steps(on)
    finite = np.isfinite(up0) & np.isfinite(down0)
    np.testing.assert_allclose((up1 - up0)[finite], s[finite], rtol=0, atol=1e-12)
    np.testing.assert_allclose((down1 - down0)[finite], -s[finite], rtol=0, atol=1e-12)
    assert s[finite].max() > 0.01  # material beside deal values of a few hundredths


def test_the_explanation_counts_it_with_affinity():
    eng = engine(W, fit=True, name="hindcast_2019")
    values = eng.values()
    for way, ref in (("up", values[0]), ("down", values[1])):
        terms = deals._terms(eng, values, way)
        finite = np.isfinite(ref)
        np.testing.assert_allclose(sum(terms.values())[finite], ref[finite], rtol=0, atol=1e-12)


def test_the_realised_payoff_counts_it_in_values():
    off, on = engine(0.0), engine(W)
    gain = on.payoffs()["values"] - off.payoffs()["values"]
    expected = np.add.reduce(shared_steps(on) * on.ties, axis=2)
    np.testing.assert_allclose(gain, expected, rtol=0, atol=1e-12)
    assert (gain > 0).any()
    # the other parts of the payoff do not read it
    for part in ("economic", "autonomy"):
        np.testing.assert_array_equal(on.payoffs()[part], off.payoffs()[part])


def test_weighted_sums_are_kept_while_the_ties_hold():
    eng = engine(W)
    first = payoffs.weighted_sums(eng)
    assert payoffs.weighted_sums(eng) is first
