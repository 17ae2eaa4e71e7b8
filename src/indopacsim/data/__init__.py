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


@cache
def _table(name: str) -> pd.DataFrame:
    """A bundled CSV, read once (callers hand out copies)."""
    return _read_csv(name)


@cache
def _states() -> pd.DataFrame:
    df = _read_csv("states.csv")
    for col in ("indo_pacific", "us_treaty_ally", "nuclear"):
        df[col] = df[col].astype(str).str.lower().isin(["true", "1", "yes"])
    df["memberships"] = df["memberships"].fillna("").astype(str)
    df["estimated"] = df["estimated"].fillna("").astype(str)
    df = df.set_index("iso3", drop=False)
    df.index.name = None
    return df


def states() -> pd.DataFrame:
    """Return the bundled state table (one row per state, indexed by ISO3).

    Returns:
        A copy of ``states.csv`` with booleans parsed; see ``states_sources.csv``.
    """
    return _states().copy()


def state_codes() -> tuple[str, ...]:
    """Return the ISO3 codes of the bundled states, in file order."""
    return tuple(_states()["iso3"])


@cache
def reference_totals() -> dict[str, float]:
    """Totals over the bundled reference set used to compute capability shares."""
    df = _states()
    return {c: float(df[c].sum()) for c in ("milex_usd_bn", "gdp_usd_bn", "population_m")}


def capability_raw(milex: np.ndarray, gdp: np.ndarray, population: np.ndarray) -> np.ndarray:
    """CINC-style composite before scaling: mean of the three shares of the reference totals.

    Args:
        milex: Military expenditure, US$ bn.
        gdp: GDP, US$ bn.
        population: Population, millions.

    Returns:
        The mean share, in [0, 1] for states of the reference set.
    """
    tot = reference_totals()
    return (
        np.asarray(milex) / tot["milex_usd_bn"]
        + np.asarray(gdp) / tot["gdp_usd_bn"]
        + np.asarray(population) / tot["population_m"]
    ) / 3.0


def _reference_raw() -> np.ndarray:
    """Raw capability of every state of the reference set."""
    df = _states()
    return capability_raw(
        df["milex_usd_bn"].to_numpy(), df["gdp_usd_bn"].to_numpy(), df["population_m"].to_numpy()
    )


@cache
def capability_scale() -> float:
    """The largest raw capability in the reference set (divides every capability)."""
    return float(_reference_raw().max())


def fiscal_room(debt_pct_gdp: np.ndarray, balance_pct_gdp: np.ndarray) -> np.ndarray:
    """Headroom for new commitments from debt and balance (see the module docstring)."""
    room = 1.0 - np.asarray(debt_pct_gdp) / 200.0 + np.asarray(balance_pct_gdp) / 20.0
    return np.clip(room, 0.05, 1.0)


def ties() -> pd.DataFrame:
    """Return the ties existing at the start of 2026 (columns a, b, level, basis, year)."""
    return _table("ties_2026.csv").copy()


def disputes() -> pd.DataFrame:
    """Return the disputes and rivalries (columns a, b, kind, intensity, basis, source)."""
    return _table("disputes.csv").copy()


def tie_caps() -> pd.DataFrame:
    """Political ceilings on tie levels (columns a, b, max_level, basis; ``*`` = any state)."""
    return _table("tie_caps.csv").copy()


@cache
def median_capability() -> float:
    """Median capability of the bundled reference set (the unit of perceived costs)."""
    raw = _reference_raw()
    return float(np.median(raw) / raw.max())
