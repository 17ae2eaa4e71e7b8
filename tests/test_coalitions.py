"""Coalition measures on small hand-built networks with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indopacsim.coalitions import measures as co
from indopacsim.tiescale import MAX_LEVEL


def sym(pairs, n):
    m = np.zeros((n, n), dtype=np.int8)
    for a, b, lv in pairs:
        m[a, b] = m[b, a] = lv
    return m


def test_alignment_and_hedging():
    # 0 = US (+1), 1 = China (-1), 2 tied only to the US, 3 tied equally to both, 4 isolated
    ties = sym([(0, 2, 5), (0, 3, 2), (1, 3, 2)], 5)
    camp = np.array([1.0, -1.0, 0.0, 0.0, 0.0])
    a = co.alignment_index(ties, camp)
    assert a[2] == pytest.approx(1.0) and a[3] == pytest.approx(0.0) and a[4] == 0.0
    us, cn = co.camp_strengths(ties, camp)
    h = co.hedging_index(us, cn)
    assert h[3] == pytest.approx(1.0) and h[2] == 0.0 and h[4] == 0.0


def test_blocs_at_a_level():
    ties = sym([(0, 1, 5), (1, 2, 3), (3, 4, 4), (2, 3, 2)], 6)
    labels = co.bloc_labels(ties, level=3)
    assert labels[0] == labels[1] == labels[2] != labels[3] == labels[4] != labels[5]
    n, share = co.bloc_summary(labels, np.array([4.0, 1, 1, 1, 1, 2]))
    assert n == 2 and share == pytest.approx(6 / 10)
    assert co.bloc_summary(co.bloc_labels(ties, level=5), np.ones(6))[0] == 1


def test_networked_alliance():
    # 0 = US; partners 1, 2, 3; strong ties (>= STRONG) 1-2 and 2-3 among them
    ties = sym([(0, 1, 8), (0, 2, 5), (0, 3, 2), (1, 2, 4), (2, 3, 5), (3, 4, 8)], 5)
    partners = np.array([False, True, True, True, False])
    count, index = co.networked_alliance(ties, partners, us=0)
    assert count == 2 and index == pytest.approx(2 / 4)


def test_ties_matrix_round_trip():
    ties = sym([(0, 1, 5), (1, 2, 3)], 3)
    table = pd.DataFrame({"step": [4, 4], "a": ["A", "B"], "b": ["B", "C"], "level": [5, 3]})
    assert np.array_equal(co.ties_matrix(table, ["A", "B", "C"], 4), ties)


def test_modularity_and_polarization_known_values():
    # two disjoint triangles: a perfect two-bloc split
    ties = sym([(0, 1, 5), (1, 2, 5), (0, 2, 5), (3, 4, 5), (4, 5, 5), (3, 5, 5)], 6)
    split = np.array([0, 0, 0, 1, 1, 1])
    assert co.modularity(ties, split) == pytest.approx(0.5)
    assert co.modularity(ties, np.zeros(6, dtype=int)) == pytest.approx(0.0)
    align = np.array([1.0, 1, 1, -1, -1, -1])
    assert co.polarization(ties, align) == pytest.approx(0.5)
    # the same states with ties across the camps only: negative polarization
    cross = sym([(0, 3, 5), (1, 4, 5), (2, 5, 5)], 6)
    assert co.polarization(cross, align) < 0
    assert co.modularity(np.zeros((3, 3)), np.zeros(3, dtype=int)) == 0.0


def test_communities_find_the_two_triangles_deterministically():
    ties = sym([(0, 1, 5), (1, 2, 5), (0, 2, 5), (3, 4, 5), (4, 5, 5), (3, 5, 5), (2, 3, 1)], 6)
    labels = co.communities(ties, seed=1)
    assert co.same_partition(labels, np.array([0, 0, 0, 1, 1, 1]))
    assert np.array_equal(labels, co.communities(ties, seed=1))


def test_bloc_table_members_share_and_cohesion():
    ties = sym([(0, 1, 5), (1, 2, 3), (3, 4, 4)], 5)
    labels = co.bloc_labels(ties, 3)
    table = co.bloc_table(ties, labels, np.array([2.0, 1, 1, 3, 3]), ["A", "B", "C", "D", "E"])
    assert list(table["members"]) == ["D, E", "A, B, C"]
    assert table.loc[0, "capability_share"] == pytest.approx(0.6)
    assert table.loc[1, "cohesion"] == pytest.approx((5 + 3) / 3 / MAX_LEVEL)


def test_stable_since_and_same_partition():
    a = np.array([0, 0, 1])
    assert co.same_partition(a, np.array([7, 7, 2]))
    assert not co.same_partition(a, np.array([0, 1, 1]))
    parts = [a, a, np.array([0, 1, 1]), np.array([5, 9, 9]), np.array([5, 9, 9])]
    assert co.stable_since(parts, [0, 1, 2, 3, 4]) == 2
    assert co.stable_since([a, a, a]) == 0


def test_coalition_measures_from_saved_tables(classroom):
    from indopacsim import IndoPacModel

    m = IndoPacModel(classroom, rng=2)
    m.run_model()
    cap = m.world.table["capability"]
    table = co.coalition_measures(m.ties_frame(), m.states_frame(), cap)
    model = m.model_frame()
    assert list(table["step"]) == list(model["step"])
    assert np.array_equal(table["n_blocs"], model["n_blocs"])
    assert np.allclose(table["polarization"], model["polarization"])
    assert np.array_equal(table["churn"], model["churn"])
    assert (table["stable_since"] == model["stable_since"].iloc[-1]).all()
