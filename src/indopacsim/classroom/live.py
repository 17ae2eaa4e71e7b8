"""The live view: Mesa's SolaraViz on an :class:`IndoPacModel`, one model per browser tab.

Sliders for the paper's drivers (``us.reliability``, ``china.coercion``,
``china.retaliation``, ``costs.distance``, ``russia.threat``) and the seed; Mesa's step,
play and reset; the tie network on the map (the run figures' ``network_map``), the bloc
and alignment timelines, and a panel per state.

Two Mesa pitfalls are handled here (``docs/teaching/README.md``):

* SolaraViz's Reset re-creates the model with ``scenario=<Mesa's own Scenario>`` (Mesa's
  ``Model.scenario`` property); :class:`LiveModel` takes the scenario by name instead and
  ignores a Mesa scenario.
* A module-level model would be shared by every tab; :func:`LivePage` makes its model with
  ``solara.use_memo`` so each tab has its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz

from indopacsim import IndoPacModel, Scenario, load_scenario
from indopacsim.classroom import views

#: The drivers on the sliders: keyword, dotted path, label, (min, max, step).
DRIVERS: tuple[tuple[str, str, str, tuple[float, float, float]], ...] = (
    ("us_reliability", "us.reliability", "US reliability", (0.0, 1.0, 0.05)),
    ("china_coercion", "china.coercion", "Chinese coercion", (0.0, 1.0, 0.05)),
    ("china_retaliation", "china.retaliation", "Chinese retaliation", (0.0, 1.0, 0.05)),
    ("costs_distance", "costs.distance", "Distance cost", (0.0, 0.3, 0.01)),
    ("russia_threat", "russia.threat", "Russian threat", (0.0, 1.0, 0.05)),
)


class LiveModel(IndoPacModel):
    """An :class:`IndoPacModel` that SolaraViz can re-create on Reset.

    Args:
        scenario: Ignored unless it is an indopacsim scenario, a path or a name (SolaraViz
            passes Mesa's own ``Scenario`` here on Reset).
        scenario_name: The scenario (bundled name or YAML path) used otherwise.
        seed: The model's seed.
        **drivers: The sliders' values, e.g. ``us_reliability=0.4`` (``None``: the
            scenario's value).
    """

    def __init__(
        self,
        scenario: Any = None,
        *,
        scenario_name: str = "classroom_small",
        seed: int = 0,
        us_reliability: float | None = None,
        china_coercion: float | None = None,
        china_retaliation: float | None = None,
        costs_distance: float | None = None,
        russia_threat: float | None = None,
        **params: Any,
    ):
        if not isinstance(scenario, str | Path | Scenario):
            scenario = scenario_name
        given = {
            "us_reliability": us_reliability,
            "china_coercion": china_coercion,
            "china_retaliation": china_retaliation,
            "costs_distance": costs_distance,
            "russia_threat": russia_threat,
        }
        params.pop("rng", None)
        paths = {key: path for key, path, _, _ in DRIVERS}
        drivers = {paths[k]: v for k, v in given.items() if v is not None}
        super().__init__(scenario, rng=int(seed), overrides={**drivers, **params})


def model_params(scenario: Scenario, name: str) -> dict[str, Any]:
    """SolaraViz's parameters: the scenario (fixed), the seed and a slider per driver."""
    params: dict[str, Any] = {
        "scenario_name": name,
        "seed": {"type": "SliderInt", "value": 0, "min": 0, "max": 99, "step": 1, "label": "Seed"},
    }
    for key, path, label, (lo, hi, step) in DRIVERS:
        section, attr = path.split(".")
        value = float(getattr(getattr(scenario, section), attr))
        params[key] = Slider(f"{label} ({path})", value, lo, max(hi, value), step)
    return params


def MapView(model: LiveModel) -> None:
    """The tie network now, on the map."""
    solara.FigureMatplotlib(views.map_figure(model), format="png")


def Timelines(model: LiveModel) -> None:
    """Blocs and each state's alignment over the steps so far."""
    solara.FigureMatplotlib(views.timeline_figure(model), format="png")


def StatePanels(model: LiveModel) -> None:
    """A card per state: doctrine, trust, alignment, hedging, payoff, strongest ties."""
    block = {"display": "block", "font-size": "0.85em"}
    with solara.ColumnsResponsive(default=6):
        for row in views.state_rows(model):
            doctrine = row["doctrine"].replace("_", " ")
            with solara.Card(row["iso3"], subtitle=doctrine, margin=0):
                solara.Text(f"trust {row['trust']} · alignment {row['alignment']}", style=block)
                solara.Text(f"hedging {row['hedging']} · payoff {row['payoff']}", style=block)
                solara.Text(f"ties: {row['ties']}", style=block)


@solara.component
def LivePage(scenario: str | None = None) -> None:
    """The live view; each browser tab builds its own model (``use_memo``)."""
    name = scenario or os.environ.get("INDOPACSIM_APP_SCENARIO", "classroom_small")
    model = solara.use_memo(lambda: LiveModel(scenario_name=name), [name])
    params = solara.use_memo(lambda: model_params(load_scenario(name), name), [name])
    SolaraViz(
        model,
        components=[(MapView, 0), (Timelines, 0), (StatePanels, 1)],
        model_params=params,
        name=f"indopacsim live: {model.config.name}",
    )
