"""Pair-level status-quo terms: the starting network fitted as a near rest point.

The status-quo terms explain the observed start under the conditions that produced it
(:func:`reference_config`); a run's own driver values then move it (comparative statics
from a fitted rest point). See ``docs/model.md`` (Initialisation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from indopacsim.caching import ContentCache, frozen
from indopacsim.model import kernel as K
from indopacsim.model.hazards import agreement
from indopacsim.scenario.io import with_overrides
from indopacsim.scenario.parameters import REFERENCE_PATHS
from indopacsim.scenario.schema import Scenario
from indopacsim.tiescale import COST

if TYPE_CHECKING:
    from indopacsim.model.engine import Engine
    from indopacsim.model.terms import Terms
    from indopacsim.model.world import World


_REFERENCES = ContentCache(32)


def reference_config(cfg: Scenario) -> Scenario:
    """The config under which the starting network is fitted: the drivers at reference.

    The status-quo terms explain the observed start under the conditions that produced
    it; a run's own driver values then move it (comparative statics from a fitted rest
    point). Reference values are the schema's defaults unless the scenario's
    ``status_quo.reference`` gives others (the 2019 world gives the policies of 2019).
    """

    def build() -> Scenario:
        ref = {p: _default(p) for p in REFERENCE_PATHS}
        ref.update(cfg.status_quo.reference)
        return with_overrides(cfg.model_copy(update={"events": []}), ref)

    return _REFERENCES.get_or_build(cfg.digest(), build)


def _default(path: str) -> float:
    section, name = path.split(".")
    model_cls = type(getattr(Scenario(), section))
    return float(model_cls.model_fields[name].default)


@dataclass
class StatusQuo:
    """Pair-level status-quo terms (N, N), anchored at the starting levels ``L0``.

    The pair's value gains ``V_sq(L) = down x min(L, L0) - up x max(L - L0, 0)``: each
    rung up to the start carries an unmodelled value (history, habit, constituencies)
    and each rung above it an unmodelled cost, so a pair knocked off its start by noise
    tends back to it unless the drivers have moved.

    Attributes:
        up: Unmodelled cost per rung above the starting level (symmetric).
        down: Unmodelled value per rung up to the starting level (symmetric).
        ties0: The starting levels the terms are anchored at.
        drift_up, drift_down: The pairs' disequilibrium before the terms (for reports).
    """

    up: np.ndarray
    down: np.ndarray
    ties0: np.ndarray
    drift_up: np.ndarray = field(repr=False)
    drift_down: np.ndarray = field(repr=False)


def fit_doctrines(cfg: Scenario, codes: Sequence[str], names: Sequence[str]) -> tuple[str, ...]:
    """The doctrines the start is fitted under: ``status_quo.doctrines`` where it names the
    state (the scenario file's own, :func:`indopacsim.scenario.io.load_scenario`), else the
    doctrine in force; a great power keeps its policy.

    A doctrine is a lever like a driver: the start is fitted under the doctrines that
    produced it, and a doctrine set afterwards moves it (``docs/model.md`` section 7.9).
    """
    ref = cfg.status_quo.doctrines
    return tuple(
        str(n) if n == "great_power" or c not in ref else ref[c]
        for c, n in zip(codes, names, strict=True)
    )


def fit_status_quo(
    ref: Scenario, doctrine_names: Sequence[str], engine_cls: type[Engine]
) -> StatusQuo:
    """Fit the pair-level status-quo terms to the start under the reference config.

    Partial adjustment (the econometrics of adjustment costs; Nerlove 1958): of each
    pair's starting disequilibrium, the noise-free gain both sides would see from moving
    up (the smaller of the two) or that either would see from moving down (the larger),
    a share (``rho_up``, ``rho_down``) is absorbed by an unmodelled pair term anchored at
    the starting rung; the rest is pressure the run releases over time. Shares of 1 make
    the start a rest point of the noise-free model without events. The two shares differ
    because institutions are sticky downwards (sunk costs, bureaucratic constituencies:
    alliances outlive their threats, Walt 1997) while unmet demand for cooperation
    accumulates; both are calibrated on 2013-2019. Pairs within ``margin`` noise standard
    deviations of moving get the difference as well: a start that held for years under
    the same shocks sits inside its rest region, not on its edge.
    """
    eng = engine_cls(ref, 1, np.random.default_rng(0), list(doctrine_names), fit=False)
    up, down, _, _ = eng.values()
    caps = eng.caps()[0]
    up, down = up[0], down[0]
    allowed = (eng.ties[0] < caps) & (eng.ties[0] < caps.T)
    deal = agreement(up[None], ref.ladder.side_payments)[0]
    mutual = np.where(allowed, deal, -np.inf)
    cuttable = eng.ties[0] > eng.world.floor  # a treaty tie of an alliance is not cut
    either = np.where(cuttable, np.maximum(down, down.T), -np.inf)
    sq = ref.status_quo
    margin = sq.margin * ref.noise.decision
    q_up = np.maximum(sq.rho_up * mutual + margin, 0.0)
    q_down = np.maximum(sq.rho_down * either + margin, 0.0)
    q_up[~allowed] = 0.0
    q_down[~cuttable] = 0.0
    np.fill_diagonal(q_up, 0.0)
    np.fill_diagonal(q_down, 0.0)
    return StatusQuo(
        up=q_up,
        down=q_down,
        ties0=eng.world.ties0.copy(),
        drift_up=np.maximum(np.where(allowed, mutual, 0.0), 0.0),
        drift_down=np.maximum(np.where(cuttable, either, 0.0), 0.0),
    )


def start_budgets(cfg: Scenario, world: World, tm: Terms) -> tuple[np.ndarray, ...]:
    """B0 and T(0) of a config: the start's spending and threat under its reference config,
    whose world and terms are ``world`` and ``tm`` (see docs/model.md)."""
    spend0 = (tm.real_cost * COST[world.ties0]).sum(axis=1)
    base = np.maximum(spend0, np.median(spend0))
    b = cfg.budget
    room = world.fiscal_room * b.fiscal_multiplier
    budget0 = spend0 + b.headroom * room * base
    t0 = K.threat(tm, world.ties0[None].astype(np.int8), np.zeros((1, *tm.base_threat.shape)), 0.0)
    return frozen(budget0, np.maximum(t0[0].sum(axis=1), 1e-9))
