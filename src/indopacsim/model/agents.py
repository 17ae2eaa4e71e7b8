"""Agents: every state is a :class:`StateAgent`; the US, China and Russia are :class:`GreatPower`.

A state's variables live in the model's arrays (row ``agent.index``), so that the
pairwise terms and the decisions are computed for all states at once; the agent
exposes them as attributes for Mesa's tools (AgentSet queries, DataCollector agent
reporters, the live view). Great powers also act each step before the others decide:
the US sends a noisy signal of its reliability, from which every state updates its trust
(and rebukes and taxes its partners); China rewards engagement and retaliates against
alignment with the US camp, each scaled by the target's trade exposure.
"""

from __future__ import annotations

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
    """A great power whose policy the scenario sets (``us``, ``china`` or ``russia``)."""

    def __init__(
        self, model: IndoPacModel, iso3: str, index: int, role: Literal["us", "china", "russia"]
    ):
        super().__init__(model, iso3, index)
        self.role = role

    def act(self) -> None:
        """Apply this power's per-step policy to the other states (see the module doc).

        Russia has no per-step action: its hostility is a scenario parameter (events
        change it) that enters every state's threat perception.
        """
        m = self.model
        if self.role == "us":
            us = m.config.us
            signal = m.rng.normal(us.reliability, m.config.noise.reliability)
            m.us_signal = min(max(float(signal), 0.0), 1.0)
            rate = m.config.learning.trust_rate
            m.trust += (rate * (m.us_signal - m.trust)) * m.learns_trust
            engaged_cn = m.f_ties[:, m.world.china] if m.world.china >= 0 else 0.0
            m.us_costs = (
                us.rebuke * engaged_cn + us.transactional_pressure * m.world.exposure_us
            ) * m.f_ties[:, self.index]
            m.us_costs[self.index] = 0.0
        elif self.role == "china":
            cn = m.config.china
            exposure = m.world.exposure_china
            toward_us = m.f_ties @ np.maximum(m.camp, 0.0)
            m.retaliation = cn.retaliation * exposure * toward_us
            m.inducement = cn.inducement * exposure * m.f_ties[:, self.index]
            m.retaliation[self.index] = m.inducement[self.index] = 0.0
