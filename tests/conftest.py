"""Shared fixtures."""

from __future__ import annotations

import pytest

from indopacsim import load_scenario
from indopacsim.scenario.schema import Scenario


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    """The bundled baseline scenario."""
    return load_scenario("uk_japan_2026")


@pytest.fixture(scope="session")
def classroom() -> Scenario:
    """The six-state classroom scenario."""
    return load_scenario("classroom_small")
