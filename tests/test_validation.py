"""The paper's qualitative claims, each over 20 seeds (docs/validation.md).

Each claim compares two settings of one driver with the same 20 seeds and requires the
mean outcome to move the way the paper says and the majority of seeds to agree.
"""

from __future__ import annotations

import pytest

from indopacsim.validation.claims import CLAIMS, compare

SEEDS = range(20)


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.name for c in CLAIMS])
def test_claim_holds_over_20_seeds(claim, baseline):
    result = compare(claim, baseline, SEEDS)
    assert result.seeds == 20
    assert result.holds, (
        f"{claim.statement} low={result.low:.3f} high={result.high:.3f} share={result.share:.2f}"
    )


def test_a_claim_that_is_wrong_is_detected(baseline):
    """The comparison can fail: the reverse of a true claim does not hold."""
    claim = next(c for c in CLAIMS if c.name == "fiscal room")
    reversed_claim = type(claim)(**{**claim.__dict__, "expect": "decrease"})
    assert not compare(reversed_claim, baseline, range(5)).holds
