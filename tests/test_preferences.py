"""Pairwise preference terms against loop references and known values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from indopacsim import IndoPacModel
from indopacsim.model.geography import great_circle_km, loss_of_strength
from indopacsim.model.preferences import (
    affinity,
    camp,
    economic_terms,
    projection,
    security_value,
    threat_matrix,
    threat_overlap,
    threat_shares,
    tie_cost,
    trust_weighted_security,
)


def test_great_circle_known_distances():
    # London, Tokyo, Canberra
    d = great_circle_km(
        np.array([51.5074, 35.6762, -35.2809]), np.array([-0.1278, 139.6503, 149.13])
    )
    assert d[0, 1] == pytest.approx(9_560, rel=0.01)  # the paper's "9,000 km"
    assert d[1, 2] == pytest.approx(7_950, rel=0.02)
    assert np.allclose(d, d.T) and np.all(np.diag(d) == 0)


def test_loss_of_strength_halves_at_half_distance():
    assert loss_of_strength(np.array([0.0, 3000.0, 6000.0]), 3000.0) == pytest.approx(
        [1, 0.5, 0.25]
    )


n_states = st.integers(3, 7)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_threat_and_security_match_loop_reference(data):
    n = data.draw(n_states)
    unit = st.floats(0.0, 1.0)
    cap = data.draw(arrays(np.float64, n, elements=st.floats(0.01, 1.0)))
    host = data.draw(arrays(np.float64, n, elements=unit))
    lsg = data.draw(arrays(np.float64, (n, n), elements=st.floats(0.01, 1.0)))
    lsg = (lsg + lsg.T) / 2
    np.fill_diagonal(lsg, 1.0)
    disp = data.draw(arrays(np.float64, (n, n), elements=st.sampled_from([0.0, 0.5, 1.0])))
    disp = np.triu(disp, 1) + np.triu(disp, 1).T
    ties = data.draw(arrays(np.int8, (n, n), elements=st.integers(0, 5)))
    ties = np.triu(ties, 1) + np.triu(ties, 1).T
    t = threat_matrix(cap, lsg, host, disp, 0.5, ties)
    theta, total = threat_shares(t)
    overlap = threat_overlap(theta)
    proj = projection(lsg, theta)
    s = security_value(cap, lsg, overlap, theta)
    for i in range(n):
        for j in range(n):
            ref = (
                0.0
                if i == j
                else cap[j] * lsg[i, j] * (host[j] + 0.5 * disp[i, j]) * (1 - ties[i, j] / 5) ** 2
            )
            assert t[i, j] == pytest.approx(ref)
            p_ij = sum(theta[i, k] * lsg[j, k] for k in range(n) if k != j)
            assert proj[i, j] == pytest.approx(p_ij, abs=1e-12)
            ni, nj = np.linalg.norm(theta[i]), np.linalg.norm(theta[j])
            o_ij = float(theta[i] @ theta[j] / (ni * nj)) if ni > 0 and nj > 0 else 0.0
            ref_s = 0.0 if i == j else cap[j] * lsg[j, i] * o_ij * (1 - theta[i, j])
            assert s[i, j] == pytest.approx(ref_s, abs=1e-12)
        if total[i] > 0:
            assert theta[i].sum() == pytest.approx(1.0)


def test_affinity_is_symmetric_and_rewards_similarity():
    dem = np.array([0.8, 0.75, 0.1])
    members = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=bool)
    a = affinity(dem, members, 1.0, 1.0)
    assert np.allclose(a, a.T)
    assert a[0, 1] == pytest.approx((1 - 0.05) + 1.0)
    assert a[0, 2] == pytest.approx(1 - 0.7)
    assert np.all(np.diag(a) == 0)


def test_distance_cost_grows_with_distance_and_unmet_home_threat():
    d = np.array([[0.0, 1000.0, 9000.0], [1000.0, 0.0, 8000.0], [9000.0, 8000.0, 0.0]])
    tau = np.array([0.5, 0.1, 0.1])
    proj = np.array([[0, 0.9, 0.1], [0.9, 0, 0.5], [0.1, 0.5, 0]])
    c = tie_cost(d, 0.02, 0.06, 1.0, tau, proj)
    assert c[0, 2] > c[0, 1]
    assert c[0, 2] == pytest.approx(0.02 + 0.054 * (1 + 0.5 * 0.9))
    assert tie_cost(d, 0.02, 0.06, 0.0, tau, proj)[0, 2] == pytest.approx(0.074)


def test_trust_discounts_the_us_and_raises_other_partners():
    s = np.ones((3, 3))
    out = trust_weighted_security(s, np.array([0.2, 1.0, 0.5]), 1.5, us=0)
    assert out[1, 0] == pytest.approx(1.0) and out[2, 0] == pytest.approx(0.5)
    assert out[0, 2] == pytest.approx(1 + 1.5 * 0.8)
    assert out[1, 2] == pytest.approx(1.0)


def test_camp_and_economic_terms_signs(baseline):
    m = IndoPacModel(baseline, rng=0)
    w = m.world
    c = camp(m.ties, w.us, w.china)
    assert c[w.us] == 1 and c[w.china] == -1 and np.all(np.abs(c) <= 1)
    econ, risk = economic_terms(
        m.ties, w.exposure_china, w.exposure_us, c, m.static.f, baseline, w.us, w.china
    )
    jpn, aus = m.codes.index("JPN"), m.codes.index("AUS")
    assert risk[aus, w.us] > 0  # aligning with the US invites Chinese retaliation
    assert risk[aus, w.us] > risk[m.codes.index("GBR"), w.us]  # more so for the more exposed
    assert risk[jpn, w.china] == 0
    assert econ[jpn, w.us] < 0  # tariffs and burden-sharing
    assert np.all(risk[w.us] == 0) and np.all(risk[w.china] == 0)
    # the US rebuke makes China ties costlier for close US allies than inducement pays
    assert econ[jpn, w.china] < econ[m.codes.index("PAK"), w.china]
