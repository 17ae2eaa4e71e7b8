"""Agents: every state is a :class:`StateAgent`; the US, China and Russia are :class:`GreatPower`.

A state's variables live in the model's arrays (row ``agent.index``), so that the
pairwise terms and the decisions are computed for all states at once; the agent
exposes them as attributes for Mesa's tools (AgentSet queries, DataCollector agent
reporters, the live view). The great powers' policies act through the engine's terms
(:mod:`indopacsim.model.engine`): the US reliability signal and trust, the US rebuke and
pressure, China's retaliation and inducements, Russia's threat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import mesa
import numpy as np

if TYPE_CHECKING:
    from indopacsim.model.model import IndoPacModel


class StateAgent(mesa.Agent):
    """A state: a row of the model's arrays.

    Args:
        model: The model.
        iso3: ISO3 code.
        index: Row of the state in the model's arrays.
    """

    model: IndoPacModel

    def __init__(self, model: IndoPacModel, iso3: str, index: int):
        super().__init__(model)
        self.iso3 = iso3
        self.index = index

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.iso3})"

    @property
    def doctrine(self) -> str:
        """The doctrine the state follows (for ``adaptive`` states: the one it plays now)."""
        return self.model.doctrine_names[self.index]

    @property
    def trust(self) -> float:
        """Current belief about US reliability, in [0, 1]."""
        return float(self.model.trust[self.index])

    @property
    def alignment(self) -> float:
        """Alignment index in [-1, 1] (+1: US camp)."""
        return float(self.model.alignment[self.index])

    @property
    def hedging(self) -> float:
        """Hedging index in [0, 1]."""
        return float(self.model.hedging[self.index])

    @property
    def payoff(self) -> float:
        """Total realised payoff of the last step."""
        return float(self.model.payoffs["payoff"][self.index])

    def ties(self) -> dict[str, int]:
        """Current ties: partner code -> level, for levels above 0."""
        row = self.model.ties[self.index]
        return {self.model.codes[j]: int(row[j]) for j in np.flatnonzero(row)}


class GreatPower(StateAgent):
    """A great power whose policy the scenario sets (``us``, ``china`` or ``russia``).

    Its acts (the US reliability signal and pressure, China's retaliation and
    inducements, Russia's threat) are terms of the engine (:mod:`indopacsim.model.engine`,
    :mod:`indopacsim.model.kernel`) computed for all states at once; the agent names its
    role for Mesa's tools.
    """

    def __init__(
        self, model: IndoPacModel, iso3: str, index: int, role: Literal["us", "china", "russia"]
    ):
        super().__init__(model, iso3, index)
        self.role = role


def add_agents(model: IndoPacModel, roles: Mapping[str, str]) -> None:
    """One Mesa agent a state: a :class:`GreatPower` for a code in ``roles`` (by its role),
    else a :class:`StateAgent`."""
    for i, code in enumerate(model.codes):
        role = roles.get(code)
        if role is None:
            StateAgent(model, code, i)
        else:
            GreatPower(model, code, i, role)  # type: ignore[arg-type]
