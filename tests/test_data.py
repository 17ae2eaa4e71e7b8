"""Integrity checks for the bundled reference data in ``src/indopacsim/data``.

These tests read the CSV files directly with pandas (not through the package API) so
that a broken file is reported against the file itself.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from indopacsim.tiescale import MAX_LEVEL

DATA = Path(__file__).parents[1] / "src/indopacsim/data"

CODES = [
    "USA",
    "CHN",
    "RUS",
    "GBR",
    "JPN",
    "AUS",
    "IND",
    "KOR",
    "FRA",
    "DEU",
    "ITA",
    "CAN",
    "FIN",
    "NLD",
    "NZL",
    "PHL",
    "VNM",
    "IDN",
    "SGP",
    "MYS",
    "THA",
    "TWN",
    "PAK",
    "PRK",
]

STATE_COLUMNS = [
    "iso3",
    "name",
    "capital",
    "lat",
    "lon",
    "region",
    "indo_pacific",
    "gdp_usd_bn",
    "milex_usd_bn",
    "population_m",
    "democracy_score",
    "trade_share_china",
    "trade_share_us",
    "gov_debt_pct_gdp",
    "gov_balance_pct_gdp",
    "us_treaty_ally",
    "nuclear",
    "memberships",
    "estimated",
]

VOCABULARY = {
    "NATO",
    "G7",
    "G20",
    "Quad",
    "AUKUS",
    "CPTPP",
    "FPDA",
    "ASEAN",
    "SCO",
    "BRICS",
    "EU",
    "FiveEyes",
    "RCEP",
    "ANZUS",
    "CSTO",
    "IPEF",
}

REGIONS = {
    "North America",
    "Europe",
    "East Asia",
    "South Asia",
    "Southeast Asia",
    "Oceania",
    "Eurasia",
}
ASIA_PACIFIC_REGIONS = {"East Asia", "South Asia", "Southeast Asia", "Oceania"}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, keep_default_na=False, na_values=[""], encoding="utf-8")


def _as_bool(series: pd.Series) -> pd.Series:
    values = series.astype(str).str.lower()
    assert values.isin(["true", "false"]).all(), f"non-boolean values in {series.name}"
    return values == "true"


def _split(cell: object) -> list[str]:
    if pd.isna(cell) or str(cell).strip() == "":
        return []
    return [part.strip() for part in str(cell).split(";")]


@pytest.fixture(scope="module")
def states() -> pd.DataFrame:
    return _read("states.csv")


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return _read("states_sources.csv")


@pytest.fixture(scope="module")
def ties() -> pd.DataFrame:
    return _read("ties_2026.csv")


@pytest.fixture(scope="module")
def disputes() -> pd.DataFrame:
    return _read("disputes.csv")


def _members(states: pd.DataFrame, org: str) -> set[str]:
    return {row.iso3 for row in states.itertuples() if org in _split(row.memberships)}


# --------------------------------------------------------------------------- states


def test_states_header_and_order(states: pd.DataFrame) -> None:
    assert list(states.columns) == STATE_COLUMNS
    assert list(states["iso3"]) == CODES


def test_states_codes_unique(states: pd.DataFrame) -> None:
    counts = states["iso3"].value_counts()
    assert set(counts.index) == set(CODES)
    assert (counts == 1).all()


def test_states_no_missing_values(states: pd.DataFrame) -> None:
    required = [c for c in STATE_COLUMNS if c not in ("memberships", "estimated")]
    missing = states[required].isna()
    assert not missing.any().any(), missing.any()[missing.any()].index.tolist()


def test_coordinates_in_range(states: pd.DataFrame) -> None:
    assert states["lat"].between(-90, 90).all()
    assert states["lon"].between(-180, 180).all()
    # Southern-hemisphere capitals must have negative latitude (catches sign slips).
    south = set(states.loc[states["lat"] < 0, "iso3"])
    assert south == {"AUS", "NZL", "IDN"}
    west = set(states.loc[states["lon"] < 0, "iso3"])
    assert west == {"USA", "CAN", "GBR"}


def test_regions_and_indo_pacific_rule(states: pd.DataFrame) -> None:
    assert set(states["region"]) <= REGIONS
    assert states.set_index("iso3").loc["RUS", "region"] == "Eurasia"
    flag = _as_bool(states["indo_pacific"])
    expected = states["region"].isin(ASIA_PACIFIC_REGIONS)
    assert (flag == expected).all()
    assert set(states.loc[flag, "iso3"]) == {
        "JPN",
        "CHN",
        "AUS",
        "IND",
        "KOR",
        "NZL",
        "PHL",
        "VNM",
        "IDN",
        "SGP",
        "MYS",
        "THA",
        "TWN",
        "PAK",
        "PRK",
    }


@pytest.mark.parametrize("column", ["gdp_usd_bn", "milex_usd_bn", "population_m"])
def test_positive_quantities(states: pd.DataFrame, column: str) -> None:
    assert pd.api.types.is_numeric_dtype(states[column])
    assert (states[column] > 0).all()


def test_plausible_magnitudes(states: pd.DataFrame) -> None:
    s = states.set_index("iso3")
    # The United States has the largest GDP and military spending, India the largest population.
    assert s["gdp_usd_bn"].idxmax() == "USA"
    assert s["milex_usd_bn"].idxmax() == "USA"
    assert s["population_m"].idxmax() == "IND"
    # Military spending is a small share of GDP everywhere (PRK excepted: about 10-25%).
    burden = s["milex_usd_bn"] / s["gdp_usd_bn"]
    assert (burden.drop("PRK") < 0.1).all()
    assert (burden < 0.5).all()


def test_democracy_in_unit_interval(states: pd.DataFrame) -> None:
    assert states["democracy_score"].between(0, 1).all()


def test_trade_shares(states: pd.DataFrame) -> None:
    for col in ("trade_share_china", "trade_share_us"):
        assert states[col].between(0, 1).all(), col
    assert (states["trade_share_china"] + states["trade_share_us"] <= 1).all()
    s = states.set_index("iso3")
    assert s.loc["CHN", "trade_share_china"] == 0
    assert s.loc["USA", "trade_share_us"] == 0


def test_fiscal_columns_in_range(states: pd.DataFrame) -> None:
    assert states["gov_debt_pct_gdp"].between(0, 400).all()
    assert states["gov_balance_pct_gdp"].between(-30, 30).all()


def test_boolean_columns(states: pd.DataFrame) -> None:
    for col in ("indo_pacific", "us_treaty_ally", "nuclear"):
        _as_bool(states[col])
    nuclear = set(states.loc[_as_bool(states["nuclear"]), "iso3"])
    assert nuclear == {"USA", "CHN", "RUS", "GBR", "FRA", "IND", "PAK", "PRK"}


def test_memberships_vocabulary(states: pd.DataFrame) -> None:
    for row in states.itertuples():
        parts = _split(row.memberships)
        unknown = set(parts) - VOCABULARY
        assert not unknown, f"{row.iso3}: unknown memberships {sorted(unknown)}"
        assert len(parts) == len(set(parts)), f"{row.iso3}: duplicate membership"


def test_us_treaty_allies_match_treaties(states: pd.DataFrame) -> None:
    allies = set(states.loc[_as_bool(states["us_treaty_ally"]), "iso3"])
    nato = _members(states, "NATO")
    assert nato - {"USA"} <= allies
    assert allies == (nato - {"USA"}) | {"JPN", "KOR", "AUS", "PHL", "THA"}
    assert "NZL" not in allies


def test_estimated_names_real_columns(states: pd.DataFrame) -> None:
    for row in states.itertuples():
        names = _split(row.estimated)
        unknown = set(names) - set(STATE_COLUMNS)
        assert not unknown, f"{row.iso3}: estimated names unknown columns {sorted(unknown)}"
        assert "iso3" not in names and "estimated" not in names


def test_unpublished_figures_are_flagged(states: pd.DataFrame) -> None:
    s = states.set_index("iso3")
    prk = set(_split(s.loc["PRK", "estimated"]))
    # Neither the IMF nor SIPRI publishes North Korean GDP or military spending.
    assert {"gdp_usd_bn", "milex_usd_bn", "gov_debt_pct_gdp", "gov_balance_pct_gdp"} <= prk


# -------------------------------------------------------------------------- sources


def test_sources_cover_every_column(states: pd.DataFrame, sources: pd.DataFrame) -> None:
    assert list(sources.columns) == [
        "column",
        "description",
        "unit",
        "source",
        "year",
        "estimate",
        "notes",
    ]
    assert sources["column"].is_unique
    assert set(sources["column"]) == set(states.columns)
    for col in ("description", "unit", "source", "notes"):
        empty = sources[col].isna() | (sources[col].astype(str).str.strip() == "")
        assert not empty.any(), f"empty {col} for {sources.loc[empty, 'column'].tolist()}"


def test_sources_years(sources: pd.DataFrame) -> None:
    assert pd.api.types.is_integer_dtype(sources["year"])
    assert sources["year"].between(1945, 2026).all()


def test_sources_estimate_status_consistent(states: pd.DataFrame, sources: pd.DataFrame) -> None:
    assert set(sources["estimate"]) <= {"no", "partial", "yes"}
    flagged: dict[str, int] = {}
    for cell in states["estimated"]:
        for name in _split(cell):
            flagged[name] = flagged.get(name, 0) + 1
    status = sources.set_index("column")["estimate"]
    for col, st in status.items():
        n = flagged.get(str(col), 0)
        if st == "no":
            assert n == 0, f"{col} is 'no' in sources but estimated in {n} rows"
        elif st == "partial":
            assert 0 < n < len(states), f"{col} is 'partial' but estimated in {n} rows"
        else:
            assert n == len(states), f"{col} is 'yes' but estimated in only {n} rows"


# ----------------------------------------------------------------------------- ties


def test_ties_structure(ties: pd.DataFrame) -> None:
    assert list(ties.columns) == ["a", "b", "level", "basis", "source", "year"]
    assert set(ties["a"]) | set(ties["b"]) <= set(CODES)
    assert (ties["a"] != ties["b"]).all()
    assert pd.api.types.is_integer_dtype(ties["level"])
    assert ties["level"].between(1, MAX_LEVEL).all()
    assert pd.api.types.is_integer_dtype(ties["year"])
    assert ties["year"].between(1945, 2026).all()
    basis = ties["basis"].fillna("").astype(str).str.strip()
    assert (basis != "").all()


def test_ties_no_duplicate_pairs(ties: pd.DataFrame) -> None:
    pairs = [frozenset((a, b)) for a, b in zip(ties["a"], ties["b"], strict=True)]
    dupes = {tuple(sorted(p)) for p in pairs if pairs.count(p) > 1}
    assert not dupes, f"duplicate pairs: {sorted(dupes)}"


def test_ties_row_count_reasonable(ties: pd.DataFrame) -> None:
    assert 80 <= len(ties) <= 160


def _level_map(ties: pd.DataFrame) -> dict[frozenset[str], int]:
    return {
        frozenset((a, b)): int(lv)
        for a, b, lv in zip(ties["a"], ties["b"], ties["level"], strict=True)
    }


def test_nato_pairs_are_alliances(states: pd.DataFrame, ties: pd.DataFrame) -> None:
    nato = sorted(_members(states, "NATO"))
    assert nato == sorted(["USA", "GBR", "FRA", "DEU", "ITA", "CAN", "FIN", "NLD"])
    levels = _level_map(ties)
    for a, b in combinations(nato, 2):
        assert levels.get(frozenset((a, b))) == MAX_LEVEL, f"{a}-{b} should be a treaty"


def test_us_treaty_allies_are_treaties_with_usa(states: pd.DataFrame, ties: pd.DataFrame) -> None:
    levels = _level_map(ties)
    allies = states.loc[_as_bool(states["us_treaty_ally"]), "iso3"]
    for code in allies:
        assert levels.get(frozenset(("USA", code))) == MAX_LEVEL, f"USA-{code}"
    assert levels.get(frozenset(("USA", "NZL"))) != MAX_LEVEL
    assert levels.get(frozenset(("USA", "TWN"))) == 4


def test_treaty_level_only_for_treaties(ties: pd.DataFrame, states: pd.DataFrame) -> None:
    nato = _members(states, "NATO")
    allowed = {frozenset(p) for p in combinations(sorted(nato), 2)}
    allowed |= {
        frozenset(p)
        for p in [
            ("USA", "JPN"),
            ("USA", "KOR"),
            ("USA", "AUS"),
            ("USA", "PHL"),
            ("USA", "THA"),
            ("AUS", "NZL"),
            ("CHN", "PRK"),
            ("RUS", "PRK"),
        ]
    }
    fives = {
        frozenset((a, b))
        for a, b, lv in ties[["a", "b", "level"]].itertuples(index=False)
        if lv == MAX_LEVEL
    }
    assert fives == allowed


def test_asean_members_all_tied(states: pd.DataFrame, ties: pd.DataFrame) -> None:
    # The ASEAN Defence Ministers' Meeting gives at least level 1 between all members.
    levels = _level_map(ties)
    for a, b in combinations(sorted(_members(states, "ASEAN")), 2):
        assert levels.get(frozenset((a, b)), 0) >= 1, f"{a}-{b}"


# ------------------------------------------------------------------------- disputes


def test_disputes_structure(disputes: pd.DataFrame) -> None:
    assert list(disputes.columns) == ["a", "b", "kind", "intensity", "basis", "source"]
    assert set(disputes["a"]) | set(disputes["b"]) <= set(CODES)
    assert (disputes["a"] != disputes["b"]).all()
    assert set(disputes["kind"]) <= {"territorial", "rivalry"}
    assert set(disputes["intensity"].astype(float)) <= {0.5, 1.0}
    for col in ("basis", "source"):
        text = disputes[col].fillna("").astype(str).str.strip()
        assert (text != "").all(), col


def test_disputes_no_duplicate_pairs(disputes: pd.DataFrame) -> None:
    pairs = [frozenset((a, b)) for a, b in zip(disputes["a"], disputes["b"], strict=True)]
    assert len(pairs) == len(set(pairs))


def test_required_disputes_present(disputes: pd.DataFrame) -> None:
    pairs = {frozenset((a, b)) for a, b in zip(disputes["a"], disputes["b"], strict=True)}
    required = [
        ("CHN", "JPN"),
        ("CHN", "PHL"),
        ("CHN", "VNM"),
        ("CHN", "MYS"),
        ("CHN", "IDN"),
        ("CHN", "TWN"),
        ("CHN", "IND"),
        ("IND", "PAK"),
        ("KOR", "PRK"),
        ("JPN", "PRK"),
        ("JPN", "RUS"),
        ("JPN", "KOR"),
        ("USA", "CHN"),
        ("USA", "RUS"),
        ("USA", "PRK"),
        ("GBR", "RUS"),
        ("FIN", "RUS"),
    ]
    missing = [p for p in required if frozenset(p) not in pairs]
    assert not missing, missing
    intensity = {
        frozenset((a, b)): float(i)
        for a, b, i in zip(disputes["a"], disputes["b"], disputes["intensity"], strict=True)
    }
    assert intensity[frozenset(("CHN", "IDN"))] == 0.5
    assert intensity[frozenset(("JPN", "KOR"))] == 0.5
