"""The model: :class:`IndoPacModel`, a :class:`mesa.Model` built from a scenario.

One step (a quarter by default) runs, in order (DESIGN §3):

1. **events** dated within the step are applied (parameter changes, tie levels, bonds,
   doctrines);
2. **great powers** act: the US sends its reliability signal (states update their trust)
   and taxes and rebukes its partners; China rewards and retaliates;
3. **decide**: every state values every tie (preference terms weighted by its doctrine,
   plus a random utility shock) and proposes moves, all at once;
4. **commit**: upgrades agreed by both sides and downgrades wanted by either take effect;
5. **measure**: payoffs, alignment and hedging indices, blocs, the networked-alliance
   index; adaptive states learn; the DataCollector and the table recorder collect.

``docs/model.md`` describes the model in the ODD protocol.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from indopacsim import data
from indopacsim.coalitions import measures as coalitions
from indopacsim.model import doctrines, events
from indopacsim.model.agents import GreatPower, StateAgent
from indopacsim.model.decisions import Decision, decide
from indopacsim.model.learning import DoctrineLearner
from indopacsim.model.preferences import (
    StaticTerms,
    camp,
    economic_terms,
    reference_cost,
    static_terms,
    trust_weighted_security,
)
from indopacsim.model.recorder import Recorder
from indopacsim.model.world import compile_world
from indopacsim.scenario.io import load_scenario, with_overrides
from indopacsim.scenario.schema import (
    Scenario,
)

GREAT_POWER_ROLES = {"USA": "us", "CHN": "china", "RUS": "russia"}

# Replicates share one scenario object and apply the same events: the configs events
# derive and the static terms of each config are computed once (small LRU caches).
_STATIC_CACHE: dict[int, tuple[Scenario, StaticTerms]] = {}
_CACHE_SIZE = 64


def _cache_put(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = value


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
            runs the embedded baseline (``uk_japan_2026``).
        rng: Seed or generator for the model's random numbers (Mesa's ``rng``).
        overrides: Dotted parameter paths to set, e.g. ``{"us.reliability": 0.4}``.
        record: Keep the per-step state and tie tables (``states_frame``, ``ties_frame``).
        collect: Collect the model-level measures every step in the DataCollector; with
            ``False`` (sweeps that keep only final values) the measures are still the
            model's attributes after each step, but no history is kept.
        **params: Keyword overrides written ``section_param``, e.g. ``us_reliability=0.4``,
            so that ``mesa.batch_run`` can sweep them.

    Attributes:
        config: The scenario now in force (events replace it); ``initial_config`` the one
            the run started from.
        ties: Current symmetric tie-level matrix (int8).
        trust: Each state's trust in the US.
        datacollector: Mesa DataCollector with the model-level measures, one row per step.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        *,
        rng: Any = None,
        overrides: Mapping[str, Any] | None = None,
        record: bool = True,
        collect: bool = True,
        **params: Any,
    ):
        super().__init__(rng=rng)
        cfg = resolve_scenario(scenario, {**(overrides or {}), **params})
        self.initial_config: Scenario = cfg
        self.config: Scenario = cfg
        self.world = compile_world(cfg)
        self.codes = self.world.codes
        n = self.world.n
        self.ties = self.world.ties0.copy()
        self.bond = np.zeros((n, n))
        self.trust = self.world.trust0.copy()
        gp_rows = [i for i, c in enumerate(self.codes) if c in GREAT_POWER_ROLES]
        self.learns_trust = np.ones(n)
        self.learns_trust[gp_rows] = 0.0
        self.base_doctrines = list(self.world.table["doctrine"])
        adaptive = np.array([i for i, d in enumerate(self.base_doctrines) if d == "adaptive"], int)
        self.learner = DoctrineLearner(adaptive, doctrines.LEARNABLE)
        self.learner.choose(self.rng, cfg.learning.doctrine_temperature)
        us = self.world.us
        self.partners0 = (self.ties[us] >= coalitions.STRONG) if us >= 0 else np.zeros(n, bool)
        if us >= 0:
            self.partners0[us] = False
        self._partner_pairs = np.triu_indices(int(self.partners0.sum()), 1)
        self._upper = np.triu_indices(n, 1)
        self._n_pairs = n * (n - 1) / 2
        self._others = (
            np.flatnonzero(self.learns_trust) if self.learns_trust.any() else np.arange(n)
        )
        self._dates = [cfg.time.state_date(k).isoformat() for k in range(cfg.time.horizon + 1)]
        self.events: dict[int, list[Any]] = defaultdict(list)
        for ev in cfg.events:
            self.events[cfg.time.step_of(ev.date)].append(ev)
        self.event_log: list[dict[str, Any]] = []
        self._invalidate()
        self._rebuild()
        self._refresh_doctrines()
        self.us_signal = cfg.us.reliability
        self.us_costs = np.zeros(n)
        self.retaliation = np.zeros(n)
        self.inducement = np.zeros(n)
        self.last_delta = np.zeros((n, n), dtype=np.int8)
        self.upgrades = self.downgrades = 0
        for i, code in enumerate(self.codes):
            role = GREAT_POWER_ROLES.get(code)
            if role is None:
                StateAgent(self, code, i)
            else:
                GreatPower(self, code, i, role)  # type: ignore[arg-type]
        self.recorder = Recorder(self) if record else None
        self.datacollector = mesa.DataCollector(model_reporters={m: m for m in MODEL_MEASURES})
        self.collect = collect
        self._measure()
        if collect:
            self.datacollector.collect(self)
        if self.recorder is not None:
            self.recorder.record(self)

    # ------------------------------------------------------------------ set-up helpers
    def _rebuild(self) -> None:
        """Recompute static terms and budgets after a parameter change."""
        cfg = self.config
        hit = _STATIC_CACHE.get(id(cfg))
        if hit is not None and hit[0] is cfg:
            self.static = hit[1]
        else:
            self.static = static_terms(self.world, cfg, self.world.hostility)
            _cache_put(_STATIC_CACHE, id(cfg), (cfg, self.static))
        spend0 = (reference_cost(self.world, cfg) * self.static.k[self.world.ties0]).sum(axis=1)
        reference = np.maximum(spend0, cfg.budget.min_reference)
        room = self.world.fiscal_room * cfg.budget.fiscal_multiplier
        self.budget = spend0 + cfg.budget.headroom * room * reference
        # a cost weighs less on a larger state: perceived cost x (median cap / cap)**e
        ratio = data.median_capability() / np.maximum(self.world.capability, 1e-6)
        self.size_factor = ratio**cfg.costs.size_elasticity
        self._perceived: np.ndarray | None = None
        self._caps: np.ndarray | None = None

    def perceived_cost(self) -> np.ndarray:
        """Each state's perceived cost scale of each tie: doctrine x size x cost.

        Cached; ``_rebuild`` and ``_refresh_doctrines`` invalidate it.
        """
        if self._perceived is None:
            self._perceived = (self._mult["cost"] * self.size_factor)[:, None] * self.static.cost
        return self._perceived

    def _level_caps(self) -> np.ndarray:
        """Highest level per pair: the doctrine's cap and the political ceiling (cached)."""
        if self._caps is None:
            self._caps = np.minimum(self._max_level[:, None], self.world.cap_ceiling)
        return self._caps

    def _refresh_doctrines(self) -> None:
        """Per-row doctrine names, multipliers and level caps (after any doctrine change)."""
        names = list(self.base_doctrines)
        for r, row in enumerate(self.learner.rows):
            names[row] = self.learner.options[self.learner.playing[r]]
        self.doctrine_names = names
        objs = [doctrines.get(d) for d in names]
        self._mult = {
            t: np.array([getattr(o, t) for o in objs], float)
            for t in ("security", "affinity", "economic", "risk", "cost")
        }
        self._max_level = np.array([o.max_level for o in objs], np.intp)
        self._perceived = None
        self._caps = None
        self._value_rest: np.ndarray | None = None
        groups: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(names):
            groups[d].append(i)
        self._groups = {d: np.array(rows) for d, rows in groups.items()}

    # ------------------------------------------------------------------ the step
    def step(self) -> None:
        """Advance one step: events, great powers, decide, commit, measure."""
        for ev in self.events.get(self.steps, ()):
            self._apply_event(ev)
        if self._network_dirty:  # events changed the network or its terms
            self._measure_network()
        for agent in self.agents_by_type.get(GreatPower, ()):
            agent.act()
        decision = self._decide()
        self.ties += decision.delta
        self.last_delta = decision.delta
        if decision.upgrades or decision.downgrades:
            self._invalidate()
        self.upgrades, self.downgrades = decision.upgrades, decision.downgrades
        self._measure()
        self._learn()
        if self.collect:
            self.datacollector.collect(self)
        if self.recorder is not None:
            self.recorder.record(self)
        if self.steps >= self.config.time.horizon:
            self.running = False

    def value_matrix(self) -> np.ndarray:
        """Each state's valuation of each tie now, before the random shock (row = valuer).

        The security term changes every step with trust; every other term depends only on
        the network, the doctrines, the bonds and the parameters, and is cached until one
        of those changes (``_invalidate``).
        """
        w, cfg, st, m = self.world, self.config, self.static, self._mult
        if self._value_rest is None:
            wt = cfg.weights
            econ, risk = economic_terms(
                self.ties, w.exposure_china, w.exposure_us, self.camp, st.f, cfg, w.us, w.china
            )
            rest = (
                m["affinity"][:, None] * st.affinity
                + (m["economic"] * wt.economic)[:, None] * econ
                - (m["risk"] * wt.risk)[:, None] * risk
                + self.bond
            )
            ctx = doctrines.Context(w, cfg, st, self.ties, self.camp, self.alignment)
            for name, rows in self._groups.items():
                extra = doctrines.get(name).extra(ctx, rows)
                if extra is not None:
                    rest[rows] += extra
            self._value_rest = rest
        weight = m["security"] * cfg.weights.security
        sec = trust_weighted_security(st.security, self.trust, cfg.learning.trust_sensitivity, w.us)
        value = weight[:, None] * sec
        value += self._value_rest
        return value

    def _invalidate(self) -> None:
        """The network, doctrines, bonds or parameters changed: drop the cached terms."""
        self._network_dirty = True
        self._value_rest = None

    def _decide(self) -> Decision:
        value = self.value_matrix()
        sd = self.config.noise.decision
        if sd > 0:
            shock = self.rng.standard_normal(value.shape)
            shock *= sd
            value += shock
        cost = self.static.cost
        spend = (cost * self.static.k[self.ties]).sum(axis=1)
        return decide(
            value=value,
            ties=self.ties,
            f=self.static.f,
            k=self.static.k,
            cost=self.perceived_cost(),
            real_cost=cost,
            headroom=self.budget - spend,
            sunk=self.config.costs.sunk,
            max_level=self._level_caps(),
            max_initiatives=self.config.ladder.max_initiatives,
            tables=self.static.steps,
        )

    # ------------------------------------------------------------------ measures
    def _measure(self) -> None:
        w = self.world
        if self._network_dirty:
            self._measure_network()
        wt = self.config.weights
        security = self._secured_sum
        if w.us >= 0:  # the US guarantee is realised at this step's reliability signal
            security = security - self._secured_us * (1.0 - self.us_signal)
        pay = {
            "security": wt.security * security,
            "values": self._values,
            "economic": wt.economic * (self.inducement - self.us_costs)
            - wt.risk * self.retaliation,
            "autonomy": -self.spend,
        }
        pay["payoff"] = pay["security"] + pay["values"] + pay["economic"] + pay["autonomy"]
        self.payoffs = pay
        self.churn = self.upgrades + self.downgrades  # pairs that moved this step
        means = np.stack([self.trust, self.alignment, self.hedging])[:, self._others].mean(axis=1)
        self.mean_trust, self.mean_alignment, self.mean_hedging = (float(v) for v in means)
        self.date = self._dates[self.steps]
        self.uk_japan = self.level("GBR", "JPN")

    def _measure_network(self) -> None:
        """Measures that depend only on the tie network (recomputed when it changes)."""
        w, st, ties = self.world, self.static, self.ties
        self._network_dirty = False
        self.f_ties = f_ties = st.f[ties]
        # payoff terms that depend only on the network (the US signal is applied per step)
        secured = f_ties * st.security
        self._secured_sum = secured.sum(axis=1)
        self._secured_us = secured[:, w.us] if w.us >= 0 else np.zeros(w.n)
        self._values = (f_ties * (st.affinity + self.bond)).sum(axis=1)
        self.spend = (st.cost * st.k[ties]).sum(axis=1)
        self.camp = c = camp(ties, w.us, w.china)
        profile = coalitions.camp_profile(ties, c)
        self.alignment = profile.alignment
        self.toward_us = profile.toward_us
        self.toward_china = profile.toward_china
        self.toward_neither = profile.toward_neither
        self.hedging = coalitions.hedging_index(profile.us_strength, profile.cn_strength)
        labels = coalitions.bloc_labels(ties, self.config.ladder.bloc_level)
        previous = getattr(self, "blocs", None)
        if previous is None or not coalitions.same_partition(previous, labels):
            self.stable_since = self.steps
        self.blocs = labels
        self.polarization = coalitions.polarization(ties, self.alignment)
        self.n_blocs, self.largest_bloc_share = coalitions.bloc_summary(labels, w.capability)
        self.networked_ties, self.networked_alliance = coalitions.networked_alliance(
            ties, self.partners0, w.us, self._partner_pairs
        )
        upper = ties[self._upper]
        counts = np.bincount(upper, minlength=6)
        self.mean_level = float(counts @ np.arange(6) / self._n_pairs)
        self.n_ties = int(self._n_pairs - counts[0])
        self.n_strong = int(counts[coalitions.STRONG :].sum())
        self.n_treaty = int(counts[5])

    def level(self, a: str, b: str) -> float:
        """Current level of the tie between two states (NaN when either is absent)."""
        try:
            return float(self.ties[self.codes.index(a), self.codes.index(b)])
        except ValueError:
            return float("nan")

    def _learn(self) -> None:
        lr = self.learner
        if not len(lr.rows):
            return
        lr.observe(self.payoffs["payoff"])
        cfg = self.config.learning
        if self.steps % cfg.revise_every == 0:
            lr.revise(cfg.doctrine_recency)
            lr.choose(self.rng, cfg.doctrine_temperature)
            self._refresh_doctrines()

    # ------------------------------------------------------------------ events
    def _apply_event(self, ev: Any) -> None:
        events.apply_event(self, ev)

    # ------------------------------------------------------------------ outputs
    def model_frame(self) -> pd.DataFrame:
        """One row per step (step 0 = the start) with every model-level measure."""
        df = self.datacollector.get_model_vars_dataframe()
        df.index.name = "step"
        return df.reset_index()

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
