"""The registry of strategy doctrines: policies over the same choices.

A doctrine turns the shared value terms of :mod:`indopacsim.model.kernel` into one
state's valuation of its ties. Each is a :class:`Doctrine` with metadata (a one-line
summary, the theory it formalizes) and traits, registered under a name; the scenario
assigns one per state (``default_doctrine`` and ``states.ISO3.doctrine``), and the
``adaptive`` doctrine learns between the others. Traits multiply the value terms for the
rows of the states that follow the doctrine; :meth:`Doctrine.extra` adds a doctrine's own
value per unit of depth (``DEPTH[L]``). All doctrines choose among the same moves
(``ladder.max_initiatives`` upgrades pursued and one downgrade per step), so their
consequences differ only through what they value.

Contract (tests/test_doctrines.py runs it over every registered doctrine): ``extra``
returns ``None`` or a finite float array of shape ``(R, len(rows), n)`` and draws no random
numbers; traits are non-negative; ``max_level`` is within the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from indopacsim.model.kernel import Policy
from indopacsim.scenario.schema import DOCTRINE_NAMES
from indopacsim.tiescale import MAX_LEVEL


@dataclass(frozen=True, eq=False)
class Context:
    """What a doctrine sees when it values ties (arrays with the run axis first).

    Attributes:
        threat: (R, N, K) threat each state faces from each source.
        src: (K,) indices of the sources.
        camp: (R, N) camp score of every state (+1 US camp, -1 China's).
        alignment: (R, N) alignment index of every state.
        security_weight: The security weight ``weights.security``.
        great_powers: Indices of the US, China and Russia present.
    """

    threat: np.ndarray
    src: np.ndarray
    camp: np.ndarray
    alignment: np.ndarray
    security_weight: float
    great_powers: tuple[int, ...]


class Doctrine:
    """Base doctrine: every trait 1, no extra term.

    Attributes:
        name: Registry key.
        summary: One line for tables and the CLI.
        source: The theory or the section of the paper it formalizes.
        security, affinity, economic, risk, cost, channel: Multipliers of the value terms.
        us_weight: Multiplier of the security value of the tie to the US.
        max_level: Highest ladder level the doctrine will seek.
    """

    name: ClassVar[str] = "base"
    summary: ClassVar[str] = ""
    source: ClassVar[str] = ""
    security: ClassVar[float] = 1.0
    affinity: ClassVar[float] = 1.0
    economic: ClassVar[float] = 1.0
    risk: ClassVar[float] = 1.0
    cost: ClassVar[float] = 1.0
    channel: ClassVar[float] = 1.0
    us_weight: ClassVar[float] = 1.0
    max_level: ClassVar[int] = MAX_LEVEL
    learnable: ClassVar[bool] = True
    #: Whether :meth:`extra` reads the ties alone (camp and alignment, not the threat), so
    #: that its values hold while the ties do (a doctrine without an extra term needs none).
    ties_only: ClassVar[bool] = False

    def extra(self, ctx: Context, rows: np.ndarray) -> np.ndarray | None:
        """Additional value per unit of depth of each tie for the given rows (or ``None``)."""
        return None

    @classmethod
    def traits(cls) -> dict[str, float]:
        """The doctrine's multipliers and level cap, for tables and manifests."""
        return {
            "security": cls.security,
            "affinity": cls.affinity,
            "economic": cls.economic,
            "risk": cls.risk,
            "cost": cls.cost,
            "channel": cls.channel,
            "us_weight": cls.us_weight,
            "max_level": cls.max_level,
        }


REGISTRY: dict[str, Doctrine] = {}


def register(cls: type[Doctrine]) -> type[Doctrine]:
    """Class decorator: add one instance of ``cls`` to :data:`REGISTRY` under ``cls.name``."""
    if cls.name in REGISTRY:
        raise ValueError(f"doctrine {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls()
    return cls


@register
class Balance(Doctrine):
    """Balance against the main threat with the partners that add most security."""

    name = "balance"
    summary = "Ally with capable partners against the main threat; accept economic risk."
    source = "Balance of threat (Walt 1987); paper §5.1 (Japan's proactive deterrence)."
    security = 1.3
    risk = 0.6
    channel = 0.8


@register
class Hedge(Doctrine):
    """Keep ties to both camps; avoid commitments that lean one way."""

    name = "hedge"
    summary = "Keep a foot in both camps; no security commitments; lean back when leaning."
    source = "Hedging (Goh 2005; Kuik 2016); paper §2.2, §7 (a hedge against US unpredictability)."
    security = 0.8
    risk = 1.8
    economic = 1.4
    channel = 1.5
    max_level = 6
    #: Value lost per unit of depth, per unit of (my lean x partner's camp).
    lean_penalty: ClassVar[float] = 0.3
    ties_only = True

    def extra(self, ctx: Context, rows: np.ndarray) -> np.ndarray:
        lean = ctx.alignment[:, rows]
        return -self.lean_penalty * lean[:, :, None] * ctx.camp[:, None, :]


@register
class Bandwagon(Doctrine):
    """Accommodate the main threat rather than balance against it."""

    name = "bandwagon"
    summary = "Accommodate the main threat: deepen ties with it, shun the partners it opposes."
    source = "Bandwagoning (Walt 1987; Schweller 1994, 'Bandwagoning for profit')."
    security = 0.4
    economic = 1.5
    channel = 2.0
    #: Value of depth with my main threat, per unit of that threat (x the security weight):
    #: the security a bandwagoner buys by appeasing the threat instead of balancing it.
    accommodation: ClassVar[float] = 1.0

    def extra(self, ctx: Context, rows: np.ndarray) -> np.ndarray:
        t = ctx.threat[:, rows]  # (R, rows, K)
        r, m, _ = t.shape
        n = ctx.camp.shape[1]
        out = np.zeros((r, m, n))
        main = np.argmax(t, axis=2)
        has = t.max(axis=2) > 0
        rr, ii = np.nonzero(has)
        out[rr, ii, ctx.src[main[rr, ii]]] = (
            self.accommodation * ctx.security_weight * t[rr, ii, main[rr, ii]]
        )
        return out


@register
class Network(Doctrine):
    """Build a web of middle-power ties that reinforce one another."""

    name = "network"
    summary = "Build networked ties among like-minded partners; rely less on the US alone."
    source = "Networked alliance / minilateralism (Cha 2016; paper §4, §7)."
    affinity = 1.6
    security = 1.1
    cost = 0.85
    us_weight = 0.7


@register
class Autonomy(Doctrine):
    """Limit entanglement: few, loose commitments."""

    name = "autonomy"
    summary = "Guard strategic autonomy: commitments cost more; no alliance-like commitments."
    source = "Strategic autonomy; alliance security dilemma: fear of entrapment (Snyder 1984)."
    security = 0.9
    cost = 1.4
    us_weight = 0.6
    max_level = 5


@register
class Adaptive(Doctrine):
    """Learn between the other doctrines from realised payoffs.

    See :mod:`indopacsim.model.learning`.
    """

    name = "adaptive"
    summary = "Reinforcement learning between the other doctrines from realised payoffs."
    source = "Roth-Erev reinforcement learning (Erev & Roth 1998)."
    learnable = False


@register
class GreatPowerPolicy(Doctrine):
    """Policy of the US, China and Russia: the shared terms, no doctrine tilt.

    Their rivals' threat is positional (not discounted by distance), so great powers value
    partners near their rivals (forward access); the scenario's policy sections (US
    reliability and pressure, China's coercion, retaliation and inducements, Russia's
    threat) act through the terms themselves.
    """

    name = "great_power"
    summary = "Great-power policy: value partners against rivals; scenario policies apply."
    source = "Paper §2.2 (US transactionalism), §2.1 and §6 (Chinese statecraft)."
    learnable = False


#: The doctrines the adaptive doctrine learns between, in a fixed order.
LEARNABLE: tuple[str, ...] = tuple(
    name for name, d in REGISTRY.items() if d.learnable and name in DOCTRINE_NAMES
)


def get(name: str) -> Doctrine:
    """Return a registered doctrine by name.

    Raises:
        KeyError: naming the known doctrines.
    """
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown doctrine {name!r}; known: {', '.join(REGISTRY)}") from None


def policy_arrays(names: np.ndarray) -> Policy:
    """Doctrine traits by row from a (R, N) array of doctrine names."""
    uniq = {n: get(n) for n in np.unique(names)}

    def trait(t: str) -> np.ndarray:
        out = np.empty(names.shape)
        for n, d in uniq.items():
            out[names == n] = getattr(d, t)
        return out

    pol = Policy(
        **{t: trait(t) for t in ("security", "affinity", "economic", "risk", "cost")},
        channel=trait("channel"),
        us_weight=trait("us_weight"),
        max_level=trait("max_level").astype(np.int8),
    )
    return pol


def groups(names: np.ndarray) -> list[tuple[Doctrine, np.ndarray, np.ndarray | None]]:
    """Each doctrine in a (R, N) array of names, the rows that follow it in some run, and
    the mask of those runs (R, rows, 1), ``None`` when it is every run."""
    out = []
    for name in np.unique(names):
        mask = names == name
        rows = np.flatnonzero(mask.any(axis=0))
        runs = mask[:, rows, None]
        out.append((get(name), rows, None if runs.all() else runs))
    return out


def ties_only(by_doctrine: list[tuple[Doctrine, np.ndarray, np.ndarray | None]]) -> bool:
    """Whether every doctrine of :func:`groups` values its extra from the ties alone."""
    return all(type(d).extra is Doctrine.extra or d.ties_only for d, _, _ in by_doctrine)


def extra_values(
    ctx: Context,
    by_doctrine: list[tuple[Doctrine, np.ndarray, np.ndarray | None]],
    shape: tuple[int, ...],
) -> np.ndarray:
    """Each doctrine's extra value per unit of depth (R, N, N) on the rows that follow it."""
    out = np.zeros(shape)
    for doctrine, rows, runs in by_doctrine:
        if type(doctrine).extra is Doctrine.extra:  # no extra term (the base's None)
            continue
        extra = doctrine.extra(ctx, rows)
        if extra is not None:
            out[:, rows] += extra if runs is None else extra * runs
    return out


def table() -> list[dict[str, object]]:
    """One row per registered doctrine with its metadata and traits."""
    return [
        {"name": d.name, "summary": d.summary, "source": d.source, **d.traits()}
        for d in REGISTRY.values()
    ]
