"""The axis: a source carries the threats of the sources aligned with it (model/axis.py)."""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim.model import axis
from indopacsim.model import kernel as K
from indopacsim.model.ensemble import Ensemble
from indopacsim.tiescale import DEPTH
from indopacsim.validation.mechanism import baseline


def _threat(overrides: dict[str, float]) -> tuple[np.ndarray, list[str], list[str]]:
    eng = Ensemble(baseline(overrides), 1, np.random.default_rng(0)).engine
    codes = list(eng.world.codes)
    return eng._threat_terms()[0][0], codes, [codes[s] for s in eng.terms.src]


def test_pooled_is_the_depth_weighted_threat_of_aligned_sources():
    eng = Ensemble(baseline(), 2, np.random.default_rng(0)).engine
    tm, ties = eng.terms, eng.ties.astype(np.intp)
    direct = np.random.default_rng(1).random((2, eng.world.n, len(tm.src)))
    got = axis.pooled(tm, ties, direct)
    codes = list(eng.world.codes)
    src = [codes[s] for s in tm.src]
    i, k, m = codes.index("GBR"), src.index("CHN"), src.index("RUS")
    want = sum(DEPTH[ties[0, tm.src[k], tm.src[q]]] * direct[0, i, q] for q in range(len(src)))
    assert got[0, i, k] == pytest.approx(want)
    assert DEPTH[ties[0, tm.src[k], tm.src[m]]] > 0  # China and Russia are aligned
    assert (got[:, tm.is_source] == 0).all()  # a source is not threatened by its partners
    assert (got[:, tm.base_threat <= 0] == 0).all()  # nor inherits without intent of its own


def test_partners_inherit_only_where_they_have_a_quarrel_of_their_own():
    """North Korea carries China's threat to Japan and Pakistan China's to India; Pakistan
    carries nothing to the Philippines, with which it has no dispute."""
    lo, codes, src = _threat({"threat.pooling": 0.0})
    hi, _, _ = _threat({"threat.pooling": 0.5})
    prk, pak = src.index("PRK"), src.index("PAK")
    assert hi[codes.index("JPN"), prk] > 2 * lo[codes.index("JPN"), prk] > 0
    assert hi[codes.index("IND"), pak] > 1.3 * lo[codes.index("IND"), pak] > 0
    assert hi[codes.index("PHL"), pak] == lo[codes.index("PHL"), pak] == 0


def test_no_pooling_is_the_threat_without_an_axis():
    eng = Ensemble(baseline({"threat.pooling": 0.0}), 1, np.random.default_rng(0)).engine
    tm, lv = eng.terms, eng.ties.astype(np.intp)
    plain = tm.base_threat[None] * K.free_of(tm, lv)
    assert np.array_equal(K.threat(tm, lv, np.zeros_like(eng.alarm), 0.0), plain)
    with_axis, _, _ = _threat({})  # the frozen calibration pools (threat.pooling > 0)
    assert not np.array_equal(with_axis, eng._threat_terms()[0][0])


def test_axis_carries_russias_threat_to_asia_and_chinas_to_europe():
    """With pooling, Europe's threat from China grows with Russia's hostility, and Japan's
    and Korea's threat from Russia with China's coercion; without it neither moves."""
    for pool, moves in ((0.0, False), (0.5, True)):
        lo, codes, src = _threat({"threat.pooling": pool, "russia.threat": 0.2})
        hi, _, _ = _threat({"threat.pooling": pool, "russia.threat": 1.0})
        gbr, cn = codes.index("GBR"), src.index("CHN")
        assert bool(hi[gbr, cn] > lo[gbr, cn] * 1.2) is moves
        lo, _, _ = _threat({"threat.pooling": pool, "china.coercion": 0.2})
        hi, _, _ = _threat({"threat.pooling": pool, "china.coercion": 1.0})
        ru = src.index("RUS")
        for st in ("JPN", "KOR"):
            assert bool(hi[codes.index(st), ru] > lo[codes.index(st), ru] * 1.2) is moves


def test_kernel_threat_adds_the_axis_discounted_by_the_own_tie():
    eng = Ensemble(baseline({"threat.pooling": 0.5}), 1, np.random.default_rng(0)).engine
    tm, lv = eng.terms, eng.ties.astype(np.intp)
    free = K.free_of(tm, lv)
    direct = tm.base_threat[None] * free
    want = direct + 0.5 * free * axis.pooled(tm, lv, direct)
    assert np.allclose(K.threat(tm, lv, np.zeros_like(eng.alarm), 0.0), want)
