"""The tie scale: the ladder of institutionalisation every layer shares.

A pair's tie level is the highest rung whose defining feature the pair has, from 0 (no
regular security contact) to :data:`MAX_LEVEL` (treaty alliance). The rungs follow the
instruments the source paper names (§3.1: the 2+2, joint exercises, intelligence
sharing, defence-technology co-operation; §4: AUKUS, the Quad, the "networked
alliance"); ``data/ladder.csv`` gives each rung's definition and examples and
``data/HINDCAST.md`` the coding rules. Levels move at most one rung per step; upgrades
need both sides, downgrades one (``docs/model.md``).

Each rung carries documented anchors the mechanism reads (all in [0, 1]):

- :data:`DEPTH`: the share of a treaty ally's wartime help a tie at that rung delivers
  (interoperability grows with exercises, intelligence and access; a treaty adds the
  commitment). Anchored at dialogue ~0 and treaty 1; intermediate values are the
  project's ordinal judgement (estimates), tested for monotonicity.
- :data:`COST`: the share of a treaty-level tie's upkeep (staff talks, exercises,
  deployments, logistics) a tie at that rung costs; grows faster than depth at the
  access and basing rungs, where forces move (paper §6: "9,000 km of logistics").
- :data:`VISIBILITY`: how visible the rung is to a third party (China's retaliation is
  aimed at visible upgrades: Farrell & Newman 2019, weaponized interdependence).
- :data:`CHANNEL`: the crisis-management and trade value of the rung with a state one is
  threatened by (dialogue and the 2+2 carry nearly all of it).
"""

from __future__ import annotations

import numpy as np

#: Top of the ladder (treaty alliance).
MAX_LEVEL = 8

#: Ties at or above this level count as strong (blocs, the networked-alliance index):
#: intelligence-sharing and logistics agreements and above.
STRONG = 4

#: Short name of each rung, indexed by level.
LEVEL_NAMES: tuple[str, ...] = (
    "none",
    "dialogue",
    "ministerial 2+2",
    "exercises",
    "intelligence and logistics",
    "access",
    "co-development",
    "security commitment",
    "treaty alliance",
)

#: Share of a treaty ally's help delivered at each rung (estimates; see the module doc).
DEPTH = np.array([0.0, 0.02, 0.06, 0.16, 0.28, 0.42, 0.52, 0.7, 1.0])

#: Share of a treaty-level tie's upkeep at each rung (estimates).
COST = np.array([0.0, 0.03, 0.07, 0.18, 0.27, 0.45, 0.55, 0.7, 1.0])

#: Visibility of each rung to third parties (estimates).
VISIBILITY = np.array([0.0, 0.0, 0.25, 0.5, 0.55, 0.85, 0.8, 0.95, 1.0])

#: Crisis-management and trade-channel value of each rung with a threatening state.
CHANNEL = np.array([0.0, 0.7, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])

__all__ = ["CHANNEL", "COST", "DEPTH", "LEVEL_NAMES", "MAX_LEVEL", "STRONG", "VISIBILITY"]
