"""Integrity checks for the hindcast reference data in ``indopacsim.data``.

The files (described in ``src/indopacsim/data/HINDCAST.md``) code the defence ties on the
0-8 ladder at 31 Dec 2012, 31 Dec 2019 and 1 Jan 2026, the dated changes between them, the
minilateral groups, the 2019 state attributes, disputes and tie ceilings, and the exogenous
drivers of 2020-2025. These tests read the CSV files through ``importlib.resources`` so that
they check what the installed package ships.
"""

from __future__ import annotations

import re
from importlib.resources import files

import pandas as pd
import pytest
from helpers import CHANGE_COLUMNS, ORDER, check_change_rows

CODES = set(ORDER)
TIE_FILES = {"ties_2012.csv": 2012, "ties_2019.csv": 2019, "ties_2026.csv": 2025}
DRIVER_KINDS = {
    "us_administration",
    "us_signal",
    "china_coercion",
    "china_retaliation",
    "russia_war",
    "crisis",
    "fiscal",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _read(name: str) -> pd.DataFrame:
    with (files("indopacsim.data") / name).open("r", encoding="utf-8") as f:
        return pd.read_csv(f, keep_default_na=False, dtype=str)


def _levels(df: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(r.a, r.b): int(r.level) for r in df.itertuples()}


@pytest.fixture(scope="module")
def ties() -> dict[str, pd.DataFrame]:
    return {name: _read(name) for name in TIE_FILES}


@pytest.fixture(scope="module")
def changes() -> pd.DataFrame:
    df = _read("tie_changes.csv")
    return df.assign(level_from=df.level_from.astype(int), level_to=df.level_to.astype(int))


def _apply(start: dict, changes: pd.DataFrame, first: str, last: str) -> dict:
    levels = dict(start)
    window = changes[(changes.date >= first) & (changes.date <= last)].sort_values(
        "date", kind="stable"
    )
    for r in window.itertuples():
        key = (r.a, r.b)
        assert levels.get(key, 0) == r.level_from, (
            f"{r.date} {key}: from {r.level_from}, was {levels.get(key, 0)}"
        )
        levels[key] = r.level_to
    return {k: v for k, v in levels.items() if v > 0}


# ---------------------------------------------------------------- ladder


def test_ladder_has_rungs_0_to_8():
    ladder = _read("ladder.csv")
    assert list(ladder.columns) == ["level", "name", "definition", "examples"]
    assert [int(x) for x in ladder.level] == list(range(9))
    assert (ladder.name.str.strip() != "").all()
    assert (ladder.definition.str.strip() != "").all()
    assert (ladder.examples.str.strip() != "").all()


# ---------------------------------------------------------------- tie snapshots


@pytest.mark.parametrize("name", list(TIE_FILES))
def test_tie_file_structure(ties, name):
    df = ties[name]
    assert list(df.columns) == ["a", "b", "level", "basis", "source", "year"]
    assert set(df.a) | set(df.b) <= CODES
    pairs = zip(df.a, df.b, strict=True)
    assert all(ORDER.index(a) < ORDER.index(b) for a, b in pairs), "a must precede b"
    assert not df.duplicated(["a", "b"]).any()
    levels = df.level.astype(int)
    assert levels.between(1, 8).all(), "files list pairs with level >= 1 only"
    assert (df.basis.str.strip() != "").all()
    assert (df.source.str.strip() != "").all()
    assert df.year.astype(int).between(1900, TIE_FILES[name]).all()


def test_ties_2019_basis_names_no_later_year(ties):
    for r in ties["ties_2019.csv"].itertuples():
        assert not re.search(r"\b202\d\b", r.basis + " " + r.source), (r.a, r.b, r.basis)
    for r in ties["ties_2012.csv"].itertuples():
        assert not re.search(r"\b20(1[3-9]|2\d)\b", r.basis + " " + r.source), (r.a, r.b, r.basis)


def test_anchor_codings(ties):
    l26 = _levels(ties["ties_2026.csv"])
    l19 = _levels(ties["ties_2019.csv"])
    assert l26[("GBR", "JPN")] == 6
    assert l26[("RUS", "PRK")] == 8 and l19.get(("RUS", "PRK"), 0) < 8
    assert l26[("CHN", "PRK")] == 8 and l26[("AUS", "NZL")] == 8
    for x in ("USA", "GBR", "FRA", "DEU", "ITA", "NLD", "CAN"):
        pair = (x, "FIN")
        assert l26[pair] == 8 and l19.get(pair, 0) < 8
    assert l26[("CHN", "JPN")] == 1
    assert l19[("GBR", "AUS")] < 6  # AUKUS (2021) is later


# ---------------------------------------------------------------- changes


def test_changes_structure(changes):
    assert list(changes.columns) == CHANGE_COLUMNS
    assert changes.date.str.match(ISO_DATE).all()
    assert changes.date.between("2013-01-01", "2025-12-31").all()
    assert set(changes.a) | set(changes.b) <= CODES
    assert all(ORDER.index(a) < ORDER.index(b) for a, b in zip(changes.a, changes.b, strict=True))
    check_change_rows(changes)


def test_chain_2012_to_2019(ties, changes):
    got = _apply(_levels(ties["ties_2012.csv"]), changes, "2013-01-01", "2019-12-31")
    assert got == _levels(ties["ties_2019.csv"])


def test_chain_2019_to_2026(ties, changes):
    got = _apply(_levels(ties["ties_2019.csv"]), changes, "2020-01-01", "2025-12-31")
    assert got == _levels(ties["ties_2026.csv"])


def test_2019_world_has_no_later_change(ties, changes):
    """Every post-2019 change starts from the 2019 level: none is already in ties_2019."""
    l19 = _levels(ties["ties_2019.csv"])
    later = changes[changes.date >= "2020-01-01"].sort_values("date", kind="stable")
    first = later.drop_duplicates(["a", "b"], keep="first")
    for r in first.itertuples():
        assert l19.get((r.a, r.b), 0) == r.level_from != r.level_to, (r.date, r.a, r.b)
    assert (changes[changes.date <= "2019-12-31"].date >= "2013-01-01").all()


def test_finland_accession(changes):
    fin = changes[(changes.date == "2023-04-04") & (changes.b == "FIN")]
    assert set(fin.a) == {"USA", "GBR", "FRA", "DEU", "ITA", "NLD", "CAN"}
    assert (fin.level_to == 8).all()


# ---------------------------------------------------------------- minilaterals


def test_minilaterals_dated():
    df = _read("minilaterals.csv")
    assert list(df.columns) == ["group", "members", "kind", "start", "end", "basis", "source"]
    assert set(df.kind) <= {"treaty", "security", "dialogue", "economic"}
    assert df.start.str.match(ISO_DATE).all()
    ends = df.end[df.end != ""]
    assert ends.str.match(ISO_DATE).all()
    assert (df.end[df.end != ""] >= df.start[df.end != ""]).all()
    for members in df.members:
        codes = members.split(";")
        assert codes and set(codes) <= CODES and len(codes) == len(set(codes)), members
    assert (df.basis.str.strip() != "").all() and (df.source.str.strip() != "").all()
    assert not df.duplicated(["group", "start"]).any()
    quad = df[df.group == "Quad"]
    assert quad.start.iloc[0] == "2017-11-12"
    aukus = df[df.group == "AUKUS"]
    assert aukus.start.iloc[0] > "2019-12-31"


# ---------------------------------------------------------------- states 2019


def test_states_2019():
    s19, s26 = _read("states_2019.csv"), _read("states.csv")
    assert list(s19.columns) == list(s26.columns)
    assert list(s19.iso3) == list(s26.iso3)
    for col in ("gdp_usd_bn", "milex_usd_bn", "population_m", "democracy_score"):
        assert (s19[col].astype(float) > 0).all(), col
    assert s19.democracy_score.astype(float).between(0, 1).all()
    for col in ("trade_share_china", "trade_share_us"):
        assert s19[col].astype(float).between(0, 1).all()
    for est in s19.estimated:
        assert set(filter(None, est.split(";"))) <= set(s19.columns)
    mem = dict(zip(s19.iso3, s19.memberships, strict=True))
    assert all("AUKUS" not in m and "IPEF" not in m for m in mem.values())
    assert "NATO" not in mem["FIN"] and "CPTPP" not in mem["GBR"]
    assert dict(zip(s19.iso3, s19.us_treaty_ally, strict=True))["FIN"] == "false"


def test_states_2019_sources():
    src = _read("states_2019_sources.csv")
    s19 = _read("states_2019.csv")
    assert list(src.columns) == list(_read("states_sources.csv").columns)
    assert list(src.column) == list(s19.columns)
    assert (src.year.astype(int) <= 2019).all()
    assert (src.source.str.strip() != "").all()
    flagged = {c for est in s19.estimated for c in est.split(";") if c}
    for r in src.itertuples():
        if r.column == "estimated":
            continue
        n = sum(r.column in est.split(";") for est in s19.estimated)
        expected = "no" if n == 0 else ("yes" if n == len(s19) else "partial")
        assert r.estimate == expected, r.column
    assert "democracy_score" in flagged


# ---------------------------------------------------------------- disputes and caps 2019


def test_disputes_2019():
    df = _read("disputes_2019.csv")
    assert list(df.columns) == [*_read("disputes.csv").columns, "year_coded"]
    assert set(df.a) | set(df.b) <= CODES
    pairs = [frozenset((a, b)) for a, b in zip(df.a, df.b, strict=True)]
    assert len(pairs) == len(set(pairs)) and all(len(p) == 2 for p in pairs)
    assert set(df.kind) <= {"territorial", "rivalry"}
    assert set(df.intensity.astype(float)) <= {0.5, 1.0}
    assert (df.year_coded.astype(int) <= 2019).all()
    assert (df.basis.str.strip() != "").all() and (df.source.str.strip() != "").all()
    assert frozenset(("FIN", "RUS")) not in pairs  # a post-2022 antagonism


def test_tie_caps_2019(ties):
    df = _read("tie_caps_2019.csv")
    assert list(df.columns) == list(_read("tie_caps.csv").columns)
    assert (set(df.a) | set(df.b)) - {"*"} <= CODES
    assert (df.year.astype(int) <= 2019).all()
    assert (df.basis.str.strip() != "").all()
    assert (
        not ((df.a == "PRK") & (df.b == "RUS")).any()
        and not ((df.a == "RUS") & (df.b == "PRK")).any()
    )
    caps = {(r.a, r.b): int(r.max_level) for r in df.itertuples()}

    def cap(a, b):
        for key in ((a, b), (b, a)):
            if key in caps:
                return caps[key]
        wild = [caps[k] for k in ((a, "*"), (b, "*")) if k in caps]
        return min(wild) if wild else 8

    for r in ties["ties_2019.csv"].itertuples():
        assert int(r.level) <= cap(r.a, r.b), (r.a, r.b)


# ---------------------------------------------------------------- drivers


def test_drivers_2020_2025():
    df = _read("drivers_2020_2025.csv")
    assert list(df.columns) == ["date", "kind", "actors", "description", "source"]
    assert df.date.str.match(ISO_DATE).all()
    assert df.date.between("2020-01-01", "2025-12-31").all()
    assert set(df.kind) <= DRIVER_KINDS
    for actors in df.actors:
        assert set(filter(None, actors.split(";"))) <= CODES
    assert (df.description.str.strip() != "").all() and (df.source.str.strip() != "").all()
    assert {"us_administration", "russia_war", "china_coercion"} <= set(df.kind)


@pytest.mark.parametrize(("name", "year"), TIE_FILES.items())
def test_a_ties_year_is_not_after_the_change_that_put_it_on_its_rung(name: str, year: int) -> None:
    """``year`` is the start of the feature holding a pair on its rung: when a dated change
    of the record (2006-2025) put the pair on that rung, ``year`` is not later than it
    (the review of the 2006-2012 record, row 14, found five pairs dated by a later feature)."""
    record = pd.concat([_read("tie_changes_2006_2012.csv"), _read("tie_changes.csv")])
    last = {}
    for r in record[record.date <= f"{year}-12-31"].sort_values("date", kind="stable").itertuples():
        last[frozenset((r.a, r.b))] = r
    late = [
        f"{r.a}-{r.b} {r.year} (rung {r.level} from {c.date})"
        for r in _read(name).itertuples()
        if (c := last.get(frozenset((r.a, r.b)))) is not None
        and int(c.level_to) == int(r.level)
        and int(r.year[:4]) > int(c.date[:4])
    ]
    assert not late, f"{name}: {late}"
