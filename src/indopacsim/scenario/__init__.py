"""The scenario language: frozen types, the event schema, dotted parameter paths and
YAML I/O (``extends:`` chains and overrides). See ``docs/scenarios.md``."""

from indopacsim.scenario.io import bundled_scenarios, load_scenario, with_overrides
from indopacsim.scenario.schema import Scenario

__all__ = ["Scenario", "bundled_scenarios", "load_scenario", "with_overrides"]
