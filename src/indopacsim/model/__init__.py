"""The mechanism: world compilation, geography, static terms, the per-step kernels with a
leading run axis, the engine (R runs), doctrines, learning, players' moves, agents, the
Mesa model, the ensemble and the recorder. See ``docs/model.md`` (ODD)."""

from indopacsim.model.ensemble import run_ensemble
from indopacsim.model.model import IndoPacModel
from indopacsim.model.moves import Moves

__all__ = ["IndoPacModel", "Moves", "run_ensemble"]
