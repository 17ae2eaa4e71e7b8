"""The model: :class:`IndoPacModel`, a :class:`mesa.Model` built from a scenario.

One step (a quarter by default) runs, in order (``docs/model.md``, Process overview):

1. **events** dated within the step are applied (parameter changes, tie levels, bonds,
   doctrines, crises);
2. the **engine** advances (:mod:`indopacsim.model.engine`, one run): the great powers
   act (the US reliability signal and trust; crises), every state values a move up and
   down on every tie, and the moves both sides (upgrades) or either side (downgrades)
   want happen at their hazards; players' moves (:meth:`IndoPacModel.submit_moves`)
   replace the doctrine's choices of their states;
3. **measure**: payoffs, alignment and hedging indices, blocs, the networked-alliance
   index; adaptive states learn; the DataCollector and the table recorder collect. The
   step keeps what its measures read; they are computed when first read (the model
   frame, the tables, the model's attributes), in step order: the same numbers
   (:mod:`indopacsim.model.history`, :class:`~indopacsim.model.payoffs.StepPayoffs`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.experimental.scenarios import Scenario as MesaScenario

from indopacsim.model import doctrines
from indopacsim.model import kernel as K
from indopacsim.model.agents import add_agents
from indopacsim.model.engine import Engine
from indopacsim.model.events import apply_event
from indopacsim.model.history import LAZY, History
from indopacsim.model.learning import DoctrineLearner
from indopacsim.model.moves import Moves, likely_moves
from indopacsim.model.payoffs import StepPayoffs
from indopacsim.model.recorder import Collector, Recorder, model_frame
from indopacsim.model.tiemeasures import cells
from indopacsim.model.valuation import shared_steps
from indopacsim.model.world import THEATRES
from indopacsim.scenario.io import load_scenario, with_overrides
from indopacsim.scenario.schema import Scenario
from indopacsim.tiescale import STRONG

_LAZY = frozenset(LAZY)

GREAT_POWER_ROLES = {"USA": "us", "CHN": "china", "RUS": "russia"}

#: Model-level measures collected every step (DataCollector model reporters).
MODEL_MEASURES = (
    "date",
    "mean_level",
    "n_ties",
    "n_strong",
    "n_treaty",
    "upgrades",
    "downgrades",
    "churn",
    "n_blocs",
    "largest_bloc_share",
    "stable_since",
    "polarization",
    "networked_ties",
    "networked_alliance",
    "mean_trust",
    "us_signal",
    "mean_alignment",
    "mean_hedging",
    "uk_japan",
)


def resolve_scenario(
    scenario: Scenario | str | Path | None, overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """Return a validated scenario from an object, a path or a bundled name, overrides applied.

    ``None`` gives the embedded baseline, the bundled ``uk_japan_2026`` scenario.
    """
    if scenario is None:
        scenario = "uk_japan_2026"
    if isinstance(scenario, Scenario):
        return with_overrides(scenario, overrides or {})
    return load_scenario(scenario, overrides)


class IndoPacModel(mesa.Model):
    """Alignment and coalition formation among the states of a scenario.

    Args:
        scenario: A :class:`Scenario`, a YAML path or a bundled scenario name; ``None``
            runs the embedded baseline (``uk_japan_2026``). A Mesa ``Scenario`` (what
            Mesa's SolaraViz passes on Reset) also means the baseline; its ``rng`` is used.
        rng: Seed or generator for the model's random numbers (Mesa's ``rng``).
        overrides: Dotted parameter paths to set, e.g. ``{"us.reliability": 0.4}``.
        record: Keep the per-step state and tie tables (``states_frame``, ``ties_frame``).
        collect: Collect the model-level measures every step in the DataCollector.
        **params: Keyword overrides written ``section_param``, e.g. ``us_reliability=0.4``,
            so that ``mesa.batch_run`` and SolaraViz sliders can set them.

    Attributes:
        config: The scenario now in force (events replace it); ``initial_config`` the one
            the run started from.
        ties: Current symmetric tie-level matrix (int8, a view of the engine's run 0).
        trust: Each state's trust in the US.
        datacollector: Mesa DataCollector with the model-level measures, one row per step.

    Stepping past the scenario's horizon is allowed: ``running`` turns False at the
    horizon (so ``run_model`` stops there), and further steps continue the calendar
    with the last parameters in force and no further events.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | MesaScenario | None = None,
        *,
        rng: Any = None,
        overrides: Mapping[str, Any] | None = None,
        record: bool = True,
        collect: bool = True,
        **params: Any,
    ):
        if isinstance(scenario, MesaScenario):
            rng = scenario.rng if rng is None else rng
            scenario = None
        super().__init__(rng=rng)
        cfg = resolve_scenario(scenario, {**(overrides or {}), **params})
        self.initial_config: Scenario = cfg
        names = [
            "great_power" if c in GREAT_POWER_ROLES else d
            for c, d in zip(cfg.codes, _doctrines(cfg), strict=True)
        ]
        self.engine = Engine(cfg, 1, self.rng, names)
        self.world = self.engine.world
        self.codes = self.world.codes
        self.base_doctrines = list(names)
        adaptive = np.array([i for i, d in enumerate(names) if d == "adaptive"], int)
        self.learner = DoctrineLearner(adaptive, doctrines.LEARNABLE)
        self.learner.choose(self.rng, cfg.learning.doctrine_temperature)
        self._sync_learned()
        self._index_pairs()
        self.events: dict[int, list[Any]] = defaultdict(list)
        for ev in cfg.events:
            self.events[cfg.time.step_of(ev.date)].append(ev)
        self.event_log: list[dict[str, Any]] = []
        self._pending: dict[int, Moves] = {}
        add_agents(self, GREAT_POWER_ROLES)
        self.history = History(self, arrays=record)
        self.recorder = Recorder(self) if record else None
        self.datacollector = Collector(model_reporters={m: m for m in MODEL_MEASURES})
        self.datacollector.history = self.history
        self.collect = collect
        self.engine.share_start(type(self))  # the start's kept values, from an earlier seed
        self._measure()
        self.engine.share_start(type(self), keep=True)
        if collect:
            self.datacollector.collect(self)
        if self.recorder is not None:
            self.recorder.record(self)

    def _index_pairs(self) -> None:
        """The US's strong partners at the start and the pair indices the measures use."""
        n = self.world.n
        us = self.world.us
        self.partners0 = (self.ties >= STRONG) if us < 0 else (self.ties[us] >= STRONG)
        if us >= 0:
            self.partners0 = self.partners0.copy()
            self.partners0[us] = False
        else:
            self.partners0 = np.zeros(n, bool)
        self.tie_cells = cells(n, self.partners0, us)
        self.n_pairs = n * (n - 1) / 2
        self._others = np.flatnonzero(self.engine.learns_trust)
        if not len(self._others):
            self._others = np.arange(n)

    # ------------------------------------------------------------------ state views
    @property
    def config(self) -> Scenario:
        """The scenario now in force."""
        return self.engine.config

    @property
    def ties(self) -> np.ndarray:
        """Current tie levels (N, N), int8."""
        return self.engine.ties[0]

    @property
    def trust(self) -> np.ndarray:
        """Each state's trust in the US (N,)."""
        return self.engine.trust[0]

    @property
    def bond(self) -> np.ndarray:
        """Political bonds between pairs (N, N), added by ``bond`` events."""
        return self.engine.bond

    @property
    def us_signal(self) -> float:
        """The US reliability signal of the last step."""
        return float(self.engine.us_signal[0])

    @property
    def doctrine_names(self) -> list[str]:
        """The doctrine each state plays now."""
        return list(self.engine.names0)

    @property
    def budget(self) -> np.ndarray:
        """Each state's budget for commitments now (N,)."""
        return self.step_payoffs.get()[1]

    @property
    def payoffs(self) -> dict[str, np.ndarray]:
        """Each state's realised payoff components of the last step (N,) by name
        (:data:`indopacsim.model.payoffs.PARTS`), computed when first read."""
        return self.step_payoffs.get()[0]

    # ------------------------------------------------------------------ public changes
    def parameters_changed(self, cfg: Scenario) -> None:
        """Adopt a new config (an event changed a parameter)."""
        self.engine.parameters_changed(cfg)
        self.world = self.engine.world

    def set_tie(self, a: str, b: str, level: int) -> None:
        """Set the level of the tie between two states."""
        self.engine.set_tie(self.codes.index(a), self.codes.index(b), level)

    def add_bond(self, a: str, b: str, by: float) -> None:
        """Add to the political bond between two states (a joint statement, a summit)."""
        self.engine.add_bond(self.codes.index(a), self.codes.index(b), by)

    def hold_summit(self, a: str, b: str) -> None:
        """Two states meet at this step: their next upgrade is on the table (a summit)."""
        self.engine.hold_summit(self.codes.index(a), self.codes.index(b))

    def set_doctrine(self, state: str, doctrine: str) -> None:
        """Change a state's doctrine (``adaptive`` starts its learning)."""
        row = self.codes.index(state)
        self.base_doctrines[row] = doctrine
        if doctrine == "adaptive":
            self.learner.add(row)
            self.learner.choose(self.rng, self.config.learning.doctrine_temperature)
        else:
            self.learner.remove(row)
        self._sync_learned()

    def trigger_crisis(self, theatre: str) -> None:
        """A crisis in a named theatre now (``docs/model.md``, Crises)."""
        names = [t[0] for t in THEATRES]
        self.engine.crisis(names.index(theatre), np.array([0]))

    def submit_moves(self, iso3: str, moves: Moves) -> None:
        """Take a state's moves for the next step (players; see :mod:`indopacsim.model.moves`)."""
        row = self.codes.index(iso3)
        if moves.doctrine is not None and moves.doctrine != self.doctrine_names[row]:
            doctrines.get(moves.doctrine)
            self.set_doctrine(iso3, moves.doctrine)
        self._pending[row] = moves

    def doctrine_moves(self, iso3: str) -> Moves:
        """The moves the state's doctrine would most likely make now (:func:`likely_moves`)."""
        up, down, _, _ = self.engine.values()
        return likely_moves(
            self.codes.index(iso3),
            self.codes,
            self.ties,
            self.engine.caps()[0],
            (up[0], down[0]),
            self.config.ladder,
            self.world.china,
            self.world.floor,
        )

    # ------------------------------------------------------------------ the step
    def step(self) -> None:
        """Advance one step: events, the engine, measures, learning, collection."""
        for ev in self.events.get(self.steps, ()):
            apply_event(self, ev)
        moves, self._pending = self._pending, {}
        self.engine.step(moves or None)
        self._measure()
        self._learn()
        if self.collect:
            self.datacollector.collect(self)
        if self.recorder is not None:
            self.recorder.record(self)
        if self.steps >= self.config.time.horizon:
            self.running = False

    def value_matrix(self, level: int | None = None, base: int = 0) -> np.ndarray:
        """Each state's noise-free value of a tie with each other state (row = valuer).

        ``V(L) - V(base)``: the value of holding the tie at its current level
        (``level=None``) or at a given level, against having it at ``base`` (none by
        default); costs, risks and the doctrine's traits included. With ``level`` at the
        top of the ladder and ``base`` at dialogue it is the value of full alignment
        beyond mere contact, the propensity of landscape theory
        (:mod:`indopacsim.landscape.bridge`).
        """
        eng = self.engine
        pr, _, _, _ = eng.pressures()
        lv = eng.ties.astype(np.intp) if level is None else np.full(eng.ties.shape, level)
        args = (pr, eng.terms, eng.policy, eng.bond, self.world.us, eng.weights())
        out = (K.level_value(lv, *args) - K.level_value(np.full_like(lv, base), *args))[0]
        shared = shared_steps(eng)  # the partners the pair shares, per rung (or None)
        if shared is not None:
            out = out + (shared * (lv - base))[0]
        np.fill_diagonal(out, 0.0)
        return out

    # ------------------------------------------------------------------ measures
    def _measure(self) -> None:
        eng = self.engine
        bond = getattr(self, "_bond", None)
        if bond is None or bond.tobytes() != eng.bond.tobytes():
            self._bond = bond = eng.bond.copy()
        self.step_payoffs = StepPayoffs(eng, bond)  # computed when read
        self.spend = eng.spend()[0]
        self.history.observe(self)  # the other measures: computed when read

    def __getattr__(self, name: str) -> Any:
        """The measures of the last step (:data:`indopacsim.model.history.LAZY`: alignment,
        hedging, blocs, polarization, ...), computed when first read."""
        history = self.__dict__.get("history")
        if history is not None and name in _LAZY:
            return history.current()[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def level(self, a: str, b: str) -> float:
        """Current level of the tie between two states (NaN when either is absent)."""
        try:
            return float(self.ties[self.codes.index(a), self.codes.index(b)])
        except ValueError:
            return float("nan")

    def _sync_learned(self) -> None:
        names = list(self.base_doctrines)
        for r, row in enumerate(self.learner.rows):
            names[row] = self.learner.options[self.learner.playing[r]]
        now = self.engine.doctrines[0]
        rows = [row for row, name in enumerate(names) if now[row] != name]
        if rows:
            self.engine.set_doctrine(rows, [names[row] for row in rows])

    def _learn(self) -> None:
        lr = self.learner
        if not len(lr.rows):
            return
        lr.observe(self.payoffs["payoff"])
        cfg = self.config.learning
        if self.steps % cfg.revise_every == 0:
            lr.revise(cfg.doctrine_recency)
            lr.choose(self.rng, cfg.doctrine_temperature)
            self._sync_learned()

    # ------------------------------------------------------------------ outputs
    def model_frame(self) -> pd.DataFrame:
        """One row per step (step 0 = the start) with every model-level measure."""
        return model_frame(self.datacollector.model_vars)

    def states_frame(self) -> pd.DataFrame:
        """Tidy step x state table (requires ``record=True``)."""
        if self.recorder is None:
            raise RuntimeError("this model was built with record=False")
        return self.recorder.states_frame()

    def ties_frame(self) -> pd.DataFrame:
        """Tidy step x pair table of ties with level > 0 (requires ``record=True``)."""
        if self.recorder is None:
            raise RuntimeError("this model was built with record=False")
        return self.recorder.ties_frame()


def _doctrines(cfg: Scenario) -> list[str]:
    out: list[str] = []
    for spec in cfg.states.values():
        d = spec.doctrine if spec is not None and spec.doctrine is not None else None
        out.append(d or cfg.default_doctrine)
    return out
