"""A multilateral alliance's treaty ties are not thinned pair by pair (``World.floor``).

``docs/model.md`` section 7.8: two members of NATO whose tie is a treaty alliance stay at
treaty level while the model has no exit from an alliance; an event may still set the
tie. Without the floor a benign Russia (``russia.threat`` 0.2) let Canada-Finland and
three other NATO pairs fall a rung in most runs of the baseline.
"""

from __future__ import annotations

import itertools

import numpy as np

from indopacsim import IndoPacModel, Moves
from indopacsim.data import MEMBERSHIPS
from indopacsim.model.ensemble import run_ensemble
from indopacsim.model.world import compile_world, treaty_floor
from indopacsim.tiescale import MAX_LEVEL
from indopacsim.validation import mechanism as M

NATO_2026 = ("USA", "GBR", "FRA", "DEU", "ITA", "NLD", "CAN", "FIN")


def _nato_pairs(codes):
    idx = [codes.index(c) for c in NATO_2026]
    return list(itertools.combinations(idx, 2))


def test_floor_by_hand():
    """Members of NATO at treaty level are floored; a member pair below it and a pair
    with a non-member are not; the diagonal is 0."""
    nato = MEMBERSHIPS.index("NATO")
    members = np.zeros((4, len(MEMBERSHIPS)), dtype=bool)
    members[[0, 1, 2], nato] = True  # states 0-2 in NATO, 3 not
    ties = np.array(
        [[0, 8, 5, 8], [8, 0, 8, 1], [5, 8, 0, 0], [8, 1, 0, 0]],
        dtype=np.int8,
    )
    floor = treaty_floor(members, ties)
    want = np.array([[0, 8, 0, 0], [8, 0, 8, 0], [0, 8, 0, 0], [0, 0, 0, 0]])
    np.testing.assert_array_equal(floor, want)


def test_the_2026_world_floors_the_28_nato_pairs():
    w = compile_world(M.baseline())
    pairs = _nato_pairs(w.codes)
    assert len(pairs) == 28
    assert all(w.floor[i, j] == MAX_LEVEL for i, j in pairs)
    assert int((w.floor > 0).sum()) == 2 * 28  # nothing else: USA-JPN, USA-AUS may thin


def test_the_2019_world_does_not_floor_finland():
    from indopacsim.scenario.io import load_scenario

    w = compile_world(load_scenario("hindcast_2019"))
    fin = w.codes.index("FIN")
    assert not w.floor[fin].any()
    assert int((w.floor > 0).sum()) == 2 * 21


def test_a_benign_russia_does_not_thin_nato():
    """Without the floor, 92% of 100 runs had a NATO pair below treaty level at the end."""
    res = run_ensemble(M.baseline({"russia.threat": 0.2}), 20, 1)
    for i, j in _nato_pairs(res.codes):
        assert (res.ties[:, i, j] == MAX_LEVEL).all(), (res.codes[i], res.codes[j])


def test_a_hedging_uk_stays_in_nato():
    """A doctrine that caps the ladder below treaty level does not thin the UK's NATO
    ties (without the floor the hedging UK thinned some in 10 runs)."""
    res = run_ensemble(M.baseline({"states.GBR.doctrine": "hedge"}), 10, 3)
    g = res.codes.index("GBR")
    for c in NATO_2026[:1] + NATO_2026[2:]:
        assert (res.ties[:, g, res.codes.index(c)] == MAX_LEVEL).all(), c


def test_a_player_cannot_cut_a_treaty_tie_but_can_cut_others():
    m = IndoPacModel(M.baseline(), rng=0, record=False)
    gbr, fra, jpn = (m.codes.index(c) for c in ("GBR", "FRA", "JPN"))
    before = int(m.ties[gbr, jpn])
    m.submit_moves("GBR", Moves(downgrade=frozenset({"FRA", "JPN"})))
    m.step()
    assert m.ties[gbr, fra] == MAX_LEVEL
    assert m.ties[gbr, jpn] == before - 1
    assert "FRA" not in m.doctrine_moves("GBR").downgrade


def test_explain_reports_no_cut_of_a_treaty_tie():
    """``indopacsim explain --down`` follows the engine: a state's most wanted cut is never
    a treaty tie within NATO (a hedging UK's would be, without the floor)."""
    from indopacsim.model.ensemble import Ensemble
    from indopacsim.validation import deals

    ens = Ensemble(M.baseline({"states.GBR.doctrine": "hedge"}), 4, np.random.default_rng(3))
    cut, _ = deals._choices(ens.engine, ens.engine.values(), "down")
    floored = ens.engine.world.floor > 0
    assert not cut[:, floored].any()
    assert cut.any()  # states do want cuts, elsewhere
