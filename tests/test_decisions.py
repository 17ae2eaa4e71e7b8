"""The decision kernel: marginal gains, mutual consent, budgets, one rung per step."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from indopacsim.model.decisions import decide, marginal_gains
from indopacsim.model.preferences import level_cost_table, level_value_table

F = level_value_table(0.8)
K = level_cost_table(2.0)


def _decide(value, ties, cost=0.01, headroom=10.0, h=0.0, cap=5, k=3):
    n = ties.shape[0]
    c = np.full((n, n), cost)
    return decide(
        value=value,
        ties=ties,
        f=F,
        k=K,
        cost=c,
        real_cost=c,
        headroom=np.full(n, headroom),
        sunk=h,
        max_level=np.full(n, cap),
        max_initiatives=k,
    )


def test_marginal_gains_match_the_formula():
    value = np.array([[0.0, 1.0], [0.5, 0.0]])
    ties = np.array([[0, 2], [2, 0]], dtype=np.int8)
    cost = np.full((2, 2), 0.1)
    up, down = marginal_gains(value, ties, F, K, cost, 0.4, np.array([5, 5]))
    assert np.isclose(up[0, 1], 1.0 * (F[3] - F[2]) - 0.1 * (K[3] - K[2]))
    assert np.isclose(down[1, 0], -0.5 * (F[2] - F[1]) + 0.1 * (K[2] - K[1] - 0.4 * K[2]))
    assert np.isneginf(up[0, 0]) and np.isneginf(down[1, 1])


def test_upgrade_needs_both_sides():
    ties = np.zeros((2, 2), dtype=np.int8)
    both = _decide(np.array([[0, 1.0], [1.0, 0]]), ties)
    assert both.delta[0, 1] == both.delta[1, 0] == 1
    one = _decide(np.array([[0, 1.0], [-1.0, 0]]), ties)
    assert one.delta[0, 1] == 0 and one.upgrades == 0


def test_downgrade_needs_one_side():
    ties = np.array([[0, 3], [3, 0]], dtype=np.int8)
    d = _decide(np.array([[0, 1.0], [-1.0, 0]]), ties)
    assert d.delta[0, 1] == d.delta[1, 0] == -1
    assert d.downgrades == 1


def test_sunk_costs_keep_a_tie_that_would_otherwise_fall():
    ties = np.array([[0, 4], [4, 0]], dtype=np.int8)
    value = np.array([[0, 0.05], [0.05, 0]])
    assert _decide(value, ties, cost=0.05, h=0.0).delta[0, 1] == -1
    assert _decide(value, ties, cost=0.05, h=0.5).delta[0, 1] == 0


def test_level_cap_blocks_upgrades():
    ties = np.array([[0, 4], [4, 0]], dtype=np.int8)
    d = _decide(np.array([[0, 5.0], [5.0, 0]]), ties, cap=4)
    assert d.delta[0, 1] == 0


def test_budget_limits_initiatives_and_acceptances():
    n = 4
    ties = np.zeros((n, n), dtype=np.int8)
    value = np.ones((n, n))
    np.fill_diagonal(value, 0)
    # each upgrade 0 -> 1 costs cost * K[1] = 0.2; headroom 0.3 affords one
    d = _decide(value, ties, cost=1.0, headroom=0.3)
    per_state = d.delta.clip(min=0).sum(axis=1)
    assert per_state.max() <= 1
    assert d.upgrades >= 1


def test_partners_that_want_a_tie_reach_it_and_acceptance_alone_is_not_enough():
    n = 6
    ties = np.zeros((n, n), dtype=np.int8)
    value = np.zeros((n, n))
    value[0, 1:] = 1.0  # state 0 wants everyone
    value[1:, 0] = 1.0  # everyone accepts state 0, but initiates nothing else
    d = _decide(value, ties, k=2)
    # state 0 initiates two; each partner initiates towards 0, its only positive tie,
    # and 0 accepts: every pair moves although 0 initiated only two
    assert d.delta[0].sum() == n - 1
    d1 = _decide(value, ties, k=1)
    assert d1.delta[0].sum() == n - 1
    value2 = value.copy()
    value2[1:, 0] = 0.0  # partners only accept (gain = -cost < 0): nobody accepts
    assert _decide(value2, ties).upgrades == 0


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, (6, 6), elements=st.floats(-1, 1)),
    arrays(np.int8, (6, 6), elements=st.integers(0, 5)),
    st.floats(0.0, 2.0),
)
def test_commit_keeps_the_ladder_valid(value, raw, headroom):
    ties = np.triu(raw, 1)
    ties = ties + ties.T
    d = _decide(value, ties, cost=0.05, headroom=headroom, h=0.01, k=2)
    new = ties + d.delta
    assert np.array_equal(d.delta, d.delta.T)
    assert new.min() >= 0 and new.max() <= 5
    assert np.abs(d.delta).max() <= 1
    assert np.all(np.diag(d.delta) == 0)
    # budget: no state's accepted upgrades cost more than its headroom
    lv = ties.astype(int)
    step_cost = 0.05 * (K[np.minimum(lv + 1, 5)] - K[lv])
    spent = (step_cost * (d.delta > 0)).sum(axis=1)
    assert np.all(spent <= headroom + 1e-9)
