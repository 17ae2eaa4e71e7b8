"""Landscape theory of aggregation (Axelrod & Bennett 1993): the energy core, exact and
heuristic solvers, results, case files, and the bridge from a model run.

Modules, bottom up: ``core`` (actors, sizes, propensities; energy and frustration),
``result`` (minima, fit to an observed alignment), ``exact`` and ``search`` (the
solvers), ``solvers`` (the choice between them), ``case`` (case files and the text
report), ``bridge`` (a landscape from a model run)."""

from indopacsim.landscape.case import Case, load_case
from indopacsim.landscape.core import Landscape, energy, frustration
from indopacsim.landscape.exact import solve_exact
from indopacsim.landscape.solvers import solve

__all__ = ["Case", "Landscape", "energy", "frustration", "load_case", "solve", "solve_exact"]
