"""indopacsim: an agent-based model of alignment and coalition formation in the Indo-Pacific.

Public entry points::

    from indopacsim import load_scenario, IndoPacModel
    scenario = load_scenario("uk_japan_2026")      # a bundled name or a YAML path
    model = IndoPacModel(scenario=scenario, rng=42, us_reliability=0.4)
    model.run_model()
    model.model_frame()                             # one row per step

Importing the package has no side effects (no logging set-up, no backend choice).
"""

from indopacsim.errors import InputError
from indopacsim.model.ensemble import run_ensemble
from indopacsim.model.model import IndoPacModel
from indopacsim.model.moves import Moves
from indopacsim.scenario.io import load_scenario
from indopacsim.scenario.schema import Scenario

__all__ = ["IndoPacModel", "InputError", "Moves", "Scenario", "load_scenario", "run_ensemble"]
