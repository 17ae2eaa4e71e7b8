"""The model's parameter sections: policies of the great powers and the mechanism's terms.

Every field has a documented default; ``docs/model.md`` traces each to the source paper
or to the theory it formalizes, and gives the calibration that produced it
(``indopacsim.validation.calibration``, on data from before 2020 only). The five handles of the
paper's drivers are ``us.reliability``, ``china.coercion``, ``china.retaliation``,
``russia.threat`` and ``costs.distance``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from indopacsim.scenario.types import DoctrineName, Frozen, NonNeg, Positive, Prob


class USPolicy(Frozen):
    """United States policy (paper §2.2, §6, §7)."""

    reliability: Prob = Field(
        0.55,
        description="Mean of the US reliability signal; trust drifts to it less the pressure felt.",
    )
    initial_trust: Prob = Field(
        0.6, description="Allies' trust in the US at the start (per state: states.ISO3.trust_us)."
    )
    transactional_pressure: Prob = Field(
        0.5, description="Tariffs and burden-sharing demands: lowers allies' signal, taxes US ties."
    )
    rebuke: Prob = Field(
        0.4, description="Cost the US imposes on partners for visible ties with its rivals."
    )
    reach_km: Positive = Field(
        9000.0, description="Half-strength distance of US power: forward bases extend its reach."
    )


class ChinaPolicy(Frozen):
    """People's Republic of China policy (paper §2.1, §6)."""

    coercion: Prob = Field(0.6, description="Military and grey-zone pressure: China's hostility.")
    retaliation: Prob = Field(
        0.4, description="Economic punishment of visible alignment with its rivals, x exposure."
    )
    inducement: Prob = Field(
        0.3, description="Economic reward for engagement with China, x exposure."
    )
    growth: Annotated[float, Field(ge=-0.1, le=0.2)] = Field(
        0.03, description="Yearly growth of China's capability relative to the others."
    )


class RussiaPolicy(Frozen):
    """Russian Federation policy (paper §2.1, §6: the UK's main threat)."""

    threat: Prob = Field(0.7, description="Russia's hostility as a threat source.")


class Weights(Frozen):
    """Weights of the terms of a tie's value (``docs/model.md``, Submodels)."""

    security: NonNeg = Field(12.2177, description="Security gained against the threats one faces.")
    values: NonNeg = Field(0.5, description="Regime similarity (negative for unlike regimes).")
    institutions: NonNeg = Field(0.15, description="Shared memberships (Jaccard).")
    rivalry: NonNeg = Field(0.6, description="Value lost per unit of dispute intensity.")
    hostility: NonNeg = Field(
        0.2869, description="Value lost per unit of a partner's general hostility (shunning)."
    )
    channel: NonNeg = Field(
        1.0, description="Value of dialogue with a state that threatens one (crisis management)."
    )
    economic: NonNeg = Field(3.2293, description="Trade engagement and great-power inducements.")
    risk: NonNeg = Field(1.0, description="Weight of expected Chinese retaliation and US rebuke.")
    lattice: NonNeg = Field(
        14.5843,
        description="Security from a lattice of willing partners against a shared threat.",
    )
    shared_partners: NonNeg = Field(
        0.0536,
        description=(
            "Value per rung of the depth of the partners a pair shares "
            "(triadic closure; 0 switches it off)."
        ),
    )


class ThreatSpec(Frozen):
    """Threat perception (Walt 1987) and the loss-of-strength gradient (Boulding 1962)."""

    lsg_half_distance_km: Positive = Field(
        2000.0, description="Distance over which projected strength halves."
    )
    dispute_weight: NonNeg = Field(
        0.5, description="Hostility added by a dispute or rivalry of intensity 1."
    )
    solidarity: Prob = Field(
        0.3, description="A partner's willingness to help against a threat it does not share."
    )
    access: NonNeg = Field(
        1.0, description="Weight of operating from a partner's territory nearer the contest."
    )
    coverage_scale: Positive = Field(
        0.559, description="Help at which a threat is covered to 1 - 1/e (diminishing returns)."
    )
    lattice_scale: Positive = Field(
        2.0,
        description="Willing partner depth at which the lattice need is met to 1 - 1/e.",
    )
    pooling: NonNeg = Field(
        0.5489,
        description="Share of the threat of an aligned source that a source adds (an axis).",
    )


class Costs(Frozen):
    """Costs of institutionalised ties (paper §6: distance and logistics; fiscal limits)."""

    base: NonNeg = Field(0.0494, description="Cost of holding a treaty-level tie nearby, per step.")
    distance: NonNeg = Field(0.027, description="Added treaty-level cost per 10,000 km.")
    size_elasticity: Annotated[float, Field(ge=0.0, le=2.0)] = Field(
        0.4, description="Perceived cost x (median capability / own capability)**elasticity."
    )
    opening: NonNeg = Field(
        0.0349,
        description="One-off cost of opening a channel where there is none (the first rung).",
    )
    fiscal_strain: NonNeg = Field(
        2.0, description="Marginal cost multiplier 1 + strain x (spend / budget)**2."
    )


class Budget(Frozen):
    """Resources for commitments (paper §6: domestic constraints)."""

    headroom: NonNeg = Field(
        0.3,
        description="Budget above the start's spending at fiscal room 1, as a share of the "
        "larger of the state's and the median state's starting spending.",
    )
    fiscal_multiplier: NonNeg = Field(
        1.0, description="Multiplies every state's fiscal room (tightening < 1 < loosening)."
    )
    threat_elasticity: NonNeg = Field(
        0.5, description="Budget growth per unit of relative growth in the threat one faces."
    )


class Ladder(Frozen):
    """Moving along the tie ladder (``indopacsim.tiescale``)."""

    max_initiatives: int = Field(
        1, ge=1, le=50, description="Upgrades a state can pursue per step (diplomatic bandwidth)."
    )
    pursuit: Literal["feasible", "own"] = Field(
        "feasible",
        description="Upgrades a state pursues: its best among deals the partner would "
        "accept (feasible) or its best by its own gain alone (own).",
    )
    up_hazard: Prob = Field(
        0.0704, description="Top chance per step that a wanted upgrade from level 0 is agreed."
    )
    down_hazard: Prob = Field(
        1.0, description="Top chance per step that a wanted downgrade happens (a large loss)."
    )
    hazard_scale: Positive = Field(
        0.0025, description="Deal value at which an upgrade's chance reaches 63% of its top rate."
    )
    down_scale: Positive = Field(
        0.1698,
        description="Value of a cut to the state that wants it at which the cut's chance "
        "reaches 63% of its top rate.",
    )
    depth_decay: Annotated[float, Field(ge=0.0, le=2.0)] = Field(
        0.4019,
        description="Decay of the top upgrade chance per rung of depth: up_hazard x exp(-decay L).",
    )
    summit_hazard: Prob = Field(
        0.5,
        description="Top chance that a summit or 2+2 concludes an upgrade both sides want "
        "(an estimate; not calibrated).",
    )
    side_payments: Prob = Field(
        0.0,
        description="Share of a deal's joint gain that can compensate the side that gains less.",
    )
    bloc_level: Annotated[int, Field(ge=0, le=8)] = Field(
        4, description="Minimum level for a tie to bind a bloc."
    )

    @property
    def feasible(self) -> bool:
        """Whether states pursue only deals worth making to the pair (``pursuit``)."""
        return self.pursuit == "feasible"

    @property
    def hazards(self) -> tuple[float, float, tuple[float, float], float]:
        """The rates :func:`indopacsim.model.hazards.choose_moves` reads: the top rates of
        an upgrade and a cut, their scales and the depth decay."""
        scales = (self.hazard_scale, self.down_scale)
        return (self.up_hazard, self.down_hazard, scales, self.depth_decay)


class Learning(Frozen):
    """Belief updating about US reliability and doctrine learning."""

    trust_rate: Prob = Field(0.1, description="Weight of the newest US signal in trust.")
    doctrine_recency: Prob = Field(0.1, description="Forgetting rate of doctrine attractions.")
    doctrine_temperature: Positive = Field(0.05, description="Softmax temperature of choice.")
    revise_every: int = Field(4, ge=1, description="Steps between doctrine revisions.")


class Noise(Frozen):
    """Sources of randomness (all drawn from the model's generator)."""

    decision: NonNeg = Field(0.0237, description="SD of the per-step shock to each tie's value.")
    reliability: NonNeg = Field(0.15, description="SD of the per-step US reliability signal.")


class Crises(Frozen):
    """Crises as a stochastic process (Taiwan Strait, South China Sea, Korean peninsula)."""

    rate: NonNeg = Field(
        0.04, description="Chance per step of a crisis in each theatre at source hostility 1."
    )
    severity: NonNeg = Field(0.5, description="Alarm added at the theatre (decays with distance).")
    half_life_steps: Positive = Field(8.0, description="Steps over which alarm halves.")
    trust_shock: Prob = Field(
        0.1, description="Trust gained (US responds) or lost (it does not) in the theatre."
    )


class StatusQuo(Frozen):
    """Pair-level status-quo terms fitted to the starting network (partial adjustment)."""

    fit: bool = Field(True, description="Fit the terms so that the start is near a rest point.")
    rho_up: Prob = Field(
        0.1756, description="Share of each pair's starting pressure to move up the terms absorb."
    )
    rho_down: Prob = Field(
        0.6344, description="Share of each pair's starting pressure to move down the terms absorb."
    )
    margin: NonNeg = Field(
        2.0, description="Depth inside the rest region, in decision-noise standard deviations."
    )
    reference: dict[str, float] = Field(
        default_factory=dict,
        description="Driver values under which the start is fitted (defaults: the schema's).",
    )
    doctrines: dict[str, DoctrineName] = Field(
        default_factory=dict,
        description=(
            "Doctrines under which the start is fitted (recorded when an override first sets"
            " a doctrine; a state not listed: its doctrine in force)."
        ),
    )


#: Driver parameters the status-quo fit holds at their reference values, so that a run's
#: own values of them move it away from the fitted rest point.
REFERENCE_PATHS = (
    "us.reliability",
    "us.transactional_pressure",
    "us.rebuke",
    "china.coercion",
    "china.retaliation",
    "china.inducement",
    "russia.threat",
    "costs.distance",
    "budget.fiscal_multiplier",
)

__all__ = [
    "REFERENCE_PATHS",
    "Budget",
    "ChinaPolicy",
    "Costs",
    "Crises",
    "Ladder",
    "Learning",
    "Noise",
    "RussiaPolicy",
    "StatusQuo",
    "ThreatSpec",
    "USPolicy",
    "Weights",
]
