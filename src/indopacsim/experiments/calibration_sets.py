"""The calibration as an uncertainty of a sweep: the parameter sets of its bootstrap record.

The frozen parameters are one fit of the mechanism to the record of 2006-2019; refitted on
state-bootstrap replicates of that record the same model gives other answers to the
questions a sweep asks (``docs/validation.md``, "How much of this hangs on the
calibration": the sets that fit the record better move fewer pairs). A claim that depends
on the calibration should be checked across those sets, and a sweep can do it: an
uncertainty with the reserved path ``calibration`` takes parameter sets as its levels,

    uncertainties:
      - path: calibration
        levels: [frozen, full]     # the frozen set and the 12 whole recalibrations

and each run is made at its point's set (``frozen``; ``full.K``, the K-th whole
recalibration, ``data/calibration_bootstrap_full.json``; ``local.K``, the K-th local
refit, ``data/calibration_bootstrap.json``; the group names ``full`` and ``local`` stand
for all of a record's sets; ``fit_2013_2019`` and ``fit_2006_2012``, other whole fits of
one window alone, :data:`~indopacsim.scenario.calibrated.FITS`). A set replaces the
calibrated parameters of the base scenario and its overrides, and a driver among them
(``costs.distance``) becomes the status-quo reference, so the start is fitted under the
set as in the calibration (:func:`~indopacsim.scenario.calibrated.with_parameters`); the
point's other values are applied after it, as changes from that start. This is the
perturbed-parameter ensemble of climate modelling (Murphy et al. 2004) carried into
exploratory modelling, where the calibration's uncertainty is one more deep uncertainty
of the futures (Lempert, Popper & Bankes 2003).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indopacsim.errors import InputError
from indopacsim.scenario import calibrated
from indopacsim.scenario.io import load_scenario, with_overrides

if TYPE_CHECKING:
    from indopacsim.scenario.schema import Scenario

#: The reserved parameter path of a sweep whose levels are parameter sets.
PATH = "calibration"
#: The frozen parameters' name.
FROZEN = "frozen"
#: Group names: the bundled bootstrap records (:data:`indopacsim.scenario.calibrated.RECORDS`).
GROUPS = tuple(calibrated.RECORDS)


def _replicates(group: str) -> list[int]:
    return [int(s["replicate"]) for s in calibrated.record(group)["sets"]]


def names(group: str) -> list[str]:
    """The set names of a group, in replicate order (``full.0``, ``full.1``, ...)."""
    return [f"{group}.{k}" for k in _replicates(group)]


def expand(levels: list[Any]) -> list[Any]:
    """``levels`` with each group name replaced by its sets (order kept, no repeats)."""
    out: list[Any] = []
    for v in levels:
        for name in names(v) if isinstance(v, str) and v in GROUPS else [v]:
            if name not in out:
                out.append(name)
    return out


def parameters(name: Any) -> dict[str, Any]:
    """The calibrated parameters of the set ``name``.

    Raises:
        InputError: the name is not a set of a bundled record (the message lists the
            valid ones), or the record bootstraps another calibration than the frozen one.
    """
    if name == FROZEN:
        return dict(calibrated.frozen()["parameters"])
    if name in calibrated.FITS:
        return dict(calibrated.fit(str(name))["parameters"])
    group, _, k = str(name).partition(".")
    if group in GROUPS and k.isdigit():
        rec = calibrated.record(group)
        ids = [int(s["replicate"]) for s in rec["sets"]]
        if int(k) in ids:
            return calibrated.checked_sets(rec, group)[ids.index(int(k))]
    valid = " or ".join(f"{g}.0-{g}.{len(_replicates(g)) - 1}" for g in GROUPS)
    fits = ", ".join(calibrated.FITS)
    raise InputError(f"{name!r} is not a parameter set: give {FROZEN}, {fits}, {valid}", field=PATH)


def point_scenario(base: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """``base`` at a point: its parameter set first (if ``calibration`` is among the
    overrides), then the other overrides."""
    if PATH not in overrides:
        return with_overrides(base, overrides)
    rest = {k: v for k, v in overrides.items() if k != PATH}
    return with_overrides(calibrated.with_parameters(base, parameters(overrides[PATH])), rest)


def expanded(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Command-line overrides with ``calibration=NAME`` replaced by that set's parameter
    values, the other overrides winning (``indopacsim backtest --set``, whose values all
    set the model's parameters in both windows); a bad set name is an error of ``--set``."""
    if PATH not in overrides:
        return dict(overrides)
    try:
        values = parameters(overrides[PATH])
    except InputError as exc:
        raise InputError(exc.message, file="--set", field=exc.field) from None
    return {**values, **{k: v for k, v in overrides.items() if k != PATH}}


def load_at(path: str | Path, overrides: Mapping[str, Any]) -> Scenario:
    """A scenario file with command-line overrides (``--set``), ``calibration=NAME`` among
    them run at that parameter set before the others (``indopacsim run`` and ``explain``);
    a bad set name is an error of ``--set``."""
    if PATH not in overrides:
        return load_scenario(path, overrides)
    base = load_scenario(path)
    try:
        return point_scenario(base, overrides)
    except InputError as exc:
        raise InputError(exc.message, file="--set", field=exc.field) from None
