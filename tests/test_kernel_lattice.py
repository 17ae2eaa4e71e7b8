"""The lattice of willing partners (``docs/model.md`` section 7.3a) on hand-built worlds.

Four states: 0 the US, 1 and 2 middle powers threatened by source 3. The answers are
worked out by hand from the equations of the docs; every test can fail.
"""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim.model import hazards
from indopacsim.model import kernel as K
from indopacsim.tiescale import DEPTH

US = 0


def _world(l12: int = 2, l01: int = 8, l02: int = 8):
    ties = np.zeros((1, 4, 4), dtype=np.int8)
    ties[0, 0, 1] = ties[0, 1, 0] = l01
    ties[0, 0, 2] = ties[0, 2, 0] = l02
    ties[0, 1, 2] = ties[0, 2, 1] = l12
    t = np.zeros((1, 4, 1))  # one source: state 3
    t[0, 1, 0], t[0, 2, 0] = 0.4, 0.2
    will = np.zeros((1, 4, 1))
    will[0, :3, 0] = [1.0, 1.0, 0.5]
    return ties, t, will


def test_need_is_one_minus_trusted_us_depth():
    ties, _, _ = _world()
    trust = np.array([[1.0, 0.6, 0.2, 1.0]])
    u = K.lattice_need(ties, trust, US)
    assert u[0, 1] == pytest.approx(1 - 0.6 * DEPTH[8])
    assert u[0, 2] == pytest.approx(1 - 0.2 * DEPTH[8])
    assert u[0, 3] == 1.0  # no tie to the US: the lattice carries it all
    assert np.all(K.lattice_need(ties, trust, -1) == 1.0)


def test_cover_counts_partners_but_not_the_us():
    ties, _, will = _world(l12=3)
    cov = K.lattice_cover(ties, will, US)
    assert cov[0, 1, 0] == pytest.approx(DEPTH[3] * 0.5)  # only state 2, at its will 0.5
    assert cov[0, 2, 0] == pytest.approx(DEPTH[3] * 1.0)


def test_gain_matches_the_equation_and_is_zero_for_the_us():
    ties, t, will = _world(l12=2)
    trust = np.array([[1.0, 0.5, 0.5, 1.0]])
    need = K.lattice_need(ties, trust, US)
    cov = K.lattice_cover(ties, will, US)
    c = 2.0
    g = K.lattice_gain(t, cov, need, will, US, c)
    want = need[0, 1] * 0.4 * np.exp(-cov[0, 1, 0] / c) / c * will[0, 2, 0]
    assert g[0, 1, 2] == pytest.approx(want)
    assert np.all(g[0, :, US] == 0.0)
    # the security it measures is the integral of the gain: a small step of cover
    s0 = K.lattice_security(t, cov, need, c)
    eps = 1e-6
    s1 = K.lattice_security(t, cov + eps * will[:, [2]], need, c)
    assert (s1[0, 1] - s0[0, 1]) / eps == pytest.approx(g[0, 1, 2], rel=1e-4)


def test_less_trust_in_the_us_makes_partners_worth_more():
    ties, t, will = _world()
    cov = K.lattice_cover(ties, will, US)
    hi = K.lattice_gain(t, cov, K.lattice_need(ties, np.full((1, 4), 0.9), US), will, US, 2.0)
    lo = K.lattice_gain(t, cov, K.lattice_need(ties, np.full((1, 4), 0.2), US), will, US, 2.0)
    assert lo[0, 1, 2] > 2 * hi[0, 1, 2] > 0


def test_more_threat_and_more_will_raise_the_gain_and_cover_saturates_it():
    ties, t, will = _world(l12=1)
    need = np.ones((1, 4))
    cov = K.lattice_cover(ties, will, US)
    base = K.lattice_gain(t, cov, need, will, US, 2.0)[0, 1, 2]
    assert K.lattice_gain(2 * t, cov, need, will, US, 2.0)[0, 1, 2] == pytest.approx(2 * base)
    w2 = will.copy()
    w2[0, 2, 0] = 1.0
    assert K.lattice_gain(t, cov, need, w2, US, 2.0)[0, 1, 2] > base
    deep = K.lattice_cover(_world(l12=8)[0], will, US)
    assert K.lattice_gain(t, deep, need, will, US, 2.0)[0, 1, 2] < base


def test_agreement_runs_from_the_smaller_gain_to_the_joint_gain():
    up = np.array([[[-np.inf, 0.3, -0.1], [-0.1, -np.inf, 0.2], [0.5, 0.2, -np.inf]]])
    low = hazards.agreement(up, 0.0)
    assert low[0, 0, 1] == low[0, 1, 0] == pytest.approx(-0.1)
    joint = hazards.agreement(up, 1.0)
    assert joint[0, 0, 1] == pytest.approx(0.1) and joint[0, 0, 2] == pytest.approx(0.2)
    half = hazards.agreement(up, 0.5)
    assert half[0, 0, 1] == pytest.approx(0.0)
    assert np.allclose(half, np.swapaxes(half, 1, 2))
    # a pair one side may not move stays impossible at any beta (no NaN)
    blocked = up.copy()
    blocked[0, 0, 1] = -np.inf
    for beta in (0.0, 0.5, 1.0):
        m = hazards.agreement(blocked, beta)
        assert m[0, 0, 1] == -np.inf and not np.isnan(m).any()


def test_side_payments_let_a_one_sided_deal_close():
    """One side gains 0.3, the other loses 0.1: without transfers the deal never closes,
    with them it closes at the hazard of a joint gain of 0.1 (1 - exp(-2) = 0.86)."""
    ties = np.zeros((1, 2, 2), dtype=np.int8)
    caps = np.full((1, 2, 2), 8, dtype=np.int8)
    up = np.array([[[-np.inf, 0.3], [-0.1, -np.inf]]])
    down = np.full((1, 2, 2), -np.inf)
    rates = (1.0, 0.0, 0.05, 0.0)
    draws = np.full((1, 2, 2), 0.5)
    assert hazards.choose_moves(up, down, ties, caps, draws, 1, rates, 0.0)[0, 0, 1] == 0
    assert hazards.choose_moves(up, down, ties, caps, draws, 1, rates, 1.0)[0, 0, 1] == 1
