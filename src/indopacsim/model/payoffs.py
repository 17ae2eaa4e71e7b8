"""A state's realised payoff each step (``docs/model.md``, section 7.11): the terms of the
tie values summed over its portfolio, with security valued at the realised US signal.
A Mesa run's payoffs are computed when first read (:class:`StepPayoffs`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from indopacsim.caching import frozen
from indopacsim.model import kernel as K
from indopacsim.model.valuation import shared_steps
from indopacsim.tiescale import CHANNEL, COST, DEPTH, MAX_LEVEL, VISIBILITY

if TYPE_CHECKING:
    from indopacsim.model.engine import Engine

PARTS = ("security", "values", "economic", "autonomy", "payoff")


def realised(eng: Engine) -> dict[str, np.ndarray]:
    """Payoff components (R, N) of every state: security (at the realised US signal, with
    the lattice and the channels), values, economic (trade less exposure), autonomy (less
    upkeep), and their sum ``payoff``."""
    cfg, tm, w = eng.config, eng.terms, eng.world
    t, will, lat_cover, _ = eng._threat_terms()
    signal = eng.us_signal[:, None]
    lv, (depth, _, to_us, _) = eng.levels(), eng.depths()
    cov = K.security_terms(K.help_depth(lv, signal, w.us, depth), will, tm)[0]
    wt = cfg.weights
    channel, vals, econ, auto = weighted_sums(eng)
    sec = wt.security * K.security(t, cov, cfg.threat.coverage_scale)
    need = K.lattice_need(lv, signal, w.us, to_us)
    sec += wt.lattice * K.lattice_security(t, lat_cover, need, cfg.threat.lattice_scale)
    sec += channel
    parts = (sec, vals, econ, auto, sec + vals + econ + auto)
    return dict(zip(PARTS, parts, strict=True))


def weighted_sums(eng: Engine) -> tuple[np.ndarray, ...]:
    """The weighted channel (R, N), the values, the economic part (trade less exposure)
    and autonomy of :func:`tie_sums`, as :func:`realised` adds them (kept with them)."""

    def build() -> tuple[np.ndarray, ...]:
        wt = eng.config.weights
        channel, vals, trade, risk, auto = tie_sums(eng)
        econ = wt.economic * trade
        econ -= wt.risk * risk
        shared = shared_steps(eng)  # the partners each tie shares, per rung (or None)
        if shared is not None:
            vals = vals + np.add.reduce(shared * eng.levels(), axis=2)
        return frozen(wt.channel * channel, vals, econ, auto)

    return eng.kept("weighted tie payoffs", (eng.ties.tobytes(), eng.bond.tobytes()), build)


def tie_sums(eng: Engine) -> tuple[np.ndarray, ...]:
    """The payoff sums (R, N) that depend on the ties alone: channel, values, trade,
    exposure and autonomy (kept by the engine while the ties and the bonds hold)."""

    def build() -> tuple[np.ndarray, ...]:
        tm, lv, anchors = eng.terms, eng.levels(), eng._ladder()[1]
        if anchors is None:
            depth, chan, vis, cost = DEPTH[lv], CHANNEL[lv], VISIBILITY[lv], COST[lv]
        else:  # the anchors of the levels now, kept with the ladder: the same numbers
            depth, chan, _, vis, cost = (a[0] for a in anchors)
        add = np.add.reduce
        return frozen(
            add(tm.channel[None] * chan, axis=2),
            add((tm.affinity[None] + eng.bond[None]) * lv / MAX_LEVEL, axis=2),
            add(tm.trade * chan + tm.inducement * depth, axis=2),
            add(eng.exposure() * vis, axis=2),
            -add(tm.cost_unit[None] * cost, axis=2),
        )

    return eng.kept("tie payoffs", (eng.ties.tobytes(), eng.bond.tobytes()), build)


class StepPayoffs:
    """The payoffs and budgets (run 0) of one step of a Mesa run, computed when first read.

    Made at the step's measures; keeps what :func:`realised` reads of the engine (``state``:
    a copy of its ties, alarm, bonds and US signal, its config and terms; an engine's
    other attributes as they are), so that reading it later, when the engine has moved on,
    gives the same numbers. Read while the engine still holds that state, it computes on
    the engine itself (keeping what it builds); :func:`indopacsim.model.replay.resolve`
    computes many at once.
    """

    __slots__ = ("_engine", "_value", "state")

    def __init__(self, eng: Engine, bond: np.ndarray):
        state = dict(vars(eng))
        state.update(ties=eng.ties.copy(), alarm=eng.alarm.copy(), bond=bond, _kept={})
        state["us_signal"] = eng.us_signal.copy()
        self._engine: Engine | None = eng
        self.state: dict[str, Any] | None = state
        self._value: tuple[dict[str, np.ndarray], np.ndarray] | None = None

    def get(self) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The payoff components (N,) by name and the budgets (N,)."""
        if self._value is None:
            assert self._engine is not None and self.state is not None
            live = self._engine
            eng = live if self._holds(live) else self.replay(type(live))
            self.set({k: v[0] for k, v in realised(eng).items()}, eng.budget()[0])
        assert self._value is not None
        return self._value

    def set(self, payoffs: dict[str, np.ndarray], budget: np.ndarray) -> None:
        """Take the step's payoffs and budgets (computed elsewhere) and let its state go."""
        self._value = (payoffs, budget)
        self._engine = self.state = None

    def _holds(self, eng: Engine) -> bool:
        """Whether the engine is still in the state of the step."""
        s = self.state
        assert s is not None
        same = all(getattr(eng, k) is s[k] for k in ("config", "terms", "status_quo", "world"))
        arrays = ("ties", "alarm", "bond", "us_signal")
        return (
            same and eng.steps == s["steps"] and all(_equal(getattr(eng, k), s[k]) for k in arrays)
        )

    def replay(self, cls: type[Engine]) -> Engine:
        """An engine of class ``cls`` in the state of the step (nothing kept)."""
        eng = object.__new__(cls)
        vars(eng).update(self.state or {})
        return eng


def _equal(a: np.ndarray, b: np.ndarray) -> bool:
    return a is b or (a.shape == b.shape and a.tobytes() == b.tobytes())


__all__ = ["PARTS", "StepPayoffs", "realised", "tie_sums", "weighted_sums"]
