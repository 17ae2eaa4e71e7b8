"""Analysis of a stored sweep: aggregates per point and per lever, sensitivity indices.

Everything here reads tables (the runs table, the points, the manifest's description of
the design) and returns DataFrames; :func:`write_analysis` saves them as
``SWEEP_DIR/analysis/*.csv``.

- **Aggregates** per point: for each scalar outcome, the number of successful runs, the
  mean, the standard deviation and a 95% confidence interval of the mean (Student t).
- **By lever**: the same over every future (uncertainty sample) and replicate, for each
  combination of levers (e.g. payoffs per doctrine).
- **By calibration set**: when the calibration is an uncertainty (``path: calibration``),
  the same per parameter set and lever combination: does a result hold at every fit?
- **Sobol** (Saltelli design): first-order and total indices S1 and ST with their 95%
  bootstrap confidence intervals (SALib ``sobol.analyze``), from the mean outcome of
  each point over its replicates; one set per lever combination.
- **Morris**: mu, mu*, sigma and the confidence interval of mu* (SALib ``morris.analyze``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from indopacsim.experiments.calibration_sets import PATH
from indopacsim.experiments.designs import design_kind
from indopacsim.experiments.sensitivity import CONFIDENCE
from indopacsim.experiments.store import SweepStore


def _half_width(n: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """Half-width of the 95% Student-t interval of a mean (NaN below two values)."""
    n = np.asarray(n, float)
    sd = np.asarray(sd, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * sd / np.sqrt(n)
    half = np.where(n > 1, half, np.nan)
    return np.where((n > 1) & (sd == 0), 0.0, half)


def aggregate(runs: pd.DataFrame, by: list[str], outcomes: list[str]) -> pd.DataFrame:
    """Tidy aggregates: one row per group and outcome (n, mean, sd, ci_low, ci_high).

    ``n`` counts the runs with a value (a run that raised has none); ``n_failed`` counts
    the runs of the group that raised.
    """
    grouped = runs.groupby(by, sort=True, dropna=False)
    n = grouped[outcomes].count()
    mean = grouped[outcomes].mean()
    sd = grouped[outcomes].std(ddof=1)
    n_failed = grouped["status"].agg(lambda s: int((s != "ok").sum()))
    frames = []
    for o in outcomes:
        half = _half_width(n[o].to_numpy(), sd[o].to_numpy())
        m = mean[o].to_numpy(float)
        frames.append(
            pd.DataFrame(
                {
                    "outcome": o,
                    "n": n[o].to_numpy(),
                    "mean": m,
                    "sd": sd[o].to_numpy(float),
                    "ci_low": m - half,
                    "ci_high": m + half,
                    "n_failed": n_failed.to_numpy(),
                },
                index=n.index,
            )
        )
    out = pd.concat(frames).reset_index()
    order = {o: k for k, o in enumerate(outcomes)}
    out = out.sort_values(
        [*by, "outcome"], key=lambda c: c.map(order) if c.name == "outcome" else c, kind="stable"
    )
    return out.reset_index(drop=True)[
        [*by, "outcome", "n", "mean", "sd", "ci_low", "ci_high", "n_failed"]
    ]


def _point_means(runs: pd.DataFrame, outcome: str) -> pd.Series:
    ok = runs[runs["status"] == "ok"]
    return ok.groupby("point_id")[outcome].mean()


def _lever_groups(points: pd.DataFrame, levers: list[str]) -> list[tuple[dict[str, Any], Any]]:
    if not levers:
        return [({}, points)]
    return [
        (dict(zip(levers, key if isinstance(key, tuple) else (key,), strict=True)), grp)
        for key, grp in points.groupby(levers, sort=True)
    ]


def sensitivity(
    runs: pd.DataFrame,
    points: pd.DataFrame,
    manifest: dict[str, Any],
    outcomes: list[str],
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[str]]:
    """Sensitivity indices of each outcome (per lever combination), and notes.

    The design kind computes them (:meth:`~indopacsim.experiments.designs.DesignKind.indices`):
    Sobol first-order and total indices, Morris elementary effects.

    Returns:
        ``(indices, second_order, notes)``: the index table, None for designs without
        indices; the Sobol second-order table (``parameter``, ``with``, ``S2``,
        ``S2_conf``) when the design sampled it, else None.
    """
    kind = design_kind(manifest["design"]["kind"])
    if not kind.index_columns:
        return None, None, []
    problem = manifest["problem"]
    levers = [p.get("name") or p["path"] for p in manifest["levers"]]
    rows: list[dict[str, Any]] = []
    pairs: list[dict[str, Any]] = []
    notes: list[str] = []
    for policy, grp in _lever_groups(points, levers):
        grp = grp.sort_values("sample_id")
        label = ", ".join(f"{k}={v}" for k, v in policy.items())
        for o in outcomes:
            y = _point_means(runs, o).reindex(grp["point_id"]).to_numpy(float)
            where = {**policy, "outcome": o}
            note = _undefined(y, f"{o}{' (' + label + ')' if label else ''}")
            if note is not None:
                notes.append(note)
                if not np.isnan(y).any():  # constant: indices undefined, rows of NaN
                    rows += [{**where, "parameter": name} for name in problem["names"]]
                continue
            x = grp[problem["names"]].to_numpy(float)
            one, two = kind.indices(problem, x, y, manifest["design"], int(manifest["root_seed"]))
            rows += [{**where, **r} for r in one]
            pairs += [{**where, **r} for r in two]
    if pairs:
        notes.append("second-order indices (S2) are in the sobol_s2 table")
    return (
        pd.DataFrame(rows) if rows else None,
        pd.DataFrame(pairs) if pairs else None,
        notes,
    )


def _undefined(y: np.ndarray, label: str) -> str | None:
    """Why an outcome's indices cannot be computed (missing points, constant), or None."""
    if np.isnan(y).any():
        return f"{label}: {int(np.isnan(y).sum())} points have no successful run; no indices"
    if np.ptp(y) == 0:
        return f"{label}: constant over the design, so its indices are undefined (NaN)"
    return None


@dataclass
class Analysis:
    """The tables :func:`analyze_sweep` computes."""

    kind: str
    parameters: list[str]
    levers: list[str]
    outcomes: list[str]
    aggregates: pd.DataFrame
    by_lever: pd.DataFrame | None
    indices: pd.DataFrame | None
    second_order: pd.DataFrame | None
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)
    by_calibration: pd.DataFrame | None = None
    calibration_keys: list[str] = field(default_factory=list)


def analyze_sweep(sweep_dir: str | Path) -> Analysis:
    """Read a sweep directory and compute its aggregates and (Sobol/Morris) indices.

    Raises:
        InputError: When the directory holds no sweep.
    """
    store = SweepStore(sweep_dir)
    manifest = store.read_manifest()
    points = store.read_points()
    runs = store.read_runs()
    outcomes = [o["name"] for o in manifest["outcomes"] if o["stat"] != "series"]
    params = [p for p in points.columns if p not in ("point_id", "sample_id")]
    levers = [p.get("name") or p["path"] for p in manifest["levers"]]
    notes = []
    missing = int(manifest["n_runs"]) - len(runs)
    if missing:
        notes.append(f"{missing} of {manifest['n_runs']} runs are not stored yet (resume it)")
    if runs.empty:
        aggregates = pd.DataFrame(columns=["point_id", *params, "outcome"])
        by_lever = indices = second = None
    else:
        aggregates = aggregate(runs, ["point_id", *params], outcomes)
        by_lever = None
        if levers and len(params) > len(levers):
            by_lever = aggregate(runs, levers, outcomes)
        indices, second, more = sensitivity(runs, points, manifest, outcomes)
        notes += more
    cal = [p.get("name") or p["path"] for p in manifest["uncertainties"] if p["path"] == PATH]
    by_cal = aggregate(runs, [*cal, *levers], outcomes) if cal and not runs.empty else None
    status = runs["status"] if "status" in runs else pd.Series(dtype=str)
    counts = {"ok": int((status == "ok").sum()), "failed": int((status == "error").sum())}
    return Analysis(
        kind=manifest["design"]["kind"],
        parameters=params,
        levers=levers,
        outcomes=outcomes,
        aggregates=aggregates,
        by_lever=by_lever,
        indices=indices,
        second_order=second,
        counts=counts,
        notes=notes,
        by_calibration=by_cal,
        calibration_keys=[*cal, *levers],
    )


def write_analysis(result: Analysis, sweep_dir: str | Path) -> list[Path]:
    """Write the tables to ``SWEEP_DIR/analysis/*.csv``; return the files written."""
    from indopacsim.manifest import atomic_write_bytes

    folder = Path(sweep_dir) / "analysis"
    tables = {
        "aggregates": result.aggregates,
        "by_lever": result.by_lever,
        "by_calibration": result.by_calibration,
    }
    if result.indices is not None:
        tables[result.kind] = result.indices
    if result.second_order is not None:
        tables["sobol_s2"] = result.second_order
    written = []
    for name, df in tables.items():
        if df is not None:
            path = folder / f"{name}.csv"
            atomic_write_bytes(path, df.to_csv(index=False).encode())
            written.append(path)
    return written


def _interval_table(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    cell = df.apply(
        lambda r: (
            f"{r['mean']:.3g} [{r['ci_low']:.3g}, {r['ci_high']:.3g}]"
            if r["n"] > 1
            else f"{r['mean']:.3g}"
        ),
        axis=1,
    )
    wide = df.assign(cell=cell).pivot_table(
        index=keys, columns="outcome", values="cell", aggfunc="first", sort=False
    )
    wide.columns.name = None
    n = df.groupby(keys, sort=False)["n"].first()
    wide.insert(0, "n", n)
    return wide


def format_analysis(result: Analysis, max_rows: int = 40) -> str:
    """The analysis as text tables (means with 95% intervals; indices with their CIs)."""
    out = [
        f"design: {result.kind}; runs: {result.counts['ok']} ok, {result.counts['failed']} failed",
        "",
    ]
    with pd.option_context(
        "display.width", 200, "display.max_columns", 50, "display.max_colwidth", 40
    ):
        if not result.aggregates.empty:
            keys = ["point_id", *result.parameters]
            table = _interval_table(result.aggregates, keys)
            out.append("Mean [95% interval] of each outcome per point:")
            out.append(table.head(max_rows).to_string())
            if len(table) > max_rows:
                out.append(f"... {len(table) - max_rows} more points in analysis/aggregates.csv")
            out.append("")
        if result.by_lever is not None and not result.by_lever.empty:
            out.append("Mean [95% interval] over all futures, per lever combination:")
            out.append(_interval_table(result.by_lever, result.levers).to_string())
            out.append("")
        if result.by_calibration is not None and not result.by_calibration.empty:
            table = _interval_table(result.by_calibration, result.calibration_keys)
            out.append("Mean [95% interval] per parameter set of the calibration:")
            out.append(table.head(max_rows).to_string())
            if len(table) > max_rows:
                out.append(f"... {len(table) - max_rows} more rows in analysis/by_calibration.csv")
            out.append("")
        if result.indices is not None:
            out.append(design_kind(result.kind).index_title)
            out.append(result.indices.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
            out.append("")
        if result.second_order is not None:
            out.append("Second-order Sobol indices (S2) with 95% confidence intervals:")
            table = result.second_order
            out.append(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
            out.append("")
    out += [f"note: {n}" for n in result.notes if not n.startswith("second-order")]
    return "\n".join(out).rstrip() + "\n"
