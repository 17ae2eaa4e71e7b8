"""Reference models with known answers, runnable through the sweep.

They check the sweep and the sensitivity analysis end to end: an experiment with
``model: indopacsim.experiments.reference_models:ishigami`` goes through the same
planning, executors, store and analysis as the agent-based model.
"""

from __future__ import annotations

import math

#: The Ishigami function's constants (Ishigami & Homma 1990; Saltelli et al. 2008).
ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> dict[str, list[float]]:
    """The analytic first-order and total Sobol indices of x1, x2, x3 (uniform on [-pi, pi])."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    total = v1 + v2 + v13
    return {
        "S1": [v1 / total, v2 / total, 0.0],
        "ST": [(v1 + v13) / total, v2 / total, v13 / total],
    }


def ishigami(
    x1: float, x2: float, x3: float, a: float = ISHIGAMI_A, b: float = ISHIGAMI_B
) -> dict[str, float]:
    """The Ishigami function ``sin x1 + a sin^2 x2 + b x3^4 sin x1`` (deterministic).

    With x1, x2, x3 uniform on [-pi, pi] and a, b = 7, 0.1 its Sobol indices are
    S1 = (0.3139, 0.4424, 0.0) and ST = (0.5576, 0.4424, 0.2437).
    """
    y = math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)
    return {"y": y}


def fragile(x: float, fail_above: float = 0.5) -> dict[str, float]:
    """``y = 2x``, but raises ``ValueError`` when ``x > fail_above`` (tests error records)."""
    if x > fail_above:
        raise ValueError(f"x = {x} is above {fail_above}")
    return {"y": 2.0 * x}
