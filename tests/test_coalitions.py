"""Coalition measures on small hand-built networks with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indopacsim import coalitions as co


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
    # 0 = US; partners 1, 2, 3; strong ties 1-2 and 2-3 among them; 1-0, 2-0 with the US
    ties = sym([(0, 1, 5), (0, 2, 4), (0, 3, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5)], 5)
    partners = np.array([False, True, True, True, False])
    count, index = co.networked_alliance(ties, partners, us=0)
    assert count == 2 and index == pytest.approx(2 / 4)


def test_ties_matrix_round_trip():
    ties = sym([(0, 1, 5), (1, 2, 3)], 3)
    table = pd.DataFrame({"step": [4, 4], "a": ["A", "B"], "b": ["B", "C"], "level": [5, 3]})
    assert np.array_equal(co.ties_matrix(table, ["A", "B", "C"], 4), ties)
