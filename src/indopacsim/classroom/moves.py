"""Players' moves and the one adapter between the game and the model's moves interface.

A :class:`Choice` is what a player (or a team of players) decides for its state in one
turn; it mirrors the model's ``indopacsim.Moves`` field for field. The functions at the
bottom are the *only* place where the classroom talks to the model about moves
(``model.submit_moves`` and ``model.doctrine_moves``): when the model lacks them (an
older version) moves are recorded but not applied, and :func:`model_supports_moves`
says so, so that the pages can warn the teacher.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

CHINA_STANCES = ("engage", "neutral", "distance")
#: The state the China stance is about ("engage" offers it an upgrade, "distance" thins).
CHINA = "CHN"

#: Doctrines a player may switch to when the registry cannot be read.
_FALLBACK_DOCTRINES = ("balance", "hedge", "bandwagon", "network", "autonomy", "adaptive")


class MoveError(ValueError):
    """A choice that breaks the rules of the game (unknown partner, stance, doctrine)."""


@dataclass(frozen=True)
class Choice:
    """One state's moves for one turn.

    Attributes:
        upgrade: Partners (ISO3) whose tie I propose to deepen by one rung; it happens only
            if the partner proposes it too.
        downgrade: Partners whose tie I thin by one rung (unilateral).
        china: ``"engage"``, ``"neutral"`` or ``"distance"``.
        doctrine: A doctrine to switch to from this turn on, or ``None`` to keep mine.
    """

    upgrade: frozenset[str] = field(default_factory=frozenset)
    downgrade: frozenset[str] = field(default_factory=frozenset)
    china: str = "neutral"
    doctrine: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (sorted lists), the inverse of :meth:`from_dict`."""
        return {
            "upgrade": sorted(self.upgrade),
            "downgrade": sorted(self.downgrade),
            "china": self.china,
            "doctrine": self.doctrine,
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Choice:
        """Build a choice from :meth:`to_dict` output (missing keys take their defaults)."""
        return cls(
            upgrade=frozenset(doc.get("upgrade") or ()),
            downgrade=frozenset(doc.get("downgrade") or ()),
            china=str(doc.get("china") or "neutral"),
            doctrine=doc.get("doctrine") or None,
        )

    def summary(self) -> str:
        """One short line, e.g. ``up JPN; down -; China distance; doctrine balance``."""
        up = ", ".join(sorted(self.upgrade)) or "-"
        down = ", ".join(sorted(self.downgrade)) or "-"
        doc = self.doctrine or "unchanged"
        return f"up {up}; down {down}; China {self.china}; doctrine {doc}"


def validate_choice(
    choice: Choice, me: str, codes: Sequence[str], doctrines: Iterable[str]
) -> Choice:
    """Check a choice against the rules and return it.

    Raises:
        MoveError: On an unknown or own partner, a partner both upgraded and downgraded,
            an unknown China stance or an unknown doctrine.
    """
    known = set(codes) - {me}
    for name, partners in (("upgrade", choice.upgrade), ("downgrade", choice.downgrade)):
        bad = sorted(set(partners) - known)
        if bad:
            raise MoveError(f"{name}: not a partner of {me}: {', '.join(bad)}")
    both = sorted(choice.upgrade & choice.downgrade)
    if both:
        raise MoveError(f"cannot both upgrade and downgrade: {', '.join(both)}")
    if choice.china not in CHINA_STANCES:
        raise MoveError(f"china must be one of {', '.join(CHINA_STANCES)}, not {choice.china!r}")
    if (choice.china == "distance" and CHINA in choice.upgrade) or (
        choice.china == "engage" and CHINA in choice.downgrade
    ):
        raise MoveError(f"the China stance {choice.china!r} contradicts your moves on {CHINA}")
    if choice.doctrine is not None and choice.doctrine not in set(doctrines):
        raise MoveError(f"unknown doctrine {choice.doctrine!r}")
    return choice


def combine(choices: Sequence[Choice]) -> Choice:
    """A team's moves from its members' choices, by majority.

    A partner is upgraded (downgraded) when more than half of the members propose it; the
    China stance and the doctrine are the most common choice, ties going to ``"neutral"``
    and to no change. A team of one plays its member's choice unchanged.
    """
    if len(choices) == 1:
        return choices[0]
    if not choices:
        return Choice()
    half = len(choices) / 2
    up = Counter(p for c in choices for p in c.upgrade)
    down = Counter(p for c in choices for p in c.downgrade)
    return Choice(
        upgrade=frozenset(p for p, n in up.items() if n > half),
        downgrade=frozenset(p for p, n in down.items() if n > half),
        china=_plurality([c.china for c in choices], "neutral"),
        doctrine=_plurality([c.doctrine for c in choices], None),
    )


def _plurality[T](values: Sequence[T], tie: T) -> T:
    counts = Counter(values).most_common()
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return tie
    return counts[0][0]


# ---------------------------------------------------------------------- the model adapter
def model_supports_moves(model: Any) -> bool:
    """Whether the model accepts players' moves (``submit_moves`` and ``doctrine_moves``)."""
    return callable(getattr(model, "submit_moves", None)) and callable(
        getattr(model, "doctrine_moves", None)
    )


def submit_to_model(model: Any, iso3: str, choice: Choice) -> bool:
    """Hand a state's moves to the model for its next step.

    Returns:
        ``True`` when the model took them, ``False`` when it has no moves interface.
    """
    if not model_supports_moves(model):
        return False
    model.submit_moves(iso3, _to_model_moves(choice))
    return True


def doctrine_choice(model: Any, iso3: str) -> Choice | None:
    """What the state's doctrine would choose at the next step (``None`` if unknown)."""
    if not model_supports_moves(model):
        return None
    moves = model.doctrine_moves(iso3)
    return Choice(
        upgrade=frozenset(moves.upgrade),
        downgrade=frozenset(moves.downgrade),
        china=str(moves.china),
        doctrine=moves.doctrine,
    )


def _to_model_moves(choice: Choice) -> Any:
    import indopacsim

    moves_cls = getattr(indopacsim, "Moves", None)
    if moves_cls is None:  # a model with submit_moves but no public Moves: duck-typed
        return choice
    return moves_cls(
        upgrade=choice.upgrade,
        downgrade=choice.downgrade,
        china=choice.china,
        doctrine=choice.doctrine,
    )


def doctrine_options() -> tuple[str, ...]:
    """The doctrines a player may switch to (the registry's learnable ones)."""
    try:
        from indopacsim.model import doctrines
    except ImportError:  # pragma: no cover - layout of another version
        return _FALLBACK_DOCTRINES
    return tuple(getattr(doctrines, "DOCTRINE_NAMES", _FALLBACK_DOCTRINES))


def playable_states(model: Any) -> list[str]:
    """The states students can play: all but the great powers, in scenario order."""
    names = list(getattr(model, "doctrine_names", ["?"] * len(model.codes)))
    return [c for c, d in zip(model.codes, names, strict=True) if d != "great_power"]
