"""Designs: parameters -> a table of points; points x replications -> a table of runs.

Each design kind is a registered :class:`DesignKind` (:data:`DESIGNS`, as
:mod:`indopacsim.model.doctrines` registers doctrines) that owns its checks, its sample,
its sensitivity analysis (if any) and says which figures it supports; tests/test_design_kinds.py
runs the same contract over every kind. The kinds:

- ``full_factorial``: every combination; a range gives ``resolution`` evenly spaced
  values, levels are used as given.
- ``latin_hypercube``, ``sobol`` (Saltelli), ``morris``: SALib samples the
  **uncertainties** (a range is sampled uniformly; levels, in a latin hypercube, are
  drawn with equal probability), seeded with the experiment's root seed; every
  combination of the **levers** is then crossed with the same sample (every policy
  meets the same futures).
- ``table``: the points as given (``design.points`` or a CSV ``design.file``), one
  column per parameter.

Points are ordered lever combination first, then sample: ``sample_id`` is a point's row
in the design sample, which the sensitivity analysis needs. Runs are numbered point by
point: ``run_id = point_id * replications + replicate``, and each run's seed is
``indopacsim.seeds.spawn_seeds(seed, n_runs)[run_id]``, so a run's result never depends
on where or when it is computed.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from indopacsim.errors import InputError
from indopacsim.experiments.sensitivity import Analyzer, morris_indices, sobol_indices
from indopacsim.experiments.table_design import check_table_values, read_table
from indopacsim.scenario.paths import integer_path
from indopacsim.scenario.schema import Scenario
from indopacsim.seeds import spawn_seeds

if TYPE_CHECKING:
    from indopacsim.experiments.spec import Experiment, Parameter


def _is_int(exp: Experiment, p: Parameter) -> bool:
    return exp.is_abm and "." in p.path and integer_path(Scenario, p.path)


def grid(exp: Experiment, p: Parameter) -> list[Any]:
    """The values a parameter takes in a factorial (or as a crossed lever)."""
    if p.levels is not None:
        return list(p.levels)
    assert p.range is not None
    n = p.resolution or exp.design.resolution
    values = np.linspace(p.range[0], p.range[1], n)
    if _is_int(exp, p):
        return sorted({round(float(v)) for v in values})
    return [float(v) for v in values]


def salib_problem(exp: Experiment) -> dict[str, Any]:
    """The SALib problem of the uncertainties (levels mapped to ``[0, 1)``)."""
    names = [p.column for p in exp.uncertainties]
    bounds = [list(p.range) if p.range is not None else [0.0, 1.0] for p in exp.uncertainties]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def sample_columns(exp: Experiment, matrix: np.ndarray) -> dict[str, list[Any]]:
    """The uncertainties' values of a SALib sample (``[0, 1)`` mapped onto levels)."""
    cols: dict[str, list[Any]] = {}
    for j, p in enumerate(exp.uncertainties):
        x = matrix[:, j]
        if p.levels is not None:
            idx = np.minimum((x * len(p.levels)).astype(int), len(p.levels) - 1)
            cols[p.column] = [p.levels[k] for k in idx]
        elif _is_int(exp, p):
            cols[p.column] = [round(float(v)) for v in x]
        else:
            cols[p.column] = [float(v) for v in x]
    return cols


class DesignKind:
    """Base of the design kinds: how parameters become points, what the design requires,
    and what analysis and figures it supports.

    Attributes:
        name: Registry key (``design.kind``).
        summary: One line for docs and tables.
        needs_values: Every parameter must give a range or levels (a table gives values).
        grid: Points lie on a grid of the uncertainties (phase diagrams can be drawn).
        index_columns: Columns of its sensitivity-index table, per parameter (empty: the
            design supports no sensitivity analysis); the first is the one figures show.
        index_title: Title of the index table in the text report.
        index_caption: What the index chart shows (figure captions).
        analyzer: The sensitivity analysis of :mod:`indopacsim.experiments.sensitivity`.
        example: A small ``design`` mapping of this kind for uncertainties ``x1, x2, x3``
            with ranges (the contract tests in tests/test_design_kinds.py run it).
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    needs_values: ClassVar[bool] = True
    grid: ClassVar[bool] = False
    index_columns: ClassVar[tuple[str, ...]] = ()
    index_title: ClassVar[str] = ""
    index_caption: ClassVar[str] = ""
    analyzer: ClassVar[Analyzer | None] = None
    example: ClassVar[dict[str, Any]] = {}

    def check(self, exp: Experiment) -> None:
        """Check the design's settings against the experiment (InputError, no file named)."""
        d = exp.design
        if d.points is not None or d.file is not None:
            raise InputError(
                f"points and file belong to the table design, not {d.kind}", field="design"
            )

    def futures(self, exp: Experiment) -> dict[str, list[Any]]:
        """The uncertainties' values, one list per column, one entry per future."""
        raise NotImplementedError

    def points(self, exp: Experiment) -> pd.DataFrame:
        """``sample_id`` and one column per parameter: every lever combination crossed
        with the same futures (lever combination first, then future)."""
        sample = self.futures(exp)
        n_sample = len(next(iter(sample.values()))) if sample else 1
        policies = list(itertools.product(*(grid(exp, p) for p in exp.levers)))
        cols: dict[str, list[Any]] = {"sample_id": list(range(n_sample)) * len(policies)}
        for name, values in sample.items():
            cols[name] = values * len(policies)
        for j, p in enumerate(exp.levers):
            cols[p.column] = [pol[j] for pol in policies for _ in range(n_sample)]
        return pd.DataFrame(cols)

    def indices(
        self, problem: dict[str, Any], x: np.ndarray, y: np.ndarray, design: dict, seed: int
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Sensitivity indices of one outcome (see :mod:`indopacsim.experiments.sensitivity`)."""
        analyzer = type(self).analyzer  # a plain function, not bound to the kind
        if analyzer is None:
            raise NotImplementedError(f"the {self.name} design has no sensitivity indices")
        return analyzer(problem, x, y, design, seed)


#: The registered design kinds, by name.
DESIGNS: dict[str, DesignKind] = {}


def register(cls: type[DesignKind]) -> type[DesignKind]:
    """Class decorator: add one instance of ``cls`` to :data:`DESIGNS` under ``cls.name``."""
    if not cls.name or cls.name in DESIGNS:
        raise ValueError(f"design kind {cls.name!r} is unnamed or registered twice")
    DESIGNS[cls.name] = cls()
    return cls


def design_kind(name: str) -> DesignKind:
    """The registered design kind of that name (KeyError names the known ones)."""
    try:
        return DESIGNS[name]
    except KeyError:
        raise KeyError(f"unknown design kind {name!r}; known: {', '.join(DESIGNS)}") from None


@register
class FullFactorial(DesignKind):
    """Every combination; a range gives ``resolution`` evenly spaced values."""

    name = "full_factorial"
    summary = "every combination of the parameters' values"
    grid = True
    example: ClassVar[dict[str, Any]] = {"kind": "full_factorial", "resolution": 2}

    def futures(self, exp: Experiment) -> dict[str, list[Any]]:
        futures = list(itertools.product(*(grid(exp, p) for p in exp.uncertainties)))
        return {p.column: [f[j] for f in futures] for j, p in enumerate(exp.uncertainties)}


class _Sampled(DesignKind):
    """SALib samples the uncertainties (seeded with the root seed); levers are crossed."""

    #: Every uncertainty needs a range (the indices are defined over intervals).
    needs_ranges: ClassVar[bool] = False

    def check(self, exp: Experiment) -> None:
        super().check(exp)
        if exp.design.samples is None:
            raise InputError(f"the {self.name} design needs samples", field="design")
        if not exp.uncertainties:
            raise InputError(
                f"the {self.name} design samples the uncertainties: list at least one",
                field="uncertainties",
            )
        if self.needs_ranges:
            for i, p in enumerate(exp.uncertainties):
                if p.range is None:
                    raise InputError(
                        f"the {self.name} design needs a range for every uncertainty",
                        field=f"uncertainties[{i}].range",
                    )

    def futures(self, exp: Experiment) -> dict[str, list[Any]]:
        return sample_columns(
            exp, self.sample(exp, salib_problem(exp), int(exp.design.samples or 1))
        )

    def sample(self, exp: Experiment, problem: dict[str, Any], n: int) -> np.ndarray:
        """The SALib sample in ``[0, 1)`` (levels) or the ranges, one row per future."""
        raise NotImplementedError


@register
class LatinHypercube(_Sampled):
    """A latin hypercube over the uncertainties (levels drawn with equal probability)."""

    name = "latin_hypercube"
    summary = "a latin hypercube sample of the uncertainties"
    example: ClassVar[dict[str, Any]] = {"kind": "latin_hypercube", "samples": 4}

    def sample(self, exp: Experiment, problem: dict[str, Any], n: int) -> np.ndarray:
        from SALib.sample import latin

        return np.asarray(latin.sample(problem, n, seed=exp.seed))


@register
class Sobol(_Sampled):
    """Saltelli's sample for Sobol indices (first-order, total, optionally second-order)."""

    name = "sobol"
    summary = "Saltelli sample and Sobol indices S1, ST (and S2)"
    example: ClassVar[dict[str, Any]] = {"kind": "sobol", "samples": 4}
    needs_ranges = True
    index_columns = ("ST", "S1", "S1_conf", "ST_conf")
    index_title = "Sobol indices (S1, ST) with 95% confidence intervals:"
    index_caption = "S1 first order, ST total, with 95% confidence intervals (SALib)."
    analyzer = sobol_indices

    def check(self, exp: Experiment) -> None:
        super().check(exp)
        n = exp.design.samples
        if n is not None and n & (n - 1):
            raise InputError(
                f"sobol samples must be a power of 2 (Saltelli), got {n}", field="design.samples"
            )

    def sample(self, exp: Experiment, problem: dict[str, Any], n: int) -> np.ndarray:
        from SALib.sample import sobol

        second = exp.design.second_order
        return np.asarray(
            sobol.sample(problem, n, calc_second_order=second, scramble=True, seed=exp.seed)
        )


@register
class Morris(_Sampled):
    """Morris trajectories for elementary-effects screening."""

    name = "morris"
    summary = "Morris trajectories and elementary effects mu, mu*, sigma"
    example: ClassVar[dict[str, Any]] = {"kind": "morris", "samples": 3}
    needs_ranges = True
    index_columns = ("mu_star", "mu", "sigma", "mu_star_conf")
    index_title = "Morris elementary effects (mu*, sigma; 95% interval of mu*):"
    index_caption = "mu* against sigma, with 95% intervals of mu* (SALib)."
    analyzer = morris_indices

    def check(self, exp: Experiment) -> None:
        super().check(exp)
        if exp.design.samples is not None and exp.design.samples < 2:
            raise InputError("morris needs at least 2 trajectories", field="design")

    def sample(self, exp: Experiment, problem: dict[str, Any], n: int) -> np.ndarray:
        from SALib.sample import morris

        return np.asarray(
            morris.sample(problem, n, num_levels=exp.design.num_levels, seed=exp.seed)
        )


@register
class Table(DesignKind):
    """The points as given (``design.points`` or a CSV ``design.file``)."""

    name = "table"
    summary = "the points as given, inline or in a CSV file"
    needs_values = False
    grid = True
    example: ClassVar[dict[str, Any]] = {
        "kind": "table",
        "points": [{"x1": 0.0, "x2": 0.5, "x3": 1.0}, {"x1": 1.0, "x2": 0.5, "x3": 0.0}],
    }

    def check(self, exp: Experiment) -> None:
        d = exp.design
        if (d.points is None) == (d.file is None):
            raise InputError("a table design gives either points or file", field="design")

    def points(self, exp: Experiment) -> pd.DataFrame:
        table = read_table(exp)
        check_table_values(exp, table)
        out = table.reset_index(drop=True)
        out.insert(0, "sample_id", np.arange(len(out)))
        return out


def design_points(exp: Experiment) -> pd.DataFrame:
    """The experiment's points: ``point_id``, ``sample_id`` and one column per parameter.

    Raises:
        InputError: For a table whose columns or values are wrong (no file named).
    """
    out = design_kind(exp.design.kind).points(exp)
    out.insert(0, "point_id", np.arange(len(out), dtype=np.int64))
    return out


def plan_runs(exp: Experiment, n_points: int) -> pd.DataFrame:
    """The runs: ``run_id``, ``point_id``, ``replicate``, ``seed`` (in run_id order)."""
    reps = exp.replications
    n_runs = n_points * reps
    run_id = np.arange(n_runs, dtype=np.int64)
    return pd.DataFrame(
        {
            "run_id": run_id,
            "point_id": run_id // reps,
            "replicate": run_id % reps,
            "seed": np.asarray(spawn_seeds(exp.seed, n_runs), dtype=np.int64),
        }
    )


def frame_digest(df: pd.DataFrame) -> str:
    """SHA-256 of a table's values (for the manifest: the points and the plan)."""
    h = hashlib.sha256()
    h.update(",".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()
