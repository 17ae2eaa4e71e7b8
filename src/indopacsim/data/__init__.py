"""The bundled reference data: states, the ties of January 2026, disputes.

The CSV files beside this module carry a source and a year for every column
(``states_sources.csv``) and a one-line basis for every tie and dispute; see
``README.md`` in this folder. This module only reads them (cached, read-only
copies) and derives two documented composites:

* ``capability``: a CINC-style composite (Singer, Bremer & Stuckey 1972), the mean
  of a state's shares of military expenditure, GDP and population, each share taken
  over the bundled reference set of states, then divided by the largest value so the
  strongest state has capability 1. The original CINC averages six shares; the three
  used here are the ones available for every state in the set.
* ``fiscal_room``: headroom for new external commitments, from IMF WEO general
  government debt and balance: ``clip(1 - debt/200 + balance/20, 0.05, 1)``. A state
  with no debt and a balanced budget has room 1; debt of 200% of GDP or a deficit of
  20% of GDP each remove all of it. The floor keeps every state able to act at all.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

#: Membership vocabulary allowed in ``states.csv`` (and in scenario overrides).
MEMBERSHIPS: tuple[str, ...] = (
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
)


def _read_csv(name: str) -> pd.DataFrame:
    with resources.files(__package__).joinpath(name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, keep_default_na=False, na_values=[""])


#: The bundled worlds: which file holds each table of each vintage. The 2012 world (the
#: calibration window's start) borrows the 2019 attributes, disputes and ceilings, the
#: nearest coded before 2020 (``HINDCAST.md``); the 2005 world (the backcast's start) has
#: its own (``WORLD_2005.md``).
VINTAGES: dict[str, dict[str, str]] = {
    "2026": {
        "states": "states.csv",
        "ties": "ties_2026.csv",
        "disputes": "disputes.csv",
        "caps": "tie_caps.csv",
    },
    "2019": {
        "states": "states_2019.csv",
        "ties": "ties_2019.csv",
        "disputes": "disputes_2019.csv",
        "caps": "tie_caps_2019.csv",
    },
    "2012": {
        "states": "states_2019.csv",
        "ties": "ties_2012.csv",
        "disputes": "disputes_2019.csv",
        "caps": "tie_caps_2019.csv",
    },
    "2005": {
        "states": "states_2005.csv",
        "ties": "ties_2005.csv",
        "disputes": "disputes_2005.csv",
        "caps": "tie_caps_2005.csv",
    },
}


def _file(vintage: str, table: str) -> str:
    try:
        return VINTAGES[vintage][table]
    except KeyError:
        raise ValueError(
            f"unknown world vintage {vintage!r}; known: {', '.join(VINTAGES)}"
        ) from None


@cache
def _table(name: str) -> pd.DataFrame:
    """A bundled CSV, read once (callers hand out copies)."""
    return _read_csv(name)


@cache
def _states(vintage: str = "2026") -> pd.DataFrame:
    df = _read_csv(_file(vintage, "states"))
    for col in ("indo_pacific", "us_treaty_ally", "nuclear"):
        df[col] = df[col].astype(str).str.lower().isin(["true", "1", "yes"])
    df["memberships"] = df["memberships"].fillna("").astype(str)
    df["estimated"] = df["estimated"].fillna("").astype(str)
    df = df.set_index("iso3", drop=False)
    df.index.name = None
    return df


def states(vintage: str = "2026") -> pd.DataFrame:
    """Return the bundled state table of a world (one row per state, indexed by ISO3).

    Returns:
        A copy of the vintage's states file with booleans parsed; its sources file gives
        the source and year of each column.
    """
    return _states(vintage).copy()


def state_codes() -> tuple[str, ...]:
    """Return the ISO3 codes of the bundled states, in file order."""
    return tuple(_states()["iso3"])


@cache
def reference_totals(vintage: str = "2026") -> dict[str, float]:
    """Totals over the bundled reference set used to compute capability shares."""
    df = _states(vintage)
    return {c: float(df[c].sum()) for c in ("milex_usd_bn", "gdp_usd_bn", "population_m")}


def capability_raw(
    milex: np.ndarray, gdp: np.ndarray, population: np.ndarray, vintage: str = "2026"
) -> np.ndarray:
    """CINC-style composite before scaling: mean of the three shares of the reference totals.

    Args:
        milex: Military expenditure, US$ bn.
        gdp: GDP, US$ bn.
        population: Population, millions.
        vintage: The world whose reference set the shares are of.

    Returns:
        The mean share, in [0, 1] for states of the reference set.
    """
    tot = reference_totals(vintage)
    return (
        np.asarray(milex) / tot["milex_usd_bn"]
        + np.asarray(gdp) / tot["gdp_usd_bn"]
        + np.asarray(population) / tot["population_m"]
    ) / 3.0


def _reference_raw(vintage: str = "2026") -> np.ndarray:
    """Raw capability of every state of the reference set."""
    df = _states(vintage)
    return capability_raw(
        df["milex_usd_bn"].to_numpy(),
        df["gdp_usd_bn"].to_numpy(),
        df["population_m"].to_numpy(),
        vintage,
    )


@cache
def capability_scale(vintage: str = "2026") -> float:
    """The largest raw capability in the reference set (divides every capability)."""
    return float(_reference_raw(vintage).max())


def fiscal_room(debt_pct_gdp: np.ndarray, balance_pct_gdp: np.ndarray) -> np.ndarray:
    """Headroom for new commitments from debt and balance (see the module docstring)."""
    room = 1.0 - np.asarray(debt_pct_gdp) / 200.0 + np.asarray(balance_pct_gdp) / 20.0
    return np.clip(room, 0.05, 1.0)


def ties(vintage: str = "2026") -> pd.DataFrame:
    """Return the ties at the start of a world (columns a, b, level, basis, source, year)."""
    return _table(_file(vintage, "ties")).copy()


def disputes(vintage: str = "2026") -> pd.DataFrame:
    """Return the disputes and rivalries (columns a, b, kind, intensity, basis, source)."""
    return _table(_file(vintage, "disputes")).copy()


def tie_caps(vintage: str = "2026") -> pd.DataFrame:
    """Political ceilings on tie levels (columns a, b, max_level, basis; ``*`` = any state)."""
    return _table(_file(vintage, "caps")).copy()


@cache
def median_capability(vintage: str = "2026") -> float:
    """Median capability of the bundled reference set (the unit of perceived costs)."""
    raw = _reference_raw(vintage)
    return float(np.median(raw) / raw.max())


#: The dated records of tie changes, earliest first (``HINDCAST.md``).
TIE_CHANGES = ("tie_changes_2006_2012.csv", "tie_changes.csv")


@cache
def _tie_changes() -> pd.DataFrame:
    df = pd.concat([_read_csv(f) for f in TIE_CHANGES], ignore_index=True)
    df["date"] = pd.to_datetime(df["date"]).dt.date
    df["robust"] = df["robust"].astype(str).str.lower().isin(["true", "1", "yes"])
    return df


def tie_changes() -> pd.DataFrame:
    """The dated tie changes of 2006-2025 among the 24 states (``HINDCAST.md``): the
    earlier record (2006-2012) and the calibration's and the hindcast's (2013-2025).

    Columns: date, a, b, level_from, level_to, instrument, source, coding_rule, robust.
    """
    return _tie_changes().copy()
