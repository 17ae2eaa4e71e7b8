"""Make the figures of a sweep directory, with captions and an offline ``index.html``.

Which figures a sweep gets depends on its design (:func:`sweep_figures`):

* ``phase``: each outcome's mean as a heatmap over the first two uncertainties of a grid
  (and, for the UK-Japan tie, the probability of reaching treaty level 5), each cell
  with its replication count;
* ``doctrines``: for each lever (a state's doctrine), the distribution of that state's
  payoff per doctrine, across futures (the first uncertainty in low / high halves);
* ``regret``: for each lever, the regret of each doctrine across futures (each
  uncertainty split at its median: 2^k futures) and the minimax-regret doctrine, as a
  chart and a CSV table (robust decision making, Lempert et al. 2003);
* ``sobol`` / ``morris``: the sensitivity indices of each outcome, from
  :func:`indopacsim.experiments.analysis.analyze_sweep`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from indopacsim.errors import InputError
from indopacsim.experiments.store import SweepStore
from indopacsim.figures import axes_sweep as ps
from indopacsim.figures.axes_run import figure_of
from indopacsim.figures.run import FORMATS, FigureFile

SWEEP_KINDS = ("phase", "doctrines", "regret", "sobol", "morris")


def _provenance(manifest: dict[str, Any]) -> str:
    exp = manifest.get("experiment", {})
    name = exp.get("name") if isinstance(exp, dict) else None
    sha = exp.get("sha256", "") if isinstance(exp, dict) else ""
    return (
        f" Experiment {name or manifest.get('name', '?')} (sha256 {str(sha)[:12]}), "
        f"{manifest.get('n_runs', '?')} runs from root seed {manifest.get('root_seed')}; "
        f"indopacsim {manifest.get('version', '?')}."
    )


def _halves(runs: pd.DataFrame, column: str) -> pd.Series:
    median = runs[column].median()
    return pd.Series(
        [f"{column} {'high' if v > median else 'low'}" for v in runs[column]], index=runs.index
    )


def _lever_outcome(manifest: dict[str, Any], lever: dict[str, Any]) -> str | None:
    """The payoff outcome of the state a lever sets (``states.GBR.doctrine`` -> GBR)."""
    parts = str(lever["path"]).split(".")
    if len(parts) != 3 or parts[0] != "states":
        return None
    for o in manifest["outcomes"]:
        if o.get("state") == parts[1] and (o.get("measure") or o["name"]) == "payoff":
            return str(o["name"])
    return None


def sweep_figures(
    directory: str | Path,
    kinds: Sequence[str] | None = None,
    fmt: str = "png",
    out: str | Path | None = None,
) -> list[FigureFile]:
    """Draw and save the figures of a sweep directory, then write ``index.html``.

    Raises:
        InputError: not a sweep directory, no stored runs, a figure kind the sweep has no
            data for (named), an unknown kind or format.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}", field="--format")
    store = SweepStore(directory)
    manifest = store.read_manifest()
    runs = ps.ok_runs(store.read_runs())
    if runs.empty:
        raise InputError("the sweep has no successful runs yet", file=str(directory), field="runs/")
    levers = [lv.get("name") or lv["path"] for lv in manifest["levers"]]
    uncertainties = [u.get("name") or u["path"] for u in manifest["uncertainties"]]
    outcomes = [o["name"] for o in manifest["outcomes"] if o["stat"] != "series"]
    design = manifest["design"]["kind"]
    available = []
    if design in ("full_factorial", "table") and len(uncertainties) >= 2:
        available.append("phase")
    if levers:
        available += ["doctrines", "regret"]
    if design in ("sobol", "morris"):
        available.append(design)
    wanted = list(kinds) if kinds else available
    for k in wanted:
        if k not in SWEEP_KINDS:
            raise InputError(
                f"unknown figure kind {k!r}; known: {', '.join(SWEEP_KINDS)}", field="--kind"
            )
        if k not in available:
            raise InputError(
                f"figure {k!r} needs data this sweep lacks (design {design}, "
                f"{len(uncertainties)} uncertainties, {len(levers)} levers)",
                file=str(directory),
                field="--kind",
            )
    folder = Path(out) if out is not None else Path(directory) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    tail = _provenance(manifest)
    written: list[FigureFile] = []

    def save(fig: Figure, name: str, kind: str, caption: str) -> None:
        path = folder / f"{name}.{fmt}"
        fig.savefig(path, bbox_inches="tight", dpi=150 if fmt == "png" else None)
        written.append(FigureFile(kind, path, caption + tail))

    if "phase" in wanted:
        x, y = uncertainties[0], uncertainties[1]
        for o in outcomes:
            ax = ps.phase_diagram(runs, x, y, o)
            save(
                figure_of(ax), f"phase_{o}", "phase", f"Mean {o} over {x} x {y}; n = runs per cell."
            )
            if o == "uk_japan":
                ax = ps.phase_diagram(
                    runs, x, y, o, threshold=5, label="P(UK-Japan reaches level 5)"
                )
                save(
                    figure_of(ax),
                    "phase_uk_japan_treaty",
                    "phase",
                    f"Probability that the UK-Japan tie ends at treaty level 5 over {x} x {y}; "
                    "n = runs per cell.",
                )
    lever_specs = [(lv.get("name") or lv["path"], lv) for lv in manifest["levers"]]
    if "doctrines" in wanted or "regret" in wanted:
        for column, lever in lever_specs:
            outcome = _lever_outcome(manifest, lever) or (outcomes[0] if outcomes else None)
            if outcome is None:
                continue
            if "doctrines" in wanted:
                frame = runs.copy()
                future = None
                if uncertainties:
                    frame["future"] = _halves(frame, uncertainties[0])
                    future = "future"
                ax = _doctrine_axes(frame, column, outcome, future)
                split = uncertainties[0] if uncertainties else "-"
                save(
                    figure_of(ax),
                    f"doctrines_{column}",
                    "doctrines",
                    f"{outcome} per doctrine of {lever['path']} (boxes: quartiles; whiskers "
                    f"1.5 IQR), in futures split at the median of {split}.",
                )
            if "regret" in wanted and uncertainties:
                frame = runs.copy()
                keys = []
                for u in uncertainties:
                    frame[f"{u} (half)"] = _halves(frame, u)
                    keys.append(f"{u} (half)")
                table = ps.regret_table(frame, column, outcome, keys)
                table.to_csv(folder / f"regret_{column}.csv", index=False)
                save(
                    figure_of(ps.regret_chart(table)),
                    f"regret_{column}",
                    "regret",
                    f"Regret of each doctrine of {lever['path']} for {outcome} across "
                    f"{int(table['futures'].iloc[0])} futures (each uncertainty split at its "
                    "median); minimax regret marked. Table: "
                    f"regret_{column}.csv.",
                )
    if "sobol" in wanted or "morris" in wanted:
        from indopacsim.experiments.analysis import analyze_sweep

        result = analyze_sweep(directory)
        idx = result.indices
        if idx is None or idx.empty:
            raise InputError(
                "the sweep has no sensitivity indices", file=str(directory), field="--kind"
            )
        for o in outcomes:
            sub = idx[idx["outcome"] == o].dropna(subset=["ST" if design == "sobol" else "mu_star"])
            if sub.empty:
                continue
            for lab, grp in _policy_groups(sub, result.levers):
                name = f"{design}_{o}" + (f"_{lab}" if lab else "")
                if design == "sobol":
                    save(
                        figure_of(ps.sobol_chart(grp)),
                        name,
                        "sobol",
                        f"Sobol indices of {o}{' (' + lab + ')' if lab else ''}: S1 first order, "
                        "ST total, with 95% confidence intervals (SALib).",
                    )
                else:
                    save(
                        figure_of(ps.morris_chart(grp)),
                        name,
                        "morris",
                        f"Morris screening of {o}{' (' + lab + ')' if lab else ''}: mu* against "
                        "sigma, with 95% intervals of mu* (SALib).",
                    )
    _write_index(folder, manifest, written)
    return written


def _doctrine_axes(frame: pd.DataFrame, lever: str, outcome: str, future: str | None) -> Axes:
    if future is None:
        return ps.doctrine_distributions(frame, lever, outcome)
    codes = {v: k for k, v in enumerate(sorted(frame[future].unique()))}
    frame = frame.assign(_future=frame[future].map(codes).astype(float))
    ax = ps.doctrine_distributions(frame, lever, outcome, future="_future")
    ax.set_xticks(range(len(codes)), list(codes))
    ax.set_xlabel("Future")
    ax.set_title(f"{outcome} by doctrine ({lever}) across futures")
    return ax


def _policy_groups(table: pd.DataFrame, levers: list[str]) -> list[tuple[str, pd.DataFrame]]:
    present = [lv for lv in levers if lv in table.columns]
    if not present:
        return [("", table)]
    out = []
    for key, grp in table.groupby(present):
        values = key if isinstance(key, tuple) else (key,)
        out.append(("_".join(str(v) for v in values), grp))
    return out


def _write_index(folder: Path, manifest: dict[str, Any], figures: Sequence[FigureFile]) -> Path:
    exp = manifest.get("experiment", {})
    name = exp.get("name") if isinstance(exp, dict) else manifest.get("name", "sweep")
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>indopacsim sweep: {html.escape(str(name))}</title>",
        "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
        "figure{margin:2em 0}img{max-width:100%}figcaption{font-size:0.9em;color:#444}</style>",
        "</head><body>",
        f"<h1>Sweep {html.escape(str(name))}</h1>",
        f"<p>{html.escape(str(manifest.get('reproduce', '')))}</p>",
    ]
    for f in figures:
        rel = f.path.relative_to(folder).as_posix()
        media = (
            f"<p><a href='{html.escape(rel)}'>{html.escape(rel)}</a> (PDF)</p>"
            if f.path.suffix == ".pdf"
            else f"<img src='{html.escape(rel)}' alt='{html.escape(f.kind)}'>"
        )
        parts.append(f"<figure>{media}<figcaption>{html.escape(f.caption)}</figcaption></figure>")
    for csv in sorted(folder.glob("regret_*.csv")):
        parts.append(f"<h2>{html.escape(csv.stem)}</h2>")
        parts.append(pd.read_csv(csv).to_html(index=False, float_format=lambda v: f"{v:.3f}"))
    parts.append("</body></html>")
    path = folder / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
