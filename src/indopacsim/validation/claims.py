"""The source paper's qualitative claims as comparative statics over many seeds.

Each :class:`Claim` names a driver, two settings of it (low and high), an outcome
measured every step and averaged over the run, and the direction the paper implies.
:func:`compare` runs both settings with the same seeds (common random numbers, so the
comparison is paired) and reports the mean outcome under each and the share of seeds
in which the outcome moved the expected way. ``docs/validation.md`` lists the claims
with the paper's sections and the figures measured; ``tests/test_validation.py`` runs
them over 20 seeds.

The claims come out of the mechanism: no term mentions the UK, Japan or any claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from indopacsim.model.model import IndoPacModel
from indopacsim.scenario.io import with_overrides
from indopacsim.scenario.schema import Scenario

Metric = Callable[[IndoPacModel], float]


def networked_ties(m: IndoPacModel) -> float:
    """Strong ties (level >= 3) among the US partners of 2026 that do not involve the US."""
    return float(m.networked_ties)


def uk_japan(m: IndoPacModel) -> float:
    """Level of the UK-Japan tie."""
    return m.level("GBR", "JPN")


def _exposed(m: IndoPacModel) -> np.ndarray:
    """China-exposed US partners: trade share with China >= EXPOSED, and not in China's
    camp at the start (a tie to China no stronger than the tie to the US in 2026)."""
    w = m.world
    leaning_us = w.ties0[:, w.us] >= w.ties0[:, w.china] if w.us >= 0 and w.china >= 0 else True
    exposed = (w.exposure_china >= EXPOSED) & leaning_us
    for gp in (m.world.us, m.world.china, m.world.russia):
        if gp >= 0:
            exposed[gp] = False
    return exposed


#: Share of goods trade with China from which a state counts as China-exposed.
EXPOSED = 0.15


def exposed_us_alignment(m: IndoPacModel) -> float:
    """Mean level of China-exposed states' ties to the US and its treaty allies (formal
    alignment with the US camp)."""
    exposed = _exposed(m)
    camp_members = m.camp >= 0.8
    return float(m.ties[np.ix_(exposed, camp_members)].sum(axis=1).mean())


def exposed_hedging(m: IndoPacModel) -> float:
    """Mean hedging index of China-exposed states."""
    return float(m.hedging[_exposed(m)].mean())


def uk_indo_pacific(m: IndoPacModel) -> float:
    """Sum of the UK's tie levels with resident Indo-Pacific states."""
    if "GBR" not in m.codes:
        return float("nan")
    return float(m.ties[m.codes.index("GBR"), m.world.indo_pacific].sum())


def upgrades(m: IndoPacModel) -> float:
    """Pairs moving up a rung this step."""
    return float(m.upgrades)


@dataclass(frozen=True)
class Claim:
    """A qualitative claim of the paper as a comparative static.

    Attributes:
        name: Short name.
        section: Where the paper makes it.
        statement: The claim in words.
        driver: The parameter path varied.
        low, high: The two values of the driver compared.
        metric: The outcome, measured every step and averaged over steps 1..horizon.
        expect: ``"increase"`` or ``"decrease"`` of the outcome from low to high.
        extra: Other overrides applied to both settings.
    """

    name: str
    section: str
    statement: str
    driver: str
    low: float
    high: float
    metric: Metric
    expect: Literal["increase", "decrease"]
    extra: Mapping[str, Any] = field(default_factory=dict)


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "networked alliance",
        "§2.2, §4, §7",
        "Lower US reliability gives more strong ties among US partners that do not "
        "involve the US (the 'networked alliance').",
        "us.reliability",
        0.3,
        0.8,
        networked_ties,
        "decrease",
    ),
    Claim(
        "distance",
        "§6 (9,000 km of logistics)",
        "A higher distance cost gives a weaker UK-Japan tie.",
        "costs.distance",
        0.03,
        0.12,
        uk_japan,
        "decrease",
    ),
    Claim(
        "retaliation: alignment",
        "§3.2, §6 (weaponized interdependence)",
        "Stronger Chinese economic retaliation gives less formal alignment with the US "
        "camp by China-exposed states.",
        "china.retaliation",
        0.1,
        0.8,
        exposed_us_alignment,
        "decrease",
    ),
    Claim(
        "retaliation: hedging",
        "§3.2, §6, §7 (strategic hedging)",
        "Stronger Chinese economic retaliation gives more hedging by China-exposed states.",
        "china.retaliation",
        0.1,
        0.8,
        exposed_hedging,
        "increase",
    ),
    Claim(
        "Russian threat",
        "§6 (divergent threat perceptions), §5.2 (overextension)",
        "A higher Russian threat gives less UK investment in Indo-Pacific ties.",
        "russia.threat",
        0.2,
        1.0,
        uk_indo_pacific,
        "decrease",
    ),
    Claim(
        "fiscal room",
        "§6 (domestic constraints)",
        "Tighter fiscal room gives fewer upgrades.",
        "budget.fiscal_multiplier",
        0.25,
        1.5,
        upgrades,
        "increase",
    ),
)


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`: mean outcomes and the paired share of seeds."""

    claim: Claim
    low: float
    high: float
    share: float
    seeds: int
    per_seed: tuple[tuple[float, float], ...]

    @property
    def holds(self) -> bool:
        """The mean moves the expected way and so does a majority of the seeds."""
        diff = self.high - self.low
        right_way = diff < 0 if self.claim.expect == "decrease" else diff > 0
        return bool(right_way and self.share > 0.5)


def run_metric(scenario: Scenario, seed: int, metric: Metric) -> float:
    """Run a scenario and return the metric averaged over steps 1..horizon."""
    m = IndoPacModel(scenario, rng=seed, record=False)
    total = 0.0
    for _ in range(scenario.time.horizon):
        m.step()
        total += metric(m)
    return total / scenario.time.horizon


def compare(claim: Claim, scenario: Scenario, seeds: Iterable[int]) -> Comparison:
    """Run a claim's two settings over the same seeds and compare the outcome."""
    settings = {
        side: with_overrides(scenario, {**claim.extra, claim.driver: value})
        for side, value in (("low", claim.low), ("high", claim.high))
    }
    pairs = tuple(
        (
            run_metric(settings["low"], s, claim.metric),
            run_metric(settings["high"], s, claim.metric),
        )
        for s in seeds
    )
    lo = np.array([p[0] for p in pairs])
    hi = np.array([p[1] for p in pairs])
    moved = hi < lo if claim.expect == "decrease" else hi > lo
    return Comparison(
        claim=claim,
        low=float(lo.mean()),
        high=float(hi.mean()),
        share=float(moved.mean()),
        seeds=len(pairs),
        per_seed=pairs,
    )
