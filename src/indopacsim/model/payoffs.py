"""A state's realised payoff each step (``docs/model.md``, section 7.11): the terms of the
tie values summed over its portfolio, with security valued at the realised US signal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from indopacsim.caching import frozen
from indopacsim.model import kernel as K
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
    cov = K.coverage(K.help_depth(lv, signal, w.us, depth), will, tm)
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

    Made at the step's measures; keeps what :func:`realised` reads of the engine (a copy
    of its ties, alarm, bonds and US signal, its config and terms), so that reading it
    later, when the engine has moved on, gives the same numbers. Read while the engine
    still holds that state, it computes on the engine itself (keeping what it builds).
    """

    __slots__ = ("_engine", "_state", "_value")

    def __init__(self, eng: Engine, bond: np.ndarray):
        state = dict(vars(eng))
        state.update(ties=eng.ties.copy(), alarm=eng.alarm.copy(), bond=bond, _kept={})
        state["us_signal"] = eng.us_signal.copy()
        self._engine: Engine | None = eng
        self._state: dict[str, Any] | None = state
        self._value: tuple[dict[str, np.ndarray], np.ndarray] | None = None

    def get(self, kept: dict[str, Any] | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The payoff components (N,) by name and the budgets (N,); ``kept``: values kept
        while computing earlier steps of the same config (shared, as the engine keeps them)."""
        if self._value is None:
            assert self._engine is not None and self._state is not None
            live = self._engine
            eng = live if self._holds(live) else self._replay(type(live), kept)
            pay = realised(eng)
            self._value = ({k: v[0] for k, v in pay.items()}, eng.budget()[0])
            self._engine = self._state = None
        return self._value

    def _holds(self, eng: Engine) -> bool:
        """Whether the engine is still in the state of the step."""
        s = self._state
        assert s is not None
        same = all(getattr(eng, k) is s[k] for k in ("config", "terms", "status_quo", "world"))
        arrays = ("ties", "alarm", "bond", "us_signal")
        return (
            same and eng.steps == s["steps"] and all(_equal(getattr(eng, k), s[k]) for k in arrays)
        )

    def _replay(self, cls: type[Engine], kept: dict[str, Any] | None) -> Engine:
        """An engine in the state of the step (its own kept values, or ``kept``)."""
        eng = object.__new__(cls)
        vars(eng).update(self._state or {})
        if kept is not None:
            eng._kept = kept
        return eng

    def owner(self) -> tuple[Any, ...]:
        """What the kept values of this step depend on besides their keys (config, terms)."""
        s = self._state or {}
        return tuple(s.get(k) for k in ("config", "terms", "status_quo", "world"))


def resolve(steps: list[StepPayoffs]) -> None:
    """Compute the payoffs of many steps in order, sharing kept values between steps of
    the same config and terms (the engine's own keys decide what is reused)."""
    kept: dict[str, Any] = {}
    last: tuple[Any, ...] | None = None
    for p in steps:
        if p._value is None:
            owner = p.owner()
            if last is None or any(a is not b for a, b in zip(owner, last, strict=True)):
                kept, last = {}, owner
            p.get(kept)


def _equal(a: np.ndarray, b: np.ndarray) -> bool:
    return a is b or (a.shape == b.shape and a.tobytes() == b.tobytes())


__all__ = ["PARTS", "StepPayoffs", "realised", "resolve", "tie_sums", "weighted_sums"]
