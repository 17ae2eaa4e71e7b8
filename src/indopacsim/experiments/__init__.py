"""Experiments at scale: experiment files, designs, outcomes, the sweep driver,
executors, the result store, sensitivity analysis and reference models."""

from indopacsim.experiments.analysis import analyze_sweep
from indopacsim.experiments.spec import Experiment, load_experiment
from indopacsim.experiments.store import SweepStore
from indopacsim.experiments.sweep import run_sweep

__all__ = ["Experiment", "SweepStore", "analyze_sweep", "load_experiment", "run_sweep"]
