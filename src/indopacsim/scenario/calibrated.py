"""The calibrated parameter sets bundled with the package, and a scenario at one of them.

``data/calibration.json`` is the frozen calibration (its parameters are the scenario
schema's defaults); ``data/calibration_bootstrap.json`` and
``data/calibration_bootstrap_full.json`` are its state-bootstrap records (local refits and
whole recalibrations, :mod:`indopacsim.validation.uncertainty`); :data:`FITS` names other
whole fits kept as records. Reading them and setting
a scenario to a set live here, below both the calibration (:mod:`indopacsim.validation`)
and the sweeps (:mod:`indopacsim.experiments`), which use them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from indopacsim.errors import InputError
from indopacsim.scenario.io import with_overrides
from indopacsim.scenario.parameters import REFERENCE_PATHS
from indopacsim.scenario.schema import Scenario

#: The bundled records of the bootstrap replicates: local refits and whole calibrations.
RECORDS = {"local": "calibration_bootstrap.json", "full": "calibration_bootstrap_full.json"}

#: Other whole fits of the mechanism kept as records (none is the calibration of record):
#: the fit of 2013-2019 alone that the joint fit replaced, and the fit of 2006-2012 alone
#: by the record's rule with no start found on later years, the set that forecasts
#: 2013-2019 out of time (``docs/validation.md``, "The scoring rule").
FITS = {
    "fit_2013_2019": "calibration_2013_2019.json",
    "fit_2006_2012": "calibration_2006_2012.json",
}


def _read(name: str) -> dict[str, Any]:
    with resources.files("indopacsim.data").joinpath(name).open() as fh:
        return json.load(fh)


def frozen() -> dict[str, Any]:
    """The frozen calibration record bundled with the package."""
    return _read("calibration.json")


def record(kind: str = "local") -> dict[str, Any]:
    """A bundled record of the bootstrap replicates (:data:`RECORDS`: ``local`` or ``full``)."""
    return _read(RECORDS[kind])


def fit(name: str) -> dict[str, Any]:
    """A bundled record of another whole fit (:data:`FITS`)."""
    return _read(FITS[name])


def of_frozen(rec: dict[str, Any], window: str | None = None) -> bool:
    """Whether a record's replicates bootstrap the frozen calibration: its point, and its
    window (``window``, default the frozen record's own)."""
    f = frozen()
    return rec.get("window") == (window or f["window"]) and rec.get("frozen") == f["parameters"]


def checked_sets(rec: dict[str, Any], kind: str, window: str | None = None) -> list[dict[str, Any]]:
    """The parameter sets of the bootstrap record ``rec`` (of :data:`RECORDS` ``kind``), in
    replicate order.

    Raises:
        InputError: the record bootstraps another calibration than the frozen one
            (:func:`of_frozen`), in one line naming its file.
    """
    if not of_frozen(rec, window):
        raise InputError(
            f"data/{RECORDS[kind]}: its replicates refit another calibration (of "
            f"{rec.get('window')}), not the frozen one: rerun python -m indopacsim.validation."
            "uncertainty",
            field="frozen",
        )
    return [dict(s["parameters"]) for s in rec["sets"]]


def with_reference(scenario: Scenario, params: Mapping[str, Any]) -> Scenario:
    """The scenario with the candidate's values of reference-held drivers as reference.

    A free parameter that the status-quo fit holds at a reference (``costs.distance``)
    is a structural constant during calibration: the start is fitted under the same
    value the candidate runs with, so the fit never reads it as a change of driver.
    """
    ref = {p: v for p, v in params.items() if p in REFERENCE_PATHS}
    if not ref:
        return scenario
    merged = {**scenario.status_quo.reference, **ref}
    sq = scenario.status_quo.model_copy(update={"reference": merged})
    return scenario.model_copy(update={"status_quo": sq})


def with_parameters(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A scenario with a parameter set: each dotted path set, and a driver among them also
    set as the status-quo reference (:func:`with_reference`), so that the start is fitted
    under the values the runs use, as in the calibration. Unknown paths and values out of
    range raise the scenario language's errors, naming the field."""
    if not overrides:
        return scenario
    numeric = {k: v for k, v in overrides.items() if isinstance(v, int | float)}
    return with_reference(with_overrides(scenario, overrides), numeric)
