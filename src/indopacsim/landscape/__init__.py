"""Landscape theory of aggregation (Axelrod & Bennett 1993): the energy core, exact and
heuristic solvers, results, case files, and the bridge from a model run."""

from indopacsim.landscape.case import Case, load_case
from indopacsim.landscape.core import Landscape, energy, frustration, solve, solve_exact

__all__ = ["Case", "Landscape", "energy", "frustration", "load_case", "solve", "solve_exact"]
