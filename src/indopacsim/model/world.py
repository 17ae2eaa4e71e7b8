"""Compile a :class:`~indopacsim.scenario.schema.Scenario` into the arrays the model works on.

The scenario's states take their attributes from the bundled data, then the scenario's
overrides; great-power policies set the hostility of China and Russia. Everything the
pairwise terms need is held here as numpy arrays indexed by state position.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indopacsim import data
from indopacsim.caching import ContentCache, derived
from indopacsim.model.geography import great_circle_km
from indopacsim.scenario.schema import CHINA, REQUIRED_FOR_NEW_STATE, RUSSIA, US, Scenario
from indopacsim.tiescale import MAX_LEVEL

ATTRIBUTES = (
    "name",
    *REQUIRED_FOR_NEW_STATE,
    "trade_share_china",
    "trade_share_us",
    "gov_debt_pct_gdp",
    "gov_balance_pct_gdp",
    "memberships",
    "indo_pacific",
    "nuclear",
)

#: Crisis theatres (docs/model.md, "Crises"): name, the threat source whose hostility
#: drives them, and the theatre's centre (lat, lon).
THEATRES: tuple[tuple[str, str, float, float], ...] = (
    ("Taiwan Strait", "CHN", 24.5, 119.5),
    ("South China Sea", "CHN", 10.0, 114.0),
    ("Korean peninsula", "PRK", 38.0, 127.0),
)

#: Multilateral alliances whose members' treaty ties are held at treaty level
#: (:func:`treaty_floor`). The Manila Pact and ANZUS are coded as the bilateral
#: commitments they work as (``data/ties_*.csv``), and the bilateral US alliances may be
#: thinned as any tie may.
TREATY_ORGANISATIONS: tuple[str, ...] = ("NATO",)


@dataclass(frozen=True, eq=False)
class World:
    """Per-state attributes and static pairwise matrices of one scenario.

    Attributes:
        codes: ISO3 codes, in scenario order.
        table: One row per state with every attribute used (for reports and manifests).
        capability: Composite capability, the strongest bundled state = 1.
        democracy: Democracy score in [0, 1].
        exposure_china: Share of goods trade with China.
        exposure_us: Share of goods trade with the US.
        fiscal_room: Headroom for new commitments in [0, 1].
        hostility: Hostility of each state as a threat source.
        trust0: Initial trust in the US.
        reach_km: Half-strength distance of each state's power (loss-of-strength gradient).
        cap_ceiling: Highest level each pair may reach (political ceilings, data/tie_caps.csv).
        indo_pacific: Resident Indo-Pacific power flags.
        memberships: Boolean (n, k) matrix over :data:`indopacsim.data.MEMBERSHIPS`.
        nuclear: Nuclear-weapon state flags.
        distance_km: Great-circle distances between capitals.
        dispute: Symmetric dispute/rivalry intensity in [0, 1].
        ties0: Initial tie levels (symmetric int matrix).
        us, china, russia: Index of each great power, or -1 when absent.
        vintage: The bundled world the attributes and ties come from.
        theatre_km: (n, n_theatres) distance of each state's capital to each crisis theatre.
        theatre_source: Index of each theatre's source state (-1 when absent).
        floor: Lowest level each pair may be cut to (:func:`treaty_floor`): a treaty
            alliance's level between two members of a multilateral alliance, else 0.
    """

    codes: tuple[str, ...]
    table: pd.DataFrame
    capability: np.ndarray
    democracy: np.ndarray
    exposure_china: np.ndarray
    exposure_us: np.ndarray
    fiscal_room: np.ndarray
    hostility: np.ndarray
    trust0: np.ndarray
    reach_km: np.ndarray
    cap_ceiling: np.ndarray
    indo_pacific: np.ndarray
    memberships: np.ndarray
    nuclear: np.ndarray
    distance_km: np.ndarray
    dispute: np.ndarray
    ties0: np.ndarray
    us: int
    china: int
    russia: int
    vintage: str
    theatre_km: np.ndarray
    theatre_source: np.ndarray
    floor: np.ndarray

    @property
    def n(self) -> int:
        """Number of states."""
        return len(self.codes)

    def index(self, code: str) -> int:
        """Position of a state code (raises KeyError when absent)."""
        return self.codes.index(code)

    def great_powers(self) -> tuple[int, ...]:
        """The rows of the US, China and Russia present (the doctrines' context), kept."""
        rows = (self.us, self.china, self.russia)
        return derived(self, "great powers", lambda: tuple(g for g in rows if g >= 0))


def state_table(scenario: Scenario) -> pd.DataFrame:
    """Return the attributes of the scenario's states: bundled data, then overrides."""
    bundled = data.states(scenario.world)
    rows = []
    for code, spec in scenario.states.items():
        row: dict[str, object] = {"iso3": code}
        if code in bundled.index:
            src = bundled.loc[code]
            row.update({a: src[a] for a in ATTRIBUTES})
            row["memberships"] = [m for m in str(src["memberships"]).split(";") if m]
        else:
            row.update(
                name=code,
                trade_share_china=0.0,
                trade_share_us=0.0,
                gov_debt_pct_gdp=60.0,
                gov_balance_pct_gdp=-3.0,
                memberships=[],
                indo_pacific=False,
                nuclear=False,
            )
        row.update(
            capability=np.nan,
            fiscal_room=np.nan,
            hostility=0.0,
            trust_us=np.nan,
            reach_km=np.nan,
        )
        row["doctrine"] = scenario.default_doctrine
        if spec is not None:
            row.update({k: v for k, v in spec.model_dump(exclude_none=True).items()})
        rows.append(row)
    df = pd.DataFrame(rows).set_index("iso3", drop=False)
    df.index.name = None
    raw = data.capability_raw(
        df["milex_usd_bn"].to_numpy(float),
        df["gdp_usd_bn"].to_numpy(float),
        df["population_m"].to_numpy(float),
        scenario.world,
    )
    computed = raw / data.capability_scale(scenario.world)
    df["capability"] = np.where(df["capability"].isna(), computed, df["capability"])
    room = data.fiscal_room(
        df["gov_debt_pct_gdp"].to_numpy(float), df["gov_balance_pct_gdp"].to_numpy(float)
    )
    df["fiscal_room"] = np.where(df["fiscal_room"].isna(), room, df["fiscal_room"])
    if CHINA in df.index:
        df.loc[CHINA, "hostility"] = scenario.china.coercion
    if RUSSIA in df.index:
        df.loc[RUSSIA, "hostility"] = scenario.russia.threat
    df["trust_us"] = df["trust_us"].fillna(scenario.us.initial_trust).astype(float)
    if US in df.index and np.isnan(df["reach_km"].to_numpy(float)[df.index.get_loc(US)]):
        df.loc[US, "reach_km"] = scenario.us.reach_km
    df["reach_km"] = df["reach_km"].fillna(scenario.threat.lsg_half_distance_km).astype(float)
    for gp in (US, CHINA, RUSSIA):
        if gp in df.index:
            df.loc[gp, "trust_us"] = 1.0
            df.loc[gp, "doctrine"] = "great_power"
    return df


def _pair_matrix(codes: tuple[str, ...], frame: pd.DataFrame, value: str) -> np.ndarray:
    pos = {c: i for i, c in enumerate(codes)}
    m = np.zeros((len(codes), len(codes)))
    for a, b, v in frame[["a", "b", value]].itertuples(index=False):
        if a in pos and b in pos:
            m[pos[a], pos[b]] = m[pos[b], pos[a]] = float(v)
    return m


def tie_ceilings(codes: tuple[str, ...], vintage: str = "2026") -> np.ndarray:
    """Highest level each pair may reach, from the world's ceilings file (``*`` = any state).

    A specific pair's row overrides the wildcard rows (of two wildcards, the lower holds);
    pairs without a row may reach the top.
    """
    pos = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    cap = np.full((n, n), MAX_LEVEL, dtype=np.int8)
    table = data.tie_caps(vintage)
    wild = table[(table["a"] == "*") | (table["b"] == "*")]
    exact = table[(table["a"] != "*") & (table["b"] != "*")]
    for a, b, level in wild[["a", "b", "max_level"]].itertuples(index=False):
        state = b if a == "*" else a
        if state in pos:
            row = np.minimum(cap[pos[state], :], level)  # the lower of two wildcards holds
            cap[pos[state], :] = cap[:, pos[state]] = row
    for a, b, level in exact[["a", "b", "max_level"]].itertuples(index=False):
        if a in pos and b in pos:
            cap[pos[a], pos[b]] = cap[pos[b], pos[a]] = level
    np.fill_diagonal(cap, 0)
    return cap


_CACHE = ContentCache(16)


def compile_world(scenario: Scenario) -> World:
    """Build the :class:`World` of a scenario (cached by the scenario's content).

    Replicates, sweep points and workers compile equal scenarios; the world is immutable,
    so it is compiled once per distinct content (:class:`~indopacsim.caching.ContentCache`).
    """
    return _CACHE.get_or_build(scenario.digest(), lambda: _compile(scenario))


def _compile(scenario: Scenario) -> World:
    df = state_table(scenario)
    codes = scenario.codes
    n = len(codes)
    members = np.zeros((n, len(data.MEMBERSHIPS)), dtype=bool)
    col = {m: k for k, m in enumerate(data.MEMBERSHIPS)}
    for i, ms in enumerate(df["memberships"]):
        for m in ms:
            members[i, col[m]] = True
    ties0 = np.zeros((n, n), dtype=np.int8)
    if scenario.ties.bundled:
        ties0[:] = _pair_matrix(codes, data.ties(scenario.world), "level").astype(np.int8)
    pos = {c: i for i, c in enumerate(codes)}
    for t in scenario.ties.set:
        ties0[pos[t.a], pos[t.b]] = ties0[pos[t.b], pos[t.a]] = t.level
    return World(
        codes=codes,
        table=df,
        capability=df["capability"].to_numpy(float),
        democracy=df["democracy_score"].to_numpy(float),
        exposure_china=df["trade_share_china"].to_numpy(float),
        exposure_us=df["trade_share_us"].to_numpy(float),
        fiscal_room=df["fiscal_room"].to_numpy(float),
        hostility=df["hostility"].to_numpy(float),
        trust0=df["trust_us"].to_numpy(float),
        reach_km=df["reach_km"].to_numpy(float),
        cap_ceiling=tie_ceilings(codes, scenario.world),
        indo_pacific=df["indo_pacific"].to_numpy(bool),
        memberships=members,
        nuclear=df["nuclear"].to_numpy(bool),
        distance_km=great_circle_km(df["lat"].to_numpy(float), df["lon"].to_numpy(float)),
        dispute=_pair_matrix(codes, data.disputes(scenario.world), "intensity"),
        ties0=ties0,
        us=pos.get(US, -1),
        china=pos.get(CHINA, -1),
        russia=pos.get(RUSSIA, -1),
        vintage=scenario.world,
        theatre_km=_theatre_km(df),
        theatre_source=np.array([pos.get(src, -1) for _, src, _, _ in THEATRES], dtype=np.intp),
        floor=treaty_floor(members, ties0),
    )


def treaty_floor(memberships: np.ndarray, ties0: np.ndarray) -> np.ndarray:
    """(N, N) lowest level of each pair: ``MAX_LEVEL`` for two members of a multilateral
    alliance (:data:`TREATY_ORGANISATIONS`) whose tie starts as a treaty alliance, else 0.

    A multilateral alliance's commitment is owed to every member at once (the North
    Atlantic Treaty's Art. 5): a member cannot thin it towards one ally while it stays in
    the alliance, and leaving is a decision of the state against all its allies at once
    (Art. 13), not a rung of one pair's ladder; institutionalised alliances outlive the
    threat they were made against (Walt 1997; Wallander 2000 on NATO after the Cold War).
    The model has no exit from an alliance, so such a pair stays at treaty level unless an
    event sets it (``docs/model.md`` section 7.8).
    """
    col = [data.MEMBERSHIPS.index(m) for m in TREATY_ORGANISATIONS]
    both = (memberships[:, col].astype(int) @ memberships[:, col].T.astype(int)) > 0
    floor = np.where(both & (ties0 == MAX_LEVEL), MAX_LEVEL, 0).astype(np.int8)
    np.fill_diagonal(floor, 0)
    return floor


def _theatre_km(df: pd.DataFrame) -> np.ndarray:
    lat = np.concatenate([df["lat"].to_numpy(float), [t[2] for t in THEATRES]])
    lon = np.concatenate([df["lon"].to_numpy(float), [t[3] for t in THEATRES]])
    n = len(df)
    return great_circle_km(lat, lon)[:n, n:]
