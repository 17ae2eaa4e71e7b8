"""The registry of strategy doctrines.

A doctrine turns the shared preference terms into one state's valuation of its ties.
Each is a :class:`Doctrine` with metadata (a one-line summary, the theory it
formalizes, its traits) registered under a name; the scenario assigns one per state
(``default_doctrine`` and ``states.ISO3.doctrine``), and the ``adaptive`` doctrine learns
between the others. Traits multiply the preference terms for the rows of the states
that follow the doctrine; :meth:`Doctrine.extra` adds a doctrine's own term. Everything
is vectorized over the rows of the doctrine's followers.

Contract (tests/test_doctrines.py runs it over every registered doctrine): ``extra``
returns either ``None`` or a finite float matrix of shape ``(len(rows), n)`` and draws
no random numbers; traits are non-negative; ``max_level`` is within the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from indopacsim.model.preferences import MAX_LEVEL, StaticTerms
from indopacsim.model.world import World
from indopacsim.scenario.schema import DOCTRINE_NAMES, Scenario


@dataclass(frozen=True, eq=False)
class Context:
    """What a doctrine sees when it values ties (all arrays indexed by state position)."""

    world: World
    scenario: Scenario
    static: StaticTerms
    ties: np.ndarray
    camp: np.ndarray
    alignment: np.ndarray


class Doctrine:
    """Base doctrine: every trait 1, no extra term.

    Attributes:
        name: Registry key.
        summary: One line for tables and the CLI.
        source: The theory or the section of the paper it formalizes.
        security, affinity, economic, risk, cost: Multipliers of the preference terms.
        max_level: Highest ladder level the doctrine will seek (5 = treaty alliance).
    """

    name: ClassVar[str] = "base"
    summary: ClassVar[str] = ""
    source: ClassVar[str] = ""
    security: ClassVar[float] = 1.0
    affinity: ClassVar[float] = 1.0
    economic: ClassVar[float] = 1.0
    risk: ClassVar[float] = 1.0
    cost: ClassVar[float] = 1.0
    max_level: ClassVar[int] = MAX_LEVEL
    learnable: ClassVar[bool] = True

    def extra(self, ctx: Context, rows: np.ndarray) -> np.ndarray | None:
        """Additional value of each tie for the given rows (``None``: nothing to add)."""
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
    security = 1.25
    risk = 0.75


@register
class Hedge(Doctrine):
    """Keep ties to both camps; avoid commitments that lean one way."""

    name = "hedge"
    summary = "Keep a foot in both camps; shy from treaties and from one-sided alignment."
    source = "Hedging (Goh 2005; Kuik 2016); paper §2.2, §7 (a hedge against US unpredictability)."
    risk = 1.5
    max_level = 4
    #: Value lost per unit of (my lean x partner's camp): leaning further is penalized.
    lean_penalty: ClassVar[float] = 0.15

    def extra(self, ctx: Context, rows: np.ndarray) -> np.ndarray:
        lean = ctx.alignment[rows]
        return -self.lean_penalty * lean[:, None] * ctx.camp[None, :]


@register
class Bandwagon(Doctrine):
    """Accommodate the main threat rather than balance against it."""

    name = "bandwagon"
    summary = "Accommodate the main threat; avoid partners it opposes."
    source = "Bandwagoning (Walt 1987; Schweller 1994, 'Bandwagoning for profit')."
    security = 0.5
    risk = 2.0
    #: Value of a tie with my main threat, per unit of total threat faced.
    accommodation: ClassVar[float] = 2.0

    def extra(self, ctx: Context, rows: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), ctx.world.n))
        threat = ctx.static.main_threat[rows]
        has = threat >= 0
        w = ctx.scenario.weights.security
        out[np.flatnonzero(has), threat[has]] = (
            self.accommodation * w * ctx.static.total_threat[rows][has]
        )
        return out


@register
class Network(Doctrine):
    """Build a web of middle-power ties that reinforce one another."""

    name = "network"
    summary = "Build networked, minilateral ties among like-minded partners (triadic closure)."
    source = "Networked alliance / minilateralism (Cha 2016; paper §4, §7)."
    affinity = 1.5
    #: Value of a tie per shared strong partner (saturating: k / (1 + k)).
    closure: ClassVar[float] = 0.15

    def extra(self, ctx: Context, rows: np.ndarray) -> np.ndarray:
        strong = (ctx.ties >= 3).astype(float)
        common = strong[rows] @ strong
        out = self.closure * common / (1.0 + common)
        for gp in (ctx.world.us, ctx.world.china, ctx.world.russia):
            if gp >= 0:
                out[:, gp] = 0.0
        return np.asarray(out)


@register
class Autonomy(Doctrine):
    """Limit entanglement: few, loose commitments."""

    name = "autonomy"
    summary = "Guard strategic autonomy: commitments cost more; no treaty alliances."
    source = "Strategic autonomy; alliance security dilemma: fear of entrapment (Snyder 1984)."
    security = 0.8
    cost = 1.5
    max_level = 4


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
class GreatPower(Doctrine):
    """Policy of the US, China and Russia, shaped by the scenario's great-power settings.

    Great powers value a partner's location as well as its strength: forward access
    (bases, rotational presence: ladder rung 4) near their rivals, ``access * P * O``,
    with P the projection of the partner's position to the power's threats and O the
    threat overlap (Boulding's gradient read from the power's side).
    """

    name = "great_power"
    summary = "Great-power policy: value partners against rivals; scenario policies apply."
    source = "Paper §2.2 (US transactionalism), §2.1 and §6 (Chinese statecraft)."
    risk = 0.0
    learnable = False

    def extra(self, ctx: Context, rows: np.ndarray) -> np.ndarray:
        w, sc = ctx.world, ctx.scenario
        out = np.zeros((len(rows), w.n))
        access = sc.weights.access * ctx.static.projection[rows] * ctx.static.overlap[rows]
        out += access
        for r, i in enumerate(rows):
            if i == w.us:
                # a transactional US prices its ties: each partner must pay its way
                out[r] = -sc.us.transactional_pressure * ctx.static.cost[i]
            elif i == w.china:
                # China courts the states most exposed to its market
                out[r] = sc.china.inducement * w.exposure_china
        return out


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


def table() -> list[dict[str, object]]:
    """One row per registered doctrine with its metadata and traits."""
    return [
        {"name": n, "summary": d.summary, "source": d.source, **d.traits()}
        for n, d in REGISTRY.items()
    ]
