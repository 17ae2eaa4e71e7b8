"""Measures on tie networks: blocs, communities, alignment and hedging indices, the
networked-alliance index, polarization and stabilization. The model uses them, so this
package sits below :mod:`indopacsim.model`."""

from indopacsim.coalitions.measures import (
    alignment_index,
    bloc_labels,
    bloc_table,
    coalition_measures,
    communities,
    hedging_index,
    networked_alliance,
    polarization,
    stable_since,
)

__all__ = [
    "alignment_index",
    "bloc_labels",
    "bloc_table",
    "coalition_measures",
    "communities",
    "hedging_index",
    "networked_alliance",
    "polarization",
    "stable_since",
]
