"""The source paper's claims as comparative statics, with effect sizes and intervals.

Each :class:`Claim` names a driver, two settings of it (low and high), an outcome
measured on each run's end state (or over the run), and the direction the paper or the
theory it draws on implies. :func:`compare` runs both settings as ensembles with the
same root seed (runs are paired by index), and reports the mean outcome under each, the
mean paired difference with a 95% confidence interval (Student t over the paired
differences), the standardised effect (difference / SD of the paired differences), the
relative change, and the share of runs that moved the expected way. A claim holds when
the interval excludes zero on the expected side. ``docs/validation.md`` lists the claims
with the paper's sections and the measured figures; ``tests/test_validation.py`` runs
them over 20 runs each.

The claims come out of the mechanism: no term mentions the UK, Japan or any claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from indopacsim.coalitions.measures import camp_profile, hedging_index
from indopacsim.model.ensemble import EnsembleResult, run_ensemble
from indopacsim.model.terms import camp
from indopacsim.model.world import compile_world
from indopacsim.scenario.schema import Scenario
from indopacsim.tiescale import STRONG

#: An outcome: one number per run of an ensemble, given the scenario it ran.
Metric = Callable[[EnsembleResult, Scenario], np.ndarray]

#: Share of goods trade with China from which a state counts as China-exposed.
EXPOSED = 0.15

#: Distance from which a tie counts as long-distance (the paper's 9,000 km UK-Japan).
LONG_KM = 7000.0


def _index(res: EnsembleResult, codes: list[str] | set[str]) -> np.ndarray:
    return np.array([k for k, c in enumerate(res.codes) if c in codes], dtype=np.intp)


def _partners(res: EnsembleResult) -> np.ndarray:
    """US partners at the start: a tie of STRONG or more to the US (the US excluded)."""
    us = res.codes.index("USA")
    keep = res.ties0[us] >= STRONG
    keep[us] = False
    return np.flatnonzero(keep)


def _pair_sum(res: EnsembleResult, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    cols = rows if cols is None else cols
    sub = res.ties[:, rows][:, :, cols].astype(float)
    if cols is rows:
        return np.triu(sub, 1).sum(axis=(1, 2))
    return sub.sum(axis=(1, 2))


def networked_ties(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Sum of tie levels among the US partners, the US excluded (the networked alliance)."""
    return _pair_sum(res, _partners(res))


def partner_ties(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Sum of tie levels among the US and its partners (the US camp's depth)."""
    us = res.codes.index("USA")
    return _pair_sum(res, np.append(_partners(res), us))


def uk_japan(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Level of the UK-Japan tie at the end."""
    return res.ties[:, res.codes.index("GBR"), res.codes.index("JPN")].astype(float)


def long_ties(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Sum of the levels of ties between states more than LONG_KM apart."""
    d = compile_world(sc).distance_km
    far = np.triu(d > LONG_KM, 1)
    return (res.ties * far[None]).sum(axis=(1, 2)).astype(float)


def _exposed(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    w = compile_world(sc)
    leaning_us = w.ties0[:, w.us] >= w.ties0[:, w.china]
    exposed = (w.exposure_china >= EXPOSED) & leaning_us
    exposed[[g for g in (w.us, w.china, w.russia) if g >= 0]] = False
    return np.flatnonzero(exposed)


def exposed_us_alignment(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Sum of China-exposed states' tie levels with the US camp (the US and its partners)."""
    camp_members = np.append(_partners(res), res.codes.index("USA"))
    exposed = _exposed(res, sc)
    return res.ties[:, exposed][:, :, camp_members].sum(axis=(1, 2)).astype(float)


def exposed_hedging(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Mean hedging index of the China-exposed states at the end."""
    w = compile_world(sc)
    exposed = _exposed(res, sc)
    out = []
    for r in range(res.ties.shape[0]):
        c = camp(res.ties[r], w.us, w.china)
        prof = camp_profile(res.ties[r], c)
        out.append(hedging_index(prof.us_strength, prof.cn_strength)[exposed].mean())
    return np.array(out)


#: The UK's partners in the Indo-Pacific (the paper's "tilt", §2.1, §4).
INDO_PACIFIC = {"JPN", "AUS", "KOR", "IND", "PHL", "SGP", "MYS", "VNM", "IDN", "NZL", "THA"}
EUROPE = {"GBR", "FRA", "DEU", "ITA", "NLD", "FIN", "USA", "CAN"}


def uk_indo_pacific(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Sum of the UK's tie levels with Indo-Pacific states."""
    return _pair_sum(res, _index(res, {"GBR"}), _index(res, INDO_PACIFIC))


def euro_atlantic(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Sum of tie levels among the Euro-Atlantic states (NATO members of the 24)."""
    return _pair_sum(res, _index(res, EUROPE))


def changes(res: EnsembleResult, sc: Scenario) -> np.ndarray:
    """Number of pairs whose level differs from the start (per run)."""
    return (res.ties != res.ties0[None]).sum(axis=(1, 2)).astype(float) / 2.0


@dataclass(frozen=True)
class Claim:
    """One of the paper's claims as a comparative static.

    Attributes:
        name: Short name.
        statement: The claim in words, with the paper's section.
        path: The driver's dotted parameter path.
        low, high: The two settings compared.
        metric: The outcome, one number per run.
        expect: Whether the outcome should rise or fall from ``low`` to ``high``.
    """

    name: str
    statement: str
    path: str
    low: float
    high: float
    metric: Metric
    expect: Literal["increase", "decrease"]


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "networked alliance",
        "Less trust in US reliability builds ties among US partners that do not involve "
        "the US (§2.2, §4, §7).",
        "us.reliability",
        0.9,
        0.2,
        networked_ties,
        "increase",
    ),
    Claim(
        "coercion",
        "More Chinese coercion gives more and deeper ties among the US and its partners "
        "(§2.1; balance of threat).",
        "china.coercion",
        0.2,
        1.0,
        partner_ties,
        "increase",
    ),
    Claim(
        "distance",
        "Costlier distance thins long-distance ties such as UK-Japan (§6: 9,000 km).",
        "costs.distance",
        0.02,
        0.36,
        long_ties,
        "decrease",
    ),
    Claim(
        "retaliation, alignment",
        "Chinese economic retaliation lowers exposed states' alignment with the US camp "
        "(§6; weaponized interdependence).",
        "china.retaliation",
        0.1,
        0.8,
        exposed_us_alignment,
        "decrease",
    ),
    Claim(
        "retaliation, hedging",
        "Chinese economic retaliation raises exposed states' hedging (§6).",
        "china.retaliation",
        0.1,
        0.8,
        exposed_hedging,
        "increase",
    ),
    Claim(
        "Russian threat, Europe",
        "A greater Russian threat draws the Euro-Atlantic states together (§6: the UK's "
        "focus on Russia).",
        "russia.threat",
        0.2,
        1.0,
        euro_atlantic,
        "increase",
    ),
    Claim(
        "Russian threat, UK in Asia",
        "A greater Russian threat does not deepen the UK's Indo-Pacific ties (§6: "
        "divergent threat perceptions, overextension).",
        "russia.threat",
        0.2,
        1.0,
        uk_indo_pacific,
        "decrease",
    ),
    Claim(
        "fiscal room",
        "More fiscal room lets states change more of their ties (§6: domestic constraints).",
        "budget.fiscal_multiplier",
        0.25,
        1.5,
        changes,
        "increase",
    ),
)


@dataclass(frozen=True)
class Comparison:
    """The measured comparison of one claim (paired runs)."""

    claim: Claim
    runs: int
    low: float
    high: float
    diff: float
    ci: tuple[float, float]
    effect: float
    share: float

    @property
    def relative(self) -> float:
        """The difference as a share of the outcome at the low setting."""
        return self.diff / abs(self.low) if self.low else float("inf")

    @property
    def holds(self) -> bool:
        """Whether the 95% interval excludes zero on the expected side."""
        lo, hi = self.ci
        return lo > 0 if self.claim.expect == "increase" else hi < 0


def _standardised(mean: float, sd: float) -> float:
    """The paired difference in SDs of itself: infinite when every run moved alike, 0 when
    no run moved (a driver the outcome does not read)."""
    if sd > 0:
        return mean / sd
    return float(np.sign(mean)) * float("inf") if mean else 0.0


def compare(claim: Claim, scenario: Scenario, runs: int = 20, seed: int = 0) -> Comparison:
    """Run both settings of a claim's driver as paired ensembles and compare the outcome."""
    lo = run_ensemble(scenario, runs, seed, {claim.path: claim.low})
    hi = run_ensemble(scenario, runs, seed, {claim.path: claim.high})
    a, b = claim.metric(lo, scenario), claim.metric(hi, scenario)
    d = b - a
    mean = float(d.mean())
    sd = float(d.std(ddof=1)) if runs > 1 else 0.0
    half = float(stats.t.ppf(0.975, runs - 1) * sd / np.sqrt(runs)) if runs > 1 else 0.0
    sign = 1.0 if claim.expect == "increase" else -1.0
    return Comparison(
        claim=claim,
        runs=runs,
        low=float(a.mean()),
        high=float(b.mean()),
        diff=mean,
        ci=(mean - half, mean + half),
        effect=_standardised(mean, sd),
        share=float((sign * d > 0).mean()),
    )
