"""The speed-ups give the very same numbers as the plain formulas they replace.

Each test compares a kept, stacked or shortened computation with the straightforward
one it replaced, bit for bit (``np.array_equal``, not ``allclose``): floating-point
results must not move by a single bit (docs/reliability.md, Speed).
"""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim import IndoPacModel
from indopacsim.coalitions import measures as co
from indopacsim.model import axis, hazards, valuation
from indopacsim.model import kernel as K
from indopacsim.model.ensemble import Ensemble
from indopacsim.tiescale import DEPTH, MAX_LEVEL, STRONG


def _symmetric_ties(rng: np.random.Generator, runs: int, n: int) -> np.ndarray:
    t = np.triu(rng.integers(0, MAX_LEVEL + 1, (runs, n, n)), 1).astype(np.int8)
    return t + np.swapaxes(t, 1, 2)


def _plain_choose_moves(up, down, ties, caps, draws, initiatives, rates, side, summit):
    """choose_moves as first written (one hazard per side, masks by comparison)."""
    h_up, h_down, scale, decay = rates
    s_up, s_down = scale if isinstance(scale, tuple) else (scale, scale)
    n = up.shape[1]
    up = np.where(ties < np.minimum(caps, np.swapaxes(caps, 1, 2)), up, -np.inf)
    k = min(initiatives, n - 1)
    top = np.argpartition(-up, k - 1, axis=2)[:, :, :k]
    pursued = (top[..., None] == np.arange(n)).any(axis=2) & np.isfinite(up)
    mutual = hazards.agreement(up, side)
    propose = (pursued | np.swapaxes(pursued, 1, 2)) & np.isfinite(mutual)
    rate = hazards.top_rates(ties, h_up, decay)
    if summit is not None:
        met, h_summit = summit
        propose |= met[None] & np.isfinite(mutual)
        rate = np.where(met, h_summit, rate)
    p_up = np.where(propose, hazards.hazard(mutual, rate, s_up), 0.0)
    down = np.where(ties > 0, down, -np.inf)
    want = (np.argmax(down, axis=2)[..., None] == np.arange(n)) & np.isfinite(down)
    p_own = np.where(want, hazards.hazard(down, h_down, s_down), 0.0)
    p_dn = 1.0 - (1.0 - p_own) * (1.0 - np.swapaxes(p_own, 1, 2))
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    go_up = upper & (draws < p_up)
    go_dn = upper & ~go_up & (draws > 1.0 - p_dn)
    delta = go_up.view(np.int8) - go_dn.view(np.int8)
    return delta + np.swapaxes(delta, 1, 2)


@pytest.mark.parametrize("seed", range(40))
def test_choose_moves_is_the_plain_rule(seed: int):
    rng = np.random.default_rng(seed)
    runs, n = int(rng.integers(1, 4)), int(rng.integers(2, 10))
    up, down = rng.normal(0, 0.01, (2, runs, n, n))
    up[rng.random(up.shape) < 0.1] = 0.0
    ties = _symmetric_ties(rng, runs, n)
    caps = rng.integers(2, MAX_LEVEL + 3, (runs, n, n)).astype(np.int8)
    if seed % 2:
        caps.flags.writeable = False  # the engine's caps: their pair minimum is kept
    draws = rng.random((runs, n, n))
    scale = (0.01, 0.002 * (1 + seed % 7)) if seed % 5 else 0.01  # a cut's own scale, or one
    rates = (0.3, 0.2, scale, 0.3 if seed % 3 == 0 else 0.0)
    met = rng.random((n, n)) < 0.2
    summit = (met | met.T, 0.7) if seed % 4 == 0 else None
    args = (up, down, ties, caps, draws, int(rng.integers(1, 4)), rates, seed % 3 / 2, summit)
    assert np.array_equal(hazards.choose_moves(*args), _plain_choose_moves(*args))


def test_marginal_values_are_the_three_levels_valued_apart(baseline):
    eng = IndoPacModel(baseline, rng=3).engine
    pr, _, _, _ = eng.pressures()
    args = (pr, eng.terms, eng.policy, eng.bond, eng.weights())
    vt = K.value_terms(*args)
    assert np.array_equal(K.value_terms(*args, vt).affinity, vt.affinity)
    lv = eng.levels()
    here = K.value_at(lv, vt, eng.world.us)
    higher = K.value_at(np.minimum(lv + 1, MAX_LEVEL), vt, eng.world.us)
    lower = K.value_at(np.maximum(lv - 1, 0), vt, eng.world.us)
    stack = K.ladder(lv)
    for anchors in (None, K.rungs(stack)):  # level by level (large N), and as one stack
        up, down = hazards.value_steps(stack, vt, eng.world.us, anchors)
        assert np.array_equal(up, higher - here) and np.array_equal(down, lower - here)
    kept = K.value_at(stack, vt, eng.world.us, K.rungs(stack))
    assert np.array_equal(kept, K.value_at(stack, vt, eng.world.us))


def test_threat_terms_are_the_plain_formulas(baseline):
    m = IndoPacModel(baseline, rng=1)
    for _ in range(6):
        m.step()
    eng = m.engine
    tm, lv, us = eng.terms, eng.levels(), eng.world.us
    t, will, cover, _ = eng._threat_terms()
    ally = DEPTH[lv[:, :, tm.src]]
    direct = tm.base_threat[None] * ((1.0 + tm.growth) ** eng.years) * (1.0 - ally)
    pooled = tm.pooling * (1.0 - ally) * axis.pooled(tm, lv, direct)  # the axis (pooling > 0)
    assert tm.pooling > 0 and np.allclose(t, (direct + pooled) * (1.0 + eng.alarm), rtol=1e-13)
    top = t.max(axis=2, keepdims=True)
    share = np.divide(t, top, out=np.zeros_like(t), where=top > 0)
    s = eng.config.threat.solidarity
    plain_w = (s + (1.0 - s) * share) * (1.0 - ally)
    plain_w[:, tm.is_source] = 0.0
    assert np.array_equal(will, plain_w)
    assert np.array_equal(cover, K.lattice_cover(lv, will, us))
    depth, _, to_us, _ = eng.depths()
    assert np.array_equal(K.help_depth(lv, eng.trust, us, depth), K.help_depth(lv, eng.trust, us))
    need = K.lattice_need(lv, eng.trust, us)
    assert np.array_equal(K.lattice_need(lv, eng.trust, us, to_us), need)


def test_security_terms_in_chunks_of_runs_are_the_same_numbers(baseline, monkeypatch):
    eng = Ensemble(baseline, 5, np.random.default_rng(3)).engine
    for _ in range(4):
        eng.step()
    tm, lv = eng.terms, eng.levels()
    t, will, _, _ = eng._threat_terms()
    helped = K.help_depth(lv, eng.trust, eng.world.us, eng.depths()[0])
    whole = K.security_terms(helped, will, tm, t, 0.6)
    monkeypatch.setattr(K, "PROJECTED_ELEMENTS", will[0].size * will.shape[1] * 2)  # 2 runs
    chunked = K.security_terms(helped, will, tm, t, 0.6)
    assert np.array_equal(whole[0], chunked[0]) and np.array_equal(whole[1], chunked[1])
    for r in range(5):  # and each run alone
        alone = K.security_terms(helped[r : r + 1], will[r : r + 1], tm, t[r : r + 1], 0.6)
        assert np.array_equal(alone[0][0], whole[0][r]) and np.array_equal(alone[1][0], whole[1][r])
    assert K.security_terms(helped, will, tm)[1] is None


@pytest.mark.parametrize("seed", range(20))
def test_coalition_measures_are_the_plain_formulas(seed: int):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    ties = _symmetric_ties(rng, 1, n)[0]
    if seed % 5 == 0:
        ties[0] = ties[:, 0] = 0  # a state without ties
    camp = rng.uniform(-1, 1, n)
    p = co.camp_profile(ties, camp)
    w = ties.astype(float)
    sides = w @ np.stack([camp, np.maximum(camp, 0.0), np.maximum(-camp, 0.0)], axis=1)
    total = w.sum(axis=1)
    tied = total > 0
    safe = np.where(tied, total, 1.0)
    us, cn = np.where(tied, sides[:, 1] / safe, 0.0), np.where(tied, sides[:, 2] / safe, 0.0)
    assert np.array_equal(p.alignment, np.where(tied, sides[:, 0] / safe, 0.0))
    assert np.array_equal(p.toward_us, us) and np.array_equal(p.toward_china, cn)
    assert np.array_equal(p.toward_neither, np.where(tied, 1.0 - us - cn, 0.0))
    assert np.array_equal(p.us_strength, sides[:, 1] / MAX_LEVEL)
    plain_h = np.divide(
        2.0 * np.minimum(p.us_strength, p.cn_strength),
        p.us_strength + p.cn_strength,
        out=np.zeros(n),
        where=p.us_strength + p.cn_strength > 0,
    )
    assert np.array_equal(co.hedging_index(p.us_strength, p.cn_strength), plain_h)
    sides = (p.alignment >= 0).astype(np.int64)
    two_m = w.sum()
    same = sides[:, None] == sides[None, :]
    plain_q = ((w - np.outer(total, total) / two_m) * same).sum() / two_m if two_m > 0 else 0.0
    assert co.polarization(ties, p.alignment) == float(plain_q)
    labels = co.bloc_labels(ties, 3)
    cap = rng.uniform(0, 1, n)
    sizes, caps = np.bincount(labels), np.bincount(labels, weights=cap)
    multi = sizes >= 2
    plain_share = float(caps[multi].max() / cap.sum()) if multi.any() else 0.0
    assert co.bloc_summary(labels, cap) == (int(multi.sum()), plain_share)
    assert np.array_equal(labels, co._components(ties >= 3))
    labels[:] = -1  # the kept labels are handed out as copies
    assert np.array_equal(co.bloc_labels(ties, 3), co._components(ties >= 3))


def test_model_frame_is_the_datacollectors_frame(baseline):
    m = IndoPacModel(baseline, rng=2)
    for _ in range(5):
        m.step()
    plain = m.datacollector.get_model_vars_dataframe()
    plain.index.name = "step"
    frame = m.model_frame()
    assert list(frame.dtypes) == list(plain.reset_index().dtypes)
    assert frame.equals(plain.reset_index())


def test_kept_value_parts_are_the_plain_values(baseline):
    m = IndoPacModel(baseline, rng=2)
    for _ in range(5):
        m.step()
    eng = m.engine
    for _ in range(2):  # built, then kept
        up, down, pr, t = eng.values()
        stack, _, opening, rise, fall, sq = eng._ladder()
        vt = K.value_terms(pr, eng.terms, eng.policy, eng.bond, eng.weights())
        v = K.value_at(stack, vt, eng.world.us)
        extra = eng.extras(t)
        plain_up = v[1] - v[0] - opening + extra * rise + sq[0]
        plain_down = v[2] - v[0] + extra * fall + sq[1]
        shared = valuation.shared_steps(eng)  # on at the calibrated default
        assert shared is not None
        plain_up, plain_down = plain_up + shared, plain_down - shared
        assert np.array_equal(up, plain_up) and np.array_equal(down, plain_down)


@pytest.mark.parametrize("seed", range(5))
def test_looked_up_ladder_is_the_plain_ladder(seed: int):
    rng = np.random.default_rng(seed)
    ties = _symmetric_ties(rng, int(rng.integers(1, 4)), int(rng.integers(2, 12)))
    stack, anchors, *_ = hazards.ladder_terms(ties, 0.1)
    plain = K.ladder(ties.astype(np.intp))
    assert stack.dtype == plain.dtype and np.array_equal(stack, plain)
    for got, want in zip(anchors, K.rungs(plain), strict=True):
        assert got.dtype == want.dtype and np.array_equal(got, want)


def test_shared_start_is_the_plain_start(baseline):
    from indopacsim.model import engine

    engine._STARTS.clear()
    runs = []
    for _ in range(2):  # the first builds the start's kept values and gives them; the second takes
        m = IndoPacModel(baseline, rng=7)
        m.run_model()
        runs.append((m.model_frame(), m.states_frame(), m.ties.copy()))
    (frame, states, ties), (frame2, states2, ties2) = runs
    assert frame.equals(frame2) and states.equals(states2) and np.array_equal(ties, ties2)


@pytest.mark.parametrize("seed", range(20))
def test_networked_alliance_by_cells_is_the_plain_measure(seed: int):
    from indopacsim.model import tiemeasures

    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 14))
    ties = _symmetric_ties(rng, 1, n)[0]
    us = int(rng.integers(-1, n))
    partners = rng.random(n) < 0.5
    if us >= 0:
        partners[us] = False
    else:
        partners[:] = False
    cells = tiemeasures.cells(n, partners, us)
    got = tiemeasures.networked_alliance(ties, cells)
    assert got == co.networked_alliance(ties, partners, us)
    assert np.array_equal(ties.reshape(-1).take(cells.upper), ties[np.triu_indices(n, 1)])


@pytest.mark.parametrize("seed", range(30))
def test_tie_measures_of_many_networks_are_each_networks_plain_measures(seed: int):
    from indopacsim.model import tiemeasures
    from indopacsim.model.terms import camp

    rng = np.random.default_rng(seed)
    u, n = int(rng.integers(1, 6)), int(rng.integers(2, 40))
    ties = _symmetric_ties(rng, u, n)
    ties[0, : n // 2] = ties[0, :, : n // 2] = 0  # sparse, and (n = 2) without ties
    us, china = 0, min(1, n - 1)
    partners = rng.random(n) < 0.5
    partners[us] = False
    cells = tiemeasures.cells(n, partners, us)
    world = type("World", (), {"capability": rng.uniform(0, 1, n)})()
    camps = camp(ties, us, china)
    profiles = [co.camp_profile(ties[k], camps[k]) for k in range(u)]
    got = tiemeasures.tie_measures(ties, camps, co.camp_profile(ties, camps), world, 3, cells)
    for k, m in enumerate(got):
        t, p = ties[k], profiles[k]
        counts = np.bincount(t[np.triu_indices(n, 1)], minlength=MAX_LEVEL + 1)
        labels = co.bloc_labels(t, 3)
        plain = {
            "hedging": co.hedging_index(p.us_strength, p.cn_strength),
            "blocs": labels,
            "polarization": co.polarization(t, p.alignment),
            "n_blocs": co.bloc_summary(labels, world.capability)[0],
            "largest_bloc_share": co.bloc_summary(labels, world.capability)[1],
            "networked_ties": co.networked_alliance(t, partners, us)[0],
            "networked_alliance": co.networked_alliance(t, partners, us)[1],
            "mean_level": float(counts @ np.arange(MAX_LEVEL + 1) / (n * (n - 1) / 2)),
            "n_ties": int(n * (n - 1) / 2 - counts[0]),
            "n_strong": int(counts[STRONG:].sum()),
            "n_treaty": int(counts[MAX_LEVEL]),
        }
        for name, want in plain.items():
            assert type(m[name]) is type(want) and np.array_equal(m[name], want), name
        assert np.array_equal(m["alignment"], p.alignment) and np.array_equal(m["camp"], camps[k])
        for name in ("camp", "alignment", "toward_us", "toward_china", "toward_neither"):
            assert not m[name].flags.writeable, name


@pytest.mark.parametrize("seed", range(20))
def test_camp_profiles_of_a_stack_are_each_networks_profile(seed: int):
    from indopacsim.model.terms import camp

    rng = np.random.default_rng(seed)
    u, n = int(rng.integers(1, 8)), int(rng.integers(2, 40))
    ties = _symmetric_ties(rng, u, n)
    ties[0, : n // 2] = ties[0, :, : n // 2] = 0  # states without ties
    camps = camp(ties, 0, min(1, n - 1))
    stacked = co.camp_profile(ties, camps)
    align = co.alignment_index(ties, camps)
    for k in range(u):
        alone = co.camp_profile(ties[k], camps[k])
        for name, value in vars(alone).items():
            assert np.array_equal(getattr(stacked, name)[k], value), name
        assert np.array_equal(align[k], alone.alignment)
        assert np.array_equal(co.alignment_index(ties[k], camps[k]), alone.alignment)


@pytest.mark.parametrize("name", ["uk_japan_2026", "taiwan_contingency", "classroom_small"])
def test_measures_and_payoffs_read_later_are_those_of_their_step(name: str):
    """The payoffs, budgets and measures computed when read (``StepPayoffs``, the history)
    are the numbers computed from the engine at the end of each step."""
    from indopacsim import load_scenario
    from indopacsim.model.payoffs import PARTS

    m, quiet = IndoPacModel(load_scenario(name), rng=4), IndoPacModel(load_scenario(name), rng=4)
    eager = []
    while m.running:
        m.step()
        quiet.step()
        if m.steps % 3 == 0:  # some steps read now, the others when the tables are asked for
            assert m.alignment is m.history.current()["alignment"]
            assert m.payoffs is m.step_payoffs.get()[0]
        pay = m.engine.payoffs()
        eager.append([pay[p][0] for p in PARTS] + [m.engine.budget()[0]])
        if m.steps == 5:  # between steps: in step 6's numbers, not in step 5's
            for model in (m, quiet):
                model.add_bond(model.codes[3], model.codes[4], 0.5)
    states = m.states_frame()
    later = states[states["step"] > 0][[*PARTS, "budget"]].to_numpy()
    assert np.array_equal(later, np.concatenate([np.array(e).T for e in eager]))
    assert m.model_frame().equals(quiet.model_frame())
    assert states.equals(quiet.states_frame())


@pytest.mark.parametrize("name", ["uk_japan_2026", "classroom_small"])
def test_ties_table_is_the_steps_tables_concatenated(name: str):
    import pandas as pd

    from indopacsim import load_scenario
    from indopacsim.model.recorder import _tie_part

    m = IndoPacModel(load_scenario(name), rng=1)
    m.run_model()
    for drop in (False, True):
        if drop:  # a step without ties: concatenated as pandas does
            m.recorder.networks[3] = np.zeros_like(m.recorder.networks[3])
        codes = np.array(m.codes, dtype=object)
        tables = m.recorder.tie_tables()
        assert not drop or not len(tables[3][3])
        plain = pd.concat([_tie_part(codes, *r) for r in tables], ignore_index=True)
        dates = dict(zip(m.recorder.steps, m.recorder.dates, strict=True))
        plain.insert(1, "date", plain["step"].map(dates))
        frame = m.ties_frame()
        assert frame.equals(plain) and list(frame.dtypes) == list(plain.dtypes)
        assert type(frame.index) is type(plain.index)


@pytest.mark.parametrize("runs", [1, 3, 200])  # 200: numpy reuses large temporaries
def test_threat_terms_with_kept_source_depths_are_the_kernels(baseline, runs: int):
    """The threat terms with the depths among the sources kept are the kernel's numbers, in
    the kernel's memory layout (the products that read them sum in the layout's order), and
    a source is never willing to help against itself, whatever the layout."""
    from indopacsim.model import threatterms

    eng = Ensemble(baseline, runs, np.random.default_rng(5)).engine
    for _ in range(3):
        eng.step()
    eng.alarm[:, :2] += 0.1  # alarm near some states
    tm, solidarity = eng.terms, eng.config.threat.solidarity
    for _ in range(2):  # built, then built again after a tie among the sources moved
        lv, free = eng.levels(), eng.depths()[3]
        t, will, cover, budget = threatterms.threat_terms(eng)
        plain_t = K.threat(tm, lv, eng.alarm, eng.years, free)
        plain_w = K.willingness(plain_t, tm, lv, solidarity, free)
        assert np.array_equal(t, plain_t) and t.strides == plain_t.strides
        assert np.array_equal(will, plain_w) and will.strides == plain_w.strides
        assert not will[:, *np.divmod(np.flatnonzero(tm.is_source), tm.is_source.shape[1])].any()
        assert np.array_equal(cover, K.lattice_cover(lv, plain_w, eng.world.us))
        assert np.array_equal(budget, eng.budget(plain_t))
        a, b = tm.src[0], tm.src[1]
        eng.set_tie(a, b, (int(eng.ties[0, a, b]) + 1) % (MAX_LEVEL + 1))


@pytest.mark.parametrize("seed", range(10))
def test_looked_up_rungs_gates_and_fit_are_the_plain_expressions(seed: int):
    rng = np.random.default_rng(seed)
    runs, n = int(rng.integers(1, 4)), int(rng.integers(2, 12))
    ties = _symmetric_ties(rng, runs, n)
    opening = float(rng.uniform(0, 0.2))
    fit = (
        _symmetric_ties(rng, 1, n)[0],
        rng.uniform(0, 0.1, (n, n)),
        rng.uniform(0, 0.1, (n, n)),
    )
    small = hazards.ladder_terms(ties, opening, fit)
    lv = ties.astype(np.intp)
    depth = DEPTH[K.ladder(lv)]
    ties0, up, down = fit
    plain = [
        opening * (lv == 0),
        depth[1] - depth[0],
        depth[2] - depth[0],
        (
            np.where(ties < ties0[None], down[None], -up[None]),
            np.where(ties > ties0[None], up[None], -down[None]),
        ),
    ]
    for got, want in zip(small[2:], plain, strict=True):
        assert np.array_equal(np.asarray(got), np.asarray(want))
    caps = rng.integers(2, MAX_LEVEL + 3, (runs, n, n)).astype(np.int8)
    h_up, h_down, decay = float(rng.uniform(0.05, 0.5)), float(rng.uniform(0.1, 1)), 0.3854
    can_up, cuttable, rate, tops = hazards.move_gates(ties, caps, (h_up, h_down, 0.01, decay))
    plain_rate = hazards.top_rates(ties, h_up, decay)  # exp over the whole array, as before
    assert np.array_equal(rate, plain_rate)
    assert np.array_equal(tops, -np.array([plain_rate, np.full(ties.shape, h_down)]))
    assert np.array_equal(can_up, ties < np.minimum(caps, np.swapaxes(caps, 1, 2)))
    assert np.array_equal(cuttable, ties > 0)


def test_kept_exposure_follows_the_ties_to_the_us(baseline):
    eng = IndoPacModel(baseline, rng=3).engine
    w, cfg = eng.world, eng.config
    kept = eng.exposure()

    def plain() -> np.ndarray:
        lv = eng.ties.astype(np.intp)
        args = (w.exposure_china, w.us, w.china, cfg.china.retaliation, cfg.us.rebuke)
        return K.exposure(lv, eng.terms, *args, 0.1 * cfg.us.transactional_pressure)

    other = next(j for j in range(w.n) if w.us not in (j, 5))
    eng.set_tie(5, other, (int(eng.ties[0, 5, other]) + 1) % (MAX_LEVEL + 1))
    assert eng.exposure() is kept and np.array_equal(kept, plain())  # no tie to the US moved
    eng.set_tie(5, w.us, (int(eng.ties[0, 5, w.us]) + 1) % (MAX_LEVEL + 1))
    assert eng.exposure() is not kept and np.array_equal(eng.exposure(), plain())


def test_camps_and_clips_are_the_plain_formulas():
    from indopacsim.model.terms import camp

    rng = np.random.default_rng(0)
    ties = _symmetric_ties(rng, 3, 9)
    c = camp(ties, 0, 1)
    plain = (ties[..., 0].astype(float) - ties[..., 1].astype(float)) / MAX_LEVEL
    plain[..., 0], plain[..., 1] = 1.0, -1.0
    assert np.array_equal(c, plain)
    x = np.array([-0.5, 0.0, 0.3, 1.0, 1.7, np.nan, -np.inf, np.inf])
    clipped = np.minimum(np.maximum(x, 0.0), 1.0)  # the engine's clip of the US signal, trust
    assert np.array_equal(clipped, x.clip(0.0, 1.0), equal_nan=True)
