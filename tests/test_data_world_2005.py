"""Integrity checks for the world of 31 Dec 2005 in ``indopacsim.data``.

The files (described in ``src/indopacsim/data/WORLD_2005.md``) give the state attributes,
their sources, the disputes and the tie ceilings of the 2005 world from which the 2006-2012
backcast starts. Every value must be of 2005 or earlier: no file may carry information from
after 2005. The tests mirror the 2019 ones of ``tests/test_data_hindcast.py`` and read the
CSV files through ``importlib.resources`` so that they check what the installed package
ships.
"""

from __future__ import annotations

import re
from importlib.resources import files

import pandas as pd
import pytest

LAST_YEAR = 2005
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def _has(name: str) -> bool:
    return (files("indopacsim.data") / name).is_file()


def _read(name: str) -> pd.DataFrame:
    with (files("indopacsim.data") / name).open("r", encoding="utf-8") as f:
        return pd.read_csv(f, keep_default_na=False, dtype=str)


def _later_years(texts: pd.Series) -> list[str]:
    """Every 4-digit year after LAST_YEAR named in the texts."""
    return [y for t in texts for y in YEAR.findall(t) if int(y) > LAST_YEAR]


CODES = set(_read("states_2019.csv").iso3)


# ---------------------------------------------------------------- states 2005


def test_states_2005():
    s05, s19 = _read("states_2005.csv"), _read("states_2019.csv")
    assert list(s05.columns) == list(s19.columns)
    assert len(s05) == 24 and list(s05.iso3) == list(s19.iso3)
    for col in ("name", "capital", "lat", "lon", "region", "indo_pacific"):
        assert list(s05[col]) == list(s19[col]), col
    for col in ("gdp_usd_bn", "milex_usd_bn", "population_m", "democracy_score"):
        assert (s05[col].astype(float) > 0).all(), col
    assert s05.democracy_score.astype(float).between(0, 1).all()
    for col in ("trade_share_china", "trade_share_us"):
        assert s05[col].astype(float).between(0, 1).all(), col
    assert s05.gov_debt_pct_gdp.astype(float).between(0, 300).all()
    assert s05.gov_balance_pct_gdp.astype(float).between(-20, 20).all()
    for col in ("indo_pacific", "us_treaty_ally", "nuclear"):
        assert set(s05[col]) <= {"true", "false"}, col
    for est in s05.estimated:
        parts = est.split(";") if est else []
        assert parts == list(dict.fromkeys(parts)) and set(parts) <= set(s05.columns), est
    row = {r.iso3: r for r in s05.itertuples()}
    assert "democracy_score" in row["USA"].estimated.split(";")
    assert all("democracy_score" in est.split(";") for est in s05.estimated)
    assert {"milex_usd_bn", "gov_debt_pct_gdp"} <= set(row["PRK"].estimated.split(";"))
    # memberships at 31 Dec 2005: vocabulary of states.csv, no group founded after 2005
    vocabulary = {m for ms in _read("states.csv").memberships for m in ms.split(";") if m}
    later = {"BRICS", "Quad", "AUKUS", "IPEF", "RCEP", "CPTPP"}
    mem = {k: set(filter(None, r.memberships.split(";"))) for k, r in row.items()}
    for iso, groups in mem.items():
        assert groups <= vocabulary - later, iso
    assert {k for k, g in mem.items() if "NATO" in g} == {
        "USA",
        "GBR",
        "FRA",
        "DEU",
        "ITA",
        "CAN",
        "NLD",
    }
    assert {k for k, g in mem.items() if "SCO" in g} == {"CHN", "RUS"}
    assert {k for k, g in mem.items() if "G7" in g} == {
        "USA",
        "JPN",
        "GBR",
        "FRA",
        "DEU",
        "ITA",
        "CAN",
    }
    allies = {k for k, r in row.items() if r.us_treaty_ally == "true"}
    assert "FIN" not in allies and "USA" not in allies and "TWN" not in allies
    nuclear = {k for k, r in row.items() if r.nuclear == "true"}
    assert nuclear == {"USA", "RUS", "GBR", "FRA", "CHN", "IND", "PAK"}  # PRK: see WORLD_2005.md


def test_states_2005_sources():
    src = _read("states_2005_sources.csv")
    s05 = _read("states_2005.csv")
    assert list(src.columns) == list(_read("states_2019_sources.csv").columns)
    assert list(src.column) == list(s05.columns)
    assert (src.year.astype(int) <= LAST_YEAR).all()
    assert (src.source.str.strip() != "").all() and (src.notes.str.strip() != "").all()
    for r in src.itertuples():
        if r.column == "estimated":
            assert r.estimate == "no"
            continue
        n = sum(r.column in est.split(";") for est in s05.estimated)
        expected = "no" if n == 0 else ("yes" if n == len(s05) else "partial")
        assert r.estimate == expected, r.column
    machine = src.set_index("column").source
    for col in ("milex_usd_bn", "population_m"):
        assert "National Material Capabilities" in machine[col], col


# ---------------------------------------------------------------- disputes and caps 2005


def test_disputes_2005():
    df = _read("disputes_2005.csv")
    assert list(df.columns) == list(_read("disputes_2019.csv").columns)
    assert set(df.a) | set(df.b) <= CODES
    pairs = [frozenset((a, b)) for a, b in zip(df.a, df.b, strict=True)]
    assert len(pairs) == len(set(pairs)) and all(len(p) == 2 for p in pairs)
    assert set(df.kind) <= {"territorial", "rivalry"}
    assert set(df.intensity.astype(float)) <= {0.5, 1.0}
    assert (df.year_coded.astype(int) <= LAST_YEAR).all()
    assert (df.basis.str.strip() != "").all() and (df.source.str.strip() != "").all()
    assert _later_years(df.basis) == [] and _later_years(df.source) == []
    assert frozenset(("FIN", "RUS")) not in pairs  # a post-2022 antagonism
    for pair in (("KOR", "PRK"), ("CHN", "TWN"), ("IND", "PAK"), ("CHN", "JPN")):
        assert frozenset(pair) in pairs, pair


def test_tie_caps_2005():
    df = _read("tie_caps_2005.csv")
    assert list(df.columns) == list(_read("tie_caps_2019.csv").columns)
    assert (set(df.a) | set(df.b)) - {"*"} <= CODES
    assert (df.year.astype(int) <= LAST_YEAR).all()
    assert (df.basis.str.strip() != "").all()
    assert _later_years(df.basis) == []
    assert df.max_level.astype(int).between(0, 8).all()
    keys = [frozenset((a, b)) for a, b in zip(df.a, df.b, strict=True)]
    assert len(keys) == len(set(keys))
    # no UN ceiling on the DPRK (resolution 1718 is of Oct 2006) and no RUS-PRK treaty row
    assert "PRK" not in set(df.a[df.b == "*"]) and frozenset(("PRK", "RUS")) not in keys
    caps = {(r.a, r.b): int(r.max_level) for r in df.itertuples()}
    assert caps[("JPN", "*")] < 6 and caps[("JPN", "USA")] == 8  # Article 9 before 2014
    assert caps[("CHN", "PRK")] == 8 and caps[("USA", "TWN")] == 4


def _cap(caps: dict, a: str, b: str) -> int:
    for key in ((a, b), (b, a)):
        if key in caps:
            return caps[key]
    wild = [caps[k] for k in ((a, "*"), (b, "*")) if k in caps]
    return min(wild) if wild else 8


@pytest.mark.skipif(not _has("ties_2005.csv"), reason="ties_2005.csv not shipped yet")
def test_ties_2005_within_caps():
    caps = {(r.a, r.b): int(r.max_level) for r in _read("tie_caps_2005.csv").itertuples()}
    for r in _read("ties_2005.csv").itertuples():
        assert int(r.level) <= _cap(caps, r.a, r.b), (r.a, r.b)
