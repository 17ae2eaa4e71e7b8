"""Many runs of one scenario as one computation: the engine with R > 1.

The Mesa model steps one run; an :class:`Ensemble` steps ``R`` runs at once with the same
engine and kernels (arrays with a leading run axis), applying the scenario's events to
every run. It is what the hindcast and the calibration use: a hundred runs of a decade
cost about as much as a handful of Mesa runs. Its runs are reproducible from the root
seed (one generator drives all of them), but they are not the same draws as Mesa runs
with per-run seeds: the two are different, equally valid samples of the model.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from indopacsim.model.engine import Engine
from indopacsim.model.events import apply_event
from indopacsim.model.world import THEATRES
from indopacsim.scenario.io import with_overrides
from indopacsim.scenario.schema import Scenario

_GREAT_POWERS = ("USA", "CHN", "RUS")


@dataclass
class EnsembleResult:
    """What an ensemble run keeps.

    Attributes:
        codes: State codes (N,).
        ties0: (N, N) starting levels.
        ties: (R, N, N) final levels.
        changes: (steps,) tie changes per step summed over the runs (up + down).
        upgrades, downgrades: (steps,) the same, split.
        dates: Date at the end of each step.
        trust: (R, N) final trust in the US.
        payoff: (R, N) each state's mean realised payoff over the steps.
    """

    codes: tuple[str, ...]
    ties0: np.ndarray
    ties: np.ndarray
    changes: np.ndarray
    upgrades: np.ndarray
    downgrades: np.ndarray
    dates: list[str]
    trust: np.ndarray
    payoff: np.ndarray

    def mean_level(self) -> np.ndarray:
        """(N, N) mean final level over the runs."""
        return self.ties.mean(axis=0)

    def p_up(self) -> np.ndarray:
        """(N, N) share of runs in which the pair ends above its start."""
        return (self.ties > self.ties0[None]).mean(axis=0)

    def p_down(self) -> np.ndarray:
        """(N, N) share of runs in which the pair ends below its start."""
        return (self.ties < self.ties0[None]).mean(axis=0)

    @classmethod
    def join(cls, parts: Sequence[EnsembleResult]) -> EnsembleResult:
        """Results of the same world and steps as one: per-run arrays joined along the run
        axis, per-step counts summed."""
        if len(parts) == 1:
            return parts[0]
        joined: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            vals = [getattr(p, f.name) for p in parts]
            if f.name in ("changes", "upgrades", "downgrades"):
                joined[f.name] = np.sum(vals, axis=0)
            elif isinstance(vals[0], np.ndarray) and f.name != "ties0":
                joined[f.name] = np.concatenate(vals, axis=0)
        return dataclasses.replace(parts[0], **joined)


class Ensemble:
    """R runs of a scenario, stepped together; events apply to every run.

    Exposes the public methods events use (:mod:`indopacsim.model.events`), like the
    Mesa model does.
    """

    def __init__(
        self, cfg: Scenario, runs: int, rng: np.random.Generator, keep_payoffs: bool = False
    ):
        names = ["great_power" if c in _GREAT_POWERS else _doctrine(cfg, c) for c in cfg.codes]
        self.engine = Engine(cfg, runs, rng, names)
        self.keep_payoffs = keep_payoffs
        self.codes = self.engine.world.codes
        self.steps = 0
        self.event_log: list[dict[str, Any]] = []
        self.events: dict[int, list[Any]] = defaultdict(list)
        for ev in cfg.events:
            self.events[cfg.time.step_of(ev.date)].append(ev)

    @property
    def config(self) -> Scenario:
        """The scenario now in force."""
        return self.engine.config

    @property
    def world(self) -> Any:
        """The compiled world now in force."""
        return self.engine.world

    def parameters_changed(self, cfg: Scenario) -> None:
        """Adopt a new config in every run."""
        self.engine.parameters_changed(cfg)

    def set_tie(self, a: str, b: str, level: int) -> None:
        """Set a tie's level in every run."""
        self.engine.set_tie(self.codes.index(a), self.codes.index(b), level)

    def add_bond(self, a: str, b: str, by: float) -> None:
        """Add to a pair's political bond."""
        self.engine.add_bond(self.codes.index(a), self.codes.index(b), by)

    def hold_summit(self, a: str, b: str) -> None:
        """A pair meets this step in every run (its next upgrade is on the table)."""
        self.engine.hold_summit(self.codes.index(a), self.codes.index(b))

    def set_doctrine(self, state: str, doctrine: str) -> None:
        """Change a state's doctrine in every run (``adaptive`` is not learned here)."""
        self.engine.set_doctrine(self.codes.index(state), doctrine)

    def trigger_crisis(self, theatre: str) -> None:
        """A crisis in a named theatre in every run."""
        names = [t[0] for t in THEATRES]
        self.engine.crisis(names.index(theatre), np.arange(self.engine.R))

    def run(self, steps: int | None = None) -> EnsembleResult:
        """Step every run to the horizon (or ``steps``) and return the result."""
        cfg = self.engine.initial_config
        total = cfg.time.horizon if steps is None else steps
        ties0 = self.engine.ties[0].copy()
        ups, downs, dates = [], [], []
        payoff = np.zeros(self.engine.trust.shape)
        for _ in range(total):
            self.steps += 1
            for ev in self.events.get(self.steps, ()):
                apply_event(self, ev)
            delta = self.engine.step()
            upper = np.triu(delta, 1)
            ups.append(int((upper > 0).sum()))
            downs.append(int((upper < 0).sum()))
            dates.append(cfg.time.state_date(self.steps).isoformat())
            if self.keep_payoffs:
                payoff += self.engine.payoffs()["payoff"]
        up, down = np.array(ups), np.array(downs)
        return EnsembleResult(
            codes=self.codes,
            ties0=ties0,
            ties=self.engine.ties.copy(),
            changes=up + down,
            upgrades=up,
            downgrades=down,
            dates=dates,
            trust=self.engine.trust.copy(),
            payoff=payoff / max(total, 1),
        )


def run_ensemble(
    scenario: Scenario,
    runs: int,
    seed: int | np.random.SeedSequence = 0,
    overrides: Mapping[str, Any] | None = None,
    steps: int | None = None,
    payoffs: bool = False,
) -> EnsembleResult:
    """Run ``runs`` runs of a scenario as one computation.

    Args:
        scenario: The validated scenario.
        runs: Number of runs R.
        seed: Root seed (or SeedSequence) of the one generator the runs share.
        overrides: Dotted parameter paths to set first.
        steps: Steps to run (default: the horizon).
        payoffs: Keep each state's mean payoff over the steps (costs a payoff per step).
    """
    cfg = with_overrides(scenario, overrides or {})
    rng = np.random.default_rng(seed)
    return Ensemble(cfg, runs, rng, payoffs).run(steps)


def _doctrine(cfg: Scenario, code: str) -> str:
    spec = cfg.states.get(code)
    if spec is not None and spec.doctrine is not None:
        return spec.doctrine
    return cfg.default_doctrine
