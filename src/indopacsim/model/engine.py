"""The engine: R runs of one scenario as one computation, with the kernels of
:mod:`indopacsim.model.kernel`.

The Mesa model (:class:`~indopacsim.model.model.IndoPacModel`) drives an engine with
``R = 1`` and the model's own generator; :func:`indopacsim.model.ensemble.run_ensemble`
drives one with many runs. One step, in order (``docs/model.md``, Process overview):

1. great powers act: the US sends its reliability signal (trust moves towards it, less
   the transactional pressure an ally feels); alarm decays, then crises strike at random
   in their theatres (alarm rises, trust moves with the US response);
2. every state values a move up and a move down on every tie (the kernel), with a
   random shock, the pair's status-quo terms and any player's moves;
3. upgrades both sides want and downgrades either side wants happen at their hazards;
4. payoffs are realised (security at the realised US signal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from indopacsim import data
from indopacsim.caching import ContentCache, frozen
from indopacsim.coalitions.measures import alignment_index
from indopacsim.model import doctrines, hazards, threatterms, valuation
from indopacsim.model import kernel as K
from indopacsim.model.geography import loss_of_strength
from indopacsim.model.moves import Moves, player_delta
from indopacsim.model.payoffs import realised
from indopacsim.model.statusquo import (
    StatusQuo,
    fit_doctrines,
    fit_status_quo,
    reference_config,
    start_budgets,
)
from indopacsim.model.terms import Terms, build_terms, camp
from indopacsim.model.world import World, compile_world
from indopacsim.scenario.schema import Scenario
from indopacsim.scenario.types import STEP_MONTHS
from indopacsim.tiescale import COST

#: How much a unit of US transactional pressure lowers the reliability signal an ally
#: receives, per unit of its dependence on the US (paper §2.2: tariffs on allies and
#: threats to leave NATO "eroded confidence"). An estimate.
PRESSURE_ON_TRUST = 0.3

#: Cost, per unit of visibility, the US's transactional pressure adds to a tie with it.
PRESSURE_ON_TIES = 0.1

_TERMS = ContentCache(32)
_FITS = ContentCache(32)
_BUDGETS = ContentCache(32)
_DOCTRINES = ContentCache(64)
_STARTS = ContentCache(16)


def terms_for(cfg: Scenario) -> tuple[World, Terms]:
    """The world and static terms of a config (cached by content)."""

    def build() -> tuple[World, Terms]:
        world = compile_world(cfg)
        return world, build_terms(world, cfg, data.median_capability(cfg.world))

    return _TERMS.get_or_build(cfg.digest(), build)


class Engine:
    """The state of R runs of one scenario and the step that advances them.

    Args:
        cfg: The validated scenario in force.
        runs: Number of runs R.
        rng: The generator every random number is drawn from.
        doctrine_names: Starting doctrine of each state (N,), shared by the runs.
        fit: Fit the status-quo terms (``cfg.status_quo.fit`` when ``None``).
    """

    def __init__(
        self,
        cfg: Scenario,
        runs: int,
        rng: np.random.Generator,
        doctrine_names: list[str],
        fit: bool | None = None,
    ):
        self.rng = rng
        self.R = runs
        self.initial_config = cfg
        self.config = cfg
        self.world, self.terms = terms_for(cfg)
        w = self.world
        n = w.n
        self.ties = np.repeat(w.ties0[None].astype(np.int8), runs, axis=0)
        self.trust = np.repeat(w.trust0[None], runs, axis=0).astype(float)
        self.learns_trust = np.ones(n)
        for gp in (w.us, w.china, w.russia):
            if gp >= 0:
                self.learns_trust[gp] = 0.0
        self.alarm = np.zeros((runs, n, len(self.terms.src)))
        self.bond = np.zeros((n, n))
        self.summits = np.zeros((n, n), dtype=bool)
        self._kept: dict[str, tuple[tuple[Any, ...], Any]] = {}
        self.doctrines = np.array([list(doctrine_names)] * runs, dtype=object)
        self._doctrines_changed()
        self.us_signal = np.full(runs, cfg.us.reliability)
        self.steps = 0
        self._setup_budget()
        do_fit = cfg.status_quo.fit if fit is None else fit
        self.status_quo = self._fit() if do_fit else None
        self.last_delta = np.zeros_like(self.ties)

    # ------------------------------------------------------------------ set-up
    def _setup_budget(self) -> None:
        """Budgets from the start's spending under the reference config (see docs/model.md)."""
        cfg = self.initial_config
        build = lambda: start_budgets(cfg, *terms_for(reference_config(cfg)))  # noqa: E731
        self.budget0, self.threat0 = _BUDGETS.get_or_build(cfg.digest(), build)

    def _fit(self) -> StatusQuo:
        ref = reference_config(self.initial_config)
        names = fit_doctrines(ref, self.world.codes, self.doctrines[0])
        return _FITS.get_or_build((ref.digest(), names), lambda: fit_status_quo(ref, names, Engine))

    def parameters_changed(self, cfg: Scenario) -> None:
        """Adopt a new config (an event changed a parameter): rebuild the static terms."""
        self.config = cfg
        self.world, self.terms = terms_for(cfg)
        self._doctrines_changed()

    def set_doctrine(
        self, row: int | list[int], name: str | list[str], runs: slice | np.ndarray = slice(None)
    ) -> None:
        """Change a state's doctrine, or several (lists), in the given runs; refresh the traits."""
        self.doctrines[runs, row] = name
        self._doctrines_changed()

    def _doctrines_changed(self) -> None:
        """Refresh the traits, doctrine rows, caps and crisis rates (read-only, kept by the
        config's and the doctrines' content); forget kept values."""
        names = tuple(map(tuple, self.doctrines.tolist()))
        key = self._doctrines_key = (self.config.digest(), names)
        got = _DOCTRINES.get_or_build(key, self._doctrine_terms)
        self.policy, self._groups, self._caps, self._crisis_rates, self.names0 = got[:5]
        self.extras_ties_only = got[5]
        self._kept.clear()

    def _doctrine_terms(self) -> tuple[Any, ...]:
        policy = doctrines.policy_arrays(self.doctrines)
        frozen(*vars(policy).values())
        groups = doctrines.groups(self.doctrines)
        frozen(*(a for g in groups for a in g[1:] if a is not None))
        caps = np.minimum(self.world.cap_ceiling[None], policy.max_level[:, :, None])
        drive = [self.crisis_drive(int(s)) for s in self.world.theatre_source]
        rates = np.array([self.config.crises.rate * d for d in drive])
        names0 = tuple(str(d) for d in self.doctrines[0])
        return (policy, groups, *frozen(caps, rates), names0, doctrines.ties_only(groups))

    def share_start(self, owner: Any, keep: bool = False) -> None:
        """Take the values kept at the start by an engine that started alike (same ``owner``,
        scenario, doctrines, runs: every seed starts alike; kept values hold by their keys);
        ``keep``: give them, once. Small networks only (:data:`hazards.STACK_PAIRS` pairs)."""
        key = (owner, self.initial_config.digest(), *self._doctrines_key, self.R)
        shared = _STARTS.get_or_build(key, dict) if self.ties.size <= hazards.STACK_PAIRS else {}
        if not keep:
            self._kept.update(shared)
        elif not shared:
            shared.update(self._kept)

    def kept(self, name: str, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """A value derived from the state, kept under ``name`` while built from ``key``: the
        bytes of the arrays it reads, so changes in place (events, players, tests) are seen.
        A change of parameters or doctrines forgets every kept value; arrays are read-only."""
        hit = self._kept.get(name)
        if hit is None or hit[0] != key:
            hit = self._kept[name] = (key, build())
        return hit[1]

    # ------------------------------------------------------------------ dynamics
    @property
    def years(self) -> float:
        """Years elapsed since the start."""
        return self.steps * STEP_MONTHS[self.config.time.step] / 12.0

    def budget(self, threat: np.ndarray | None = None) -> np.ndarray:
        """B_i(t) = B0_i max(1 + e (T_i(t) / T_i(0) - 1), 0.2): resources follow the threat.

        The floor keeps a fifth of the starting budget however far the threat falls. With
        ``threat`` ``None``, the budget at the threat now (kept with it).
        """
        if threat is None:
            return self._threat_terms()[3]
        growth = np.add.reduce(threat, axis=2) / self.threat0[None] - 1.0
        factor = np.maximum(1.0 + self.config.budget.threat_elasticity * growth, 0.2)
        return self.budget0[None] * factor

    def levels(self) -> np.ndarray:
        """The tie levels as indices (R, N, N), kept while the ties hold (read-only)."""
        return self.kept(
            "levels", (self.ties.tobytes(),), lambda: frozen(self.ties.astype(np.intp))[0]
        )

    def spend(self) -> np.ndarray:
        """(R, N) upkeep of each state's ties."""
        cost = self.terms.real_cost[None]
        build = lambda: frozen(np.add.reduce(cost * COST[self.levels()], axis=2))[0]  # noqa: E731
        return self.kept("spend", (self.ties.tobytes(),), build)

    def _threat_terms(self) -> tuple[np.ndarray, ...]:
        """The threat, the willingness, the lattice cover (R, N, K) and the budget (R, N) now."""

        build = lambda: threatterms.threat_terms(self)  # noqa: E731
        return self.kept("threat", (self.ties.tobytes(), self.alarm.tobytes(), self.steps), build)

    def depths(self) -> tuple[np.ndarray, ...]:
        """:func:`K.tie_depths` of the ties now, kept while they hold (read-only)."""
        build = lambda: frozen(*K.tie_depths(self.terms, self.levels(), self.world.us))  # noqa: E731
        return self.kept("depths", (self.ties.tobytes(),), build)

    def pressures(self) -> tuple[K.Pressures, np.ndarray, np.ndarray, np.ndarray]:
        """The step's flow terms, the threat (R, N, K), coverage and willingness."""
        cfg, tm, w = self.config, self.terms, self.world
        t, will, lat_cover, budget = self._threat_terms()
        lv, (depth, _, to_us, _) = self.levels(), self.depths()
        helped = K.help_depth(lv, self.trust, w.us, depth)
        cov, gain = K.security_terms(helped, will, tm, t, cfg.threat.coverage_scale)
        assert gain is not None
        if w.us >= 0:
            gain[:, :, w.us] *= self.trust
        need = K.lattice_need(lv, self.trust, w.us, to_us)
        lat = K.lattice_gain(t, lat_cover, need, will, w.us, cfg.threat.lattice_scale)
        exp_risk, ratio = self.exposure(), self.spend() / np.maximum(budget, 1e-9)
        strain = 1.0 + cfg.costs.fiscal_strain * ratio**2
        return K.Pressures(gain, lat, exp_risk, strain), t, cov, will

    def exposure(self) -> np.ndarray:
        """Risk per unit of visibility of each tie now (retaliation, rebuke, pressure): kept
        while each state's tie to the US holds (:func:`K.exposure` reads no other tie)."""
        cfg, w = self.config, self.world
        policy = (w.exposure_china, w.us, w.china, cfg.china.retaliation, cfg.us.rebuke)
        pressure = PRESSURE_ON_TIES * cfg.us.transactional_pressure

        def build() -> np.ndarray:
            args = (*policy, pressure, self.depths()[2])
            return frozen(K.exposure(self.levels(), self.terms, *args))[0]

        return self.kept(
            "exposure", (self.ties[:, :, w.us].tobytes() if w.us >= 0 else b"",), build
        )

    def set_tie(self, i: int, j: int, level: int) -> None:
        """Set the tie between rows ``i`` and ``j`` in every run."""
        self.ties[:, i, j] = self.ties[:, j, i] = level

    def add_bond(self, i: int, j: int, by: float) -> None:
        """Add to the political bond between rows ``i`` and ``j``."""
        self.bond[i, j] += by
        self.bond[j, i] += by

    def hold_summit(self, i: int, j: int) -> None:
        """Rows ``i`` and ``j`` meet at the next step (its upgrade is on the table)."""
        self.summits[i, j] = self.summits[j, i] = True

    def camps(self) -> tuple[np.ndarray, np.ndarray]:
        """The camp scores (R, N) and each state's alignment (R, N) (:func:`alignment_index`
        of each run), kept while the ties hold (read-only)."""

        def build() -> tuple[np.ndarray, np.ndarray]:
            c = camp(self.ties, self.world.us, self.world.china)
            return frozen(c, alignment_index(self.ties, c))

        return self.kept("camp", (self.ties.tobytes(),), build)

    def extras(self, t: np.ndarray) -> np.ndarray:
        """Doctrine-specific value per unit of depth (R, N, N)."""
        w = self.world
        c, align = self.camps()
        ctx = doctrines.Context(
            threat=t,
            src=self.terms.src,
            camp=c,
            alignment=align,
            security_weight=self.config.weights.security,
            great_powers=w.great_powers(),
        )
        return doctrines.extra_values(ctx, self._groups, self.ties.shape)

    def weights(self) -> tuple[float, float, float, float, float]:
        """The value weights in the kernel's order: security, channel, economic, risk, lattice."""
        wt = self.config.weights
        return (wt.security, wt.channel, wt.economic, wt.risk, wt.lattice)

    def values(self) -> tuple[np.ndarray, np.ndarray, K.Pressures, np.ndarray]:
        """Noise-free (up, down) marginal values, the pressures and the threat
        (:func:`indopacsim.model.valuation.values`)."""
        return valuation.values(self)

    def _ladder(self) -> tuple[Any, ...]:
        """What the values read from the ties alone (:func:`hazards.ladder_terms`), kept."""
        sq, opening = self.status_quo, self.config.costs.opening
        fit = None if sq is None else (sq.ties0, sq.up, sq.down)
        build = lambda: hazards.ladder_terms(self.ties, opening, fit)  # noqa: E731
        return self.kept("ladder", (self.ties.tobytes(), id(sq)), build)

    def caps(self) -> np.ndarray:
        """(R, N, N) highest level per pair for each valuer: ceiling and doctrine cap."""
        return self._caps

    def great_powers_act(self) -> None:
        """The US reliability signal and trust; crises in their theatres; alarm decays."""
        cfg = self.config
        signal = self.rng.normal(cfg.us.reliability, cfg.noise.reliability, size=self.R)
        dep = self.depths()[2]
        received = signal[:, None] - PRESSURE_ON_TRUST * cfg.us.transactional_pressure * dep
        self.us_signal = np.minimum(np.maximum(signal, 0.0), 1.0)  # clipped: the same numbers
        received = np.minimum(np.maximum(received, 0.0), 1.0)
        self.trust += cfg.learning.trust_rate * (received - self.trust) * self.learns_trust
        self._crises()

    def _crises(self) -> None:
        cr = self.config.crises
        self.alarm *= 0.5 ** (1.0 / cr.half_life_steps)
        draws = self.rng.random((self.R, len(self.world.theatre_source), 2))
        hits = draws[:, :, 0] < self._crisis_rates
        if not np.logical_or.reduce(hits, axis=None):  # no crisis anywhere (most steps)
            return
        for th in np.logical_or.reduce(hits, axis=0).nonzero()[0]:  # the theatres struck
            hit = hits[:, th]
            self.crisis(int(th), np.flatnonzero(hit), draws[hit, th, 1])

    def crisis_drive(self, source: int) -> float:
        """Hostility that drives crises from a source: its policy, else its worst dispute."""
        if source < 0:
            return 0.0
        w = self.world
        host = float(w.hostility[source])
        return host if host > 0 else float(w.dispute[source].max())

    def crisis(self, theatre: int, runs: np.ndarray, response: np.ndarray | None = None) -> None:
        """A crisis in a theatre in the given runs: alarm near it, trust moves with the US.

        The US responds with probability equal to its reliability (``response`` holds
        uniform numbers; ``None`` draws them). Alarm falls off with the distance from the
        theatre (the loss-of-strength gradient); so does the trust shock.
        """
        w, cr, tm = self.world, self.config.crises, self.terms
        source = int(w.theatre_source[theatre])
        k = np.flatnonzero(tm.src == source)
        if source < 0 or not len(k):
            return
        near = loss_of_strength(w.theatre_km[:, theatre], self.config.threat.lsg_half_distance_km)
        self.alarm[np.ix_(runs, np.arange(w.n), k)] += cr.severity * near[None, :, None]
        if response is None:
            response = self.rng.random(len(runs))
        sign = np.where(response < self.config.us.reliability, 1.0, -1.0)
        shock = cr.trust_shock * sign[:, None] * near[None, :] * self.learns_trust[None, :]
        self.trust[runs] = np.clip(self.trust[runs] + shock, 0.0, 1.0)

    def step(self, overrides: dict[int, Moves] | None = None) -> np.ndarray:
        """Advance every run one step; return the change of the ties (R, N, N)."""
        self.steps += 1
        self.great_powers_act()
        up, down, _, _ = self.values()
        sd = self.config.noise.decision
        if sd > 0:
            shock = self.rng.standard_normal(up.shape)
            shock *= sd
            up += shock
            down -= shock
        lad, draws = self.config.ladder, self.rng.random(up.shape)
        rates = lad.hazards
        summit = (self.summits, lad.summit_hazard) if self.summits.any() else None
        gates = self.kept(
            "gates",
            (self.ties.tobytes(),),
            lambda: hazards.move_gates(self.ties, self._caps, rates, self.world.floor),
        )
        args = (lad.max_initiatives, rates, lad.side_payments, summit, gates, lad.feasible)
        delta = hazards.choose_moves(up, down, self.ties, self.caps(), draws, *args)
        if summit is not None:  # the summits of this step are over
            self.summits[:] = False
        if overrides:
            caps = self.caps()
            for r in range(self.R):
                pd_, decided = player_delta(
                    overrides, self.world.codes, self.ties[r], caps[r], up[r], self.world.floor
                )
                delta[r] = np.where(decided, pd_, delta[r])
        self.ties += delta
        self.last_delta = delta
        return delta

    def payoffs(self) -> dict[str, np.ndarray]:
        """Realised payoff components (R, N) (:func:`indopacsim.model.payoffs.realised`)."""
        return realised(self)
