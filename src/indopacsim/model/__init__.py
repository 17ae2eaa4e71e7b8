"""The mechanism: world compilation, geography, preference terms, decisions, doctrines,
learning, agents, the Mesa model and its recorder. See ``docs/model.md`` (ODD)."""

from indopacsim.model.model import IndoPacModel

__all__ = ["IndoPacModel"]
