"""The paper's claims as comparative statics over 20 paired runs (docs/validation.md).

Each claim compares two settings of one driver; it holds when the 95% confidence
interval of the paired difference excludes zero on the side the paper gives.
"""

from __future__ import annotations

import pytest

from indopacsim.validation.claims import CLAIMS, compare

RUNS = 20


@pytest.fixture(scope="module")
def base(baseline):
    return baseline


#: Claims the calibrated model does not reproduce, with what it does instead.
NOT_REPRODUCED = {
    "Russian threat, Europe": "the 28 Euro-Atlantic pairs of 2026 are NATO treaty ties, "
    "held at the top of the ladder (+0.00): before the treaty floor the claim held only "
    "because NATO pairs thinned a rung at a low threat",
    "Russian threat, UK in Asia": "the UK's Indo-Pacific ties do not fall (+0.30 [+0.08, "
    "+0.52] of about 34 rungs) as Russia's threat rises: a larger threat raises the UK's "
    "budget, which cheapens the upkeep of every tie, the Asian ones included",
    "fiscal room": "more fiscal room changes fewer ties, not more (-1.25 [-2.07, -0.43]): "
    "budgets above spending lower the strain that drives thinning more than they allow "
    "new upgrades",
}


def _marks(claim):
    if claim.name in NOT_REPRODUCED:
        return [pytest.mark.xfail(strict=True, reason=NOT_REPRODUCED[claim.name])]
    return []


@pytest.mark.parametrize("claim", [pytest.param(c, id=c.name, marks=_marks(c)) for c in CLAIMS])
def test_claim_holds_over_20_runs(claim, base):
    result = compare(claim, base, RUNS)
    assert result.runs == RUNS
    assert result.ci[0] <= result.diff <= result.ci[1]
    assert result.holds, (
        f"{claim.statement} low={result.low:.3f} high={result.high:.3f} "
        f"diff={result.diff:.3f} ci={result.ci}"
    )


def test_a_claim_that_is_wrong_is_detected(base):
    """The comparison can fail: the reverse of a true claim does not hold."""
    claim = next(c for c in CLAIMS if c.name == "coercion")
    reversed_claim = type(claim)(**{**claim.__dict__, "expect": "decrease"})
    assert not compare(reversed_claim, base, 8).holds


def test_a_driver_the_outcome_does_not_read_has_no_effect(base):
    """Identical settings: difference 0, effect 0 (not nan), the claim does not hold."""
    claim = next(c for c in CLAIMS if c.name == "fiscal room")
    same = type(claim)(**{**claim.__dict__, "low": 1.0, "high": 1.0})
    result = compare(same, base, 4)
    assert result.diff == 0.0 and result.ci == (0.0, 0.0)
    assert result.effect == 0.0
    assert not result.holds
