"""Tests of the landscape-theory engine (Axelrod & Bennett 1993).

Everything is checked against a plain brute-force reference written here with Python
loops over ``itertools.product``: the energy over ORDERED pairs, frustration, the set
of local minima, the deterministic move rule and the basins.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indopacsim.errors import InputError
from indopacsim.landscape.case import landscape_report, load_case
from indopacsim.landscape.core import (
    Landscape,
    energy,
    energy_batch,
    frustration,
    frustration_batch,
)
from indopacsim.landscape.exact import TooLargeError, solve_exact
from indopacsim.landscape.search import canonical_labels, descend, solve_heuristic
from indopacsim.landscape.solvers import solve

ROOT = Path(__file__).resolve().parents[1]
EUROPE = ROOT / "scenarios" / "landscape" / "europe_1936.yaml"
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


# ---------------------------------------------------------------- reference --
def ref_frustration(s: list[float], p: list[list[float]], lab: tuple[int, ...]) -> list[float]:
    n = len(s)
    return [sum(s[j] * p[i][j] * (lab[i] != lab[j]) for j in range(n) if j != i) for i in range(n)]


def ref_energy(s: list[float], p: list[list[float]], lab: tuple[int, ...]) -> float:
    n = len(s)
    return sum(
        s[i] * s[j] * p[i][j] * (lab[i] != lab[j])
        for i in range(n)
        for j in range(n)
        if i != j  # ordered pairs: each unordered pair counted twice
    )


def ref_gains(s, p, lab, n_sides=2):
    """(gain, actor, new side) of every possible single move."""
    n = len(s)
    out = []
    for i in range(n):
        now = ref_frustration(s, p, lab)[i]
        for c in range(n_sides):
            if c != lab[i]:
                moved = list(lab)
                moved[i] = c
                out.append((now - ref_frustration(s, p, tuple(moved))[i], i, c))
    return out


def ref_step(s, p, lab, n_sides=2):
    """The move rule: biggest frustration drop; ties lowest actor, then lowest side."""
    best = max(ref_gains(s, p, lab, n_sides), key=lambda g: (g[0], -g[1], -g[2]), default=None)
    if best is None or best[0] <= 0:
        return None
    moved = list(lab)
    moved[best[1]] = best[2]
    return tuple(moved)


def canon2(lab: tuple[int, ...]) -> tuple[int, ...]:
    return lab if lab[0] == 0 else tuple(1 - x for x in lab)


def ref_solve(s, p):
    """Minima (actor 0 on side 0) with energies and basins over all 2**n starts."""
    n = len(s)
    minima = {}
    for rest in itertools.product((0, 1), repeat=n - 1):
        lab = (0, *rest)
        if all(g <= 0 for g, _, _ in ref_gains(s, p, lab)):
            minima[lab] = ref_energy(s, p, lab)
    basins = dict.fromkeys(minima, 0)
    for lab in itertools.product((0, 1), repeat=n):
        nxt = lab
        while nxt is not None:
            lab, nxt = nxt, ref_step(s, p, nxt)
        basins[canon2(lab)] += 1
    return minima, {k: v / 2**n for k, v in basins.items()}


@st.composite
def int_instances(draw, min_n=1, max_n=8):
    n = draw(st.integers(min_n, max_n))
    s = draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
    up = draw(st.lists(st.integers(-5, 5), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))
    p = [[0] * n for _ in range(n)]
    for (i, j), v in zip(itertools.combinations(range(n), 2), up, strict=True):
        p[i][j] = p[j][i] = v
    return [float(x) for x in s], [[float(x) for x in row] for row in p]


@st.composite
def float_instances(draw, max_n=12):
    n = draw(st.integers(1, max_n))
    fl = st.floats(-10, 10, allow_nan=False)
    s = draw(st.lists(st.floats(0.01, 100), min_size=n, max_size=n))
    up = draw(st.lists(fl, min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))
    p = [[0.0] * n for _ in range(n)]
    for (i, j), v in zip(itertools.combinations(range(n), 2), up, strict=True):
        p[i][j] = p[j][i] = v
    k = draw(st.integers(2, 4))
    labs = draw(st.lists(st.tuples(*[st.integers(0, k - 1)] * n), min_size=1, max_size=6))
    return s, p, labs


def make(s, p) -> Landscape:
    return Landscape(tuple(f"a{i}" for i in range(len(s))), np.array(s), np.array(p))


# ------------------------------------------------------------- energy etc. --
def test_sign_convention_and_ordered_pair_double_counting():
    ls = Landscape(
        ("A", "B", "C"),
        np.array([2.0, 3.0, 5.0]),
        np.array([[0, 1, -1], [1, 0, 0], [-1, 0, 0]], dtype=float),
    )
    # A and B have affinity (+1): apart costs 2 * sA * sB * 1 = 12, counted twice.
    assert energy(ls, [0, 1, 1]) == pytest.approx(2 * 2 * 3 * 1 + 2 * 2 * 5 * -1)
    assert energy(ls, [0, 0, 1]) == pytest.approx(2 * 2 * 5 * -1)  # A-C apart lowers E
    assert frustration(ls, [0, 1, 1]).tolist() == pytest.approx([3 - 5, 2, -2])
    best = solve_exact(ls).best
    assert best.sides == [["A", "B"], ["C"]]
    assert best.energy == pytest.approx(-20.0)


@SETTINGS
@given(float_instances())
def test_energy_and_frustration_match_reference(inst):
    s, p, labs = inst
    ls = make(s, p)
    arr = np.array(labs)
    f = frustration_batch(ls, arr)
    e = energy_batch(ls, arr)
    for row, lab in enumerate(labs):
        ref_f = ref_frustration(s, p, lab)
        assert f[row] == pytest.approx(ref_f, rel=1e-9, abs=1e-6)
        assert e[row] == pytest.approx(ref_energy(s, p, lab), rel=1e-9, abs=1e-5)
        assert energy(ls, lab) == pytest.approx(float(np.dot(s, ref_f)), rel=1e-9, abs=1e-5)
        mirror = [max(lab) - x for x in lab]  # relabelling sides changes nothing
        assert energy(ls, mirror) == pytest.approx(e[row], rel=1e-9, abs=1e-5)


@SETTINGS
@given(int_instances(max_n=8), st.sampled_from([1, 2, 16]))
def test_exact_minima_and_basins_match_reference(inst, chunk_bits):
    s, p = inst
    ls = make(s, p)
    res = solve_exact(ls, chunk_bits=chunk_bits)
    ref_min, ref_basin = ref_solve(s, p)
    got = {tuple(int(x) for x in lab): i for i, lab in enumerate(res.labels)}
    assert set(got) == set(ref_min)
    for lab, i in got.items():
        assert res.energies[i] == pytest.approx(ref_min[lab])
        assert res.basins[i] == pytest.approx(ref_basin[lab])
    assert res.basins.sum() == pytest.approx(1.0)
    assert np.all(np.diff(res.energies) >= 0)
    nob = solve_exact(ls, basins=False, chunk_bits=chunk_bits)
    assert np.array_equal(np.sort(nob.energies), np.sort(res.energies))


@SETTINGS
@given(int_instances(min_n=2, max_n=12))
def test_heuristic_agrees_with_exact(inst):
    s, p = inst
    ls = make(s, p)
    exact = solve_exact(ls)
    heur = solve_heuristic(ls, np.random.default_rng(7), n_starts=20_000)
    assert heur.energies[0] == pytest.approx(exact.energies[0])
    found = {tuple(lab): b for lab, b in zip(heur.labels.tolist(), heur.basins, strict=True)}
    exact_set = {tuple(lab) for lab in exact.labels.tolist()}
    assert set(found) <= exact_set  # everything found is a true minimum
    for lab, b in zip(exact.labels.tolist(), exact.basins, strict=True):
        if b >= 0.01:
            assert tuple(lab) in found
            assert found[tuple(lab)] == pytest.approx(b, abs=0.03)


@SETTINGS
@given(int_instances(min_n=2, max_n=7), st.integers(2, 4))
def test_heuristic_k_sides_reaches_minima_by_the_move_rule(inst, k):
    s, p = inst
    ls = make(s, p)
    rng = np.random.default_rng(3)
    start = rng.integers(0, k, size=(30, len(s)))
    end = descend(ls, start, k)
    for a, b in zip(start.tolist(), end.tolist(), strict=True):
        lab = tuple(a)
        while (nxt := ref_step(s, p, lab, k)) is not None:
            lab = nxt
        assert lab == tuple(b)
    res = solve_heuristic(ls, rng, n_starts=500, n_sides=k)
    for lab, e in zip(res.labels.tolist(), res.energies, strict=True):
        assert all(g <= 0 for g, _, _ in ref_gains(s, p, tuple(lab), k))
        assert e == pytest.approx(ref_energy(s, p, tuple(lab)))
    assert res.basins.sum() == pytest.approx(1.0)


def test_three_sides_used_when_everyone_repels():
    ls = make([1.0] * 6, (np.ones((6, 6)) - np.eye(6)) * -1.0)
    res = solve(ls, heuristic=True, rng=np.random.default_rng(0), n_sides=3, n_starts=200)
    assert [len(x) for x in res.best.sides] == [2, 2, 2]
    assert res.best.energy == pytest.approx(-24.0)


def test_canonical_labels_and_misplaced():
    lab = np.array([[2, 2, 0, 1], [1, 0, 0, 2]])
    assert canonical_labels(lab, 3).tolist() == [[0, 0, 1, 2], [0, 1, 1, 2]]
    ls = make([1.0] * 4, -(np.ones((4, 4)) - np.eye(4)))
    res = solve_exact(ls)
    obs_best = [[res.best.sides[1][0], *res.best.sides[0]], res.best.sides[1][1:]]
    assert res.misplaced(obs_best) == 1
    assert res.misplaced(obs_best[::-1]) == 1  # either matching of sides
    assert res.misplaced(res.best.sides[::-1]) == 0
    frame = res.to_frame()
    assert list(frame.columns) == ["rank", "energy", "basin", "side_1", "side_2"]


def test_landscape_validation_and_size_limit():
    with pytest.raises(ValueError, match="symmetric"):
        Landscape(("a", "b"), np.ones(2), np.array([[0.0, 1.0], [2.0, 0.0]]))
    with pytest.raises(ValueError, match="diagonal"):
        Landscape(("a", "b"), np.ones(2), np.eye(2))
    with pytest.raises(ValueError, match="positive"):
        Landscape(("a", "b"), np.array([1.0, 0.0]), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        Landscape(("a", "b"), np.ones(3), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="duplicate"):
        Landscape(("a", "a"), np.ones(2), np.zeros((2, 2)))
    big = Landscape(tuple(f"x{i}" for i in range(25)), np.ones(25), np.zeros((25, 25)))
    with pytest.raises(TooLargeError, match="24"):
        solve_exact(big)
    with pytest.raises(ValueError, match="Generator"):
        solve(big, heuristic=True)


# ------------------------------------------------------------- case files --
GOOD = """\
kind: landscape
name: toy
scale: {neutral: 3}
actors:
  - {name: A, size: 2}
  - {name: B, size: 3}
  - {name: C, size: 5}
propensities:
  - [A, B, 4]
  - [A, C, 2]
  - [B, C, 3]
observed:
  - [A, B]
  - [C]
"""


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_neutral_shift_through_loader(tmp_path):
    case, ls = load_case(write(tmp_path, GOOD))
    assert case.name == "toy"
    assert ls.propensity.tolist() == [[0, 1, -1], [1, 0, 0], [-1, 0, 0]]
    s, p = ls.sizes.tolist(), ls.propensity.tolist()
    for lab in itertools.product((0, 1), repeat=3):
        assert energy(ls, lab) == pytest.approx(ref_energy(s, p, lab))
    out = json.loads(landscape_report(write(tmp_path, GOOD), as_json=True))
    assert out["minima"][0]["sides"] == [["A", "B"], ["C"]]
    assert out["misplaced"] == 0


def test_default_propensity_fills_missing_pairs(tmp_path):
    text = GOOD.replace("  - [B, C, 3]\n", "").replace("scale:", "default_propensity: 1\nscale:")
    _, ls = load_case(write(tmp_path, text))
    assert ls.propensity[1, 2] == ls.propensity[2, 1] == -2.0


BAD = [
    ("malformed", GOOD.replace("  - [A, B, 4]", "  - [A, B, 4"), "line", "malformed"),
    ("kind", GOOD.replace("kind: landscape", "kind: scenario"), "kind", "landscape"),
    ("nokind", GOOD.replace("kind: landscape\n", ""), "kind", "landscape"),
    ("topkey", GOOD + "colour: red\n", "colour", "unknown key"),
    (
        "nestkey",
        GOOD.replace("{name: B, size: 3}", "{name: B, size: 3, w: 1}"),
        "actors[1].w",
        "unknown key",
    ),
    ("scalekey", GOOD.replace("neutral: 3", "neutrl: 3"), "scale.neutrl", "unknown key"),
    ("unknown", GOOD.replace("[A, C, 2]", "[A, Z, 2]"), "propensities[1]", "'Z'"),
    ("self", GOOD.replace("[A, C, 2]", "[A, A, 2]"), "propensities[1]", "itself"),
    ("missing", GOOD.replace("  - [B, C, 3]\n", ""), "propensities", "missing"),
    ("size0", GOOD.replace("size: 5", "size: 0"), "actors[2].size", "greater than 0"),
    ("sizeneg", GOOD.replace("size: 3", "size: -1"), "actors[1].size", "greater than 0"),
    ("sizestr", GOOD.replace("size: 3", "size: big"), "actors[1].size", "number"),
    ("dupname", GOOD.replace("name: C", "name: A"), "actors[2].name", "duplicate"),
    ("boolname", GOOD.replace("name: C", "name: NO"), "actors[2].name", "quote"),
    ("obsunknown", GOOD.replace("  - [C]", "  - [C, Q]"), "observed[1][1]", "'Q'"),
    ("obstwice", GOOD.replace("  - [C]", "  - [C, A]"), "observed[1][1]", "twice"),
    ("obs3", GOOD + "  - [C]\n", "observed", "2 items"),
    ("shortrow", GOOD.replace("[A, C, 2]", "[A, C]"), "propensities[1]", "row"),
    ("noactors", GOOD.split("actors:")[0] + "actors: []\n", "actors", "at least 1"),
]
BAD += [
    (
        "twice",
        GOOD.replace("  - [B, C, 3]\n", "  - [B, C, 3]\n  - [B, A, 4]\n"),
        "propensities[3]",
        "twice",
    ),
    (
        "asym",
        GOOD.replace("  - [B, C, 3]\n", "  - [B, C, 3]\n  - [B, A, 5]\n"),
        "propensities[3]",
        "asymmetric",
    ),
]


@pytest.mark.parametrize(("label", "text", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_and_field(tmp_path, label, text, field, words):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_case(path)
    err = info.value
    assert err.file == str(path)
    assert err.field is not None and err.field.startswith(field)
    assert words in err.message
    assert err.one_line().startswith(f"{path}: {err.field}: ")


def test_too_many_actors_needs_heuristic(tmp_path):
    actors = "".join(f"  - {{name: x{i}, size: 1}}\n" for i in range(25))
    text = f"kind: landscape\nname: big\nactors:\n{actors}default_propensity: -1\n"
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        landscape_report(path)
    assert info.value.field == "actors" and "heuristic" in info.value.message
    out = json.loads(landscape_report(path, heuristic=True, as_json=True, top=2))
    assert len(out["minima"]) <= 2 and out["misplaced"] is None
    with pytest.raises(InputError):
        landscape_report(path, top=0)


def test_report_json_shape_and_text(tmp_path):
    path = write(tmp_path, GOOD.split("observed:")[0].replace("[B, C, 3]", "[B, C, 1]"))
    out = json.loads(landscape_report(path, as_json=True, top=1))
    assert set(out) == {"minima", "frustration", "misplaced"}
    assert out["misplaced"] is None
    assert len(out["minima"]) == 1
    assert set(out["minima"][0]) == {"energy", "sides", "basin"}
    assert len(out["minima"][0]["sides"]) == 2
    assert set(out["frustration"]) == {"A", "B", "C"}
    full = json.loads(landscape_report(path, as_json=True, top=50))
    energies = [m["energy"] for m in full["minima"]]
    assert energies == sorted(energies)
    assert sum(m["basin"] for m in full["minima"]) == pytest.approx(1.0)
    text = landscape_report(write(tmp_path, GOOD, "b.yaml"))
    assert "misplaces 0 of 3" in text and "Frustration" in text


# ---------------------------------------------------------------- Europe --
def test_europe_1936_loads_runs_and_matches_generator():
    case, ls = load_case(EUROPE)
    assert ls.n == 17 and len(case.propensities) == 136
    assert case.observed is not None and sum(map(len, case.observed)) == 17
    res = solve_exact(ls)
    assert res.basins.sum() == pytest.approx(1.0)
    # The result documented in docs/landscape.md; change both together.
    assert len(res.energies) == 1
    assert res.misplaced_actors(case.observed) == [
        "Britain",
        "Czechoslovakia",
        "Denmark",
        "France",
        "Greece",
        "Poland",
        "Portugal",
        "Yugoslavia",
    ]
    out = json.loads(landscape_report(EUROPE, as_json=True))
    assert out["misplaced"] == 8
    spec = importlib.util.spec_from_file_location(
        "build_europe_1936", EUROPE.with_name("build_europe_1936.py")
    )
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert builder.yaml_text() == EUROPE.read_text(encoding="utf-8")
