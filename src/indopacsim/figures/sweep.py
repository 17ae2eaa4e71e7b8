"""Make the figures of a sweep directory, with captions and an offline ``index.html``.

Which figures a sweep gets depends on its design (:func:`sweep_figures`); each kind is a
registered :class:`SweepFigure` (:data:`FIGURES`) that says when it is available and
draws itself:

* ``phase``: each outcome's mean as a heatmap over the first two uncertainties of a grid
  (and, for the UK-Japan tie, the probability that it ends at treaty level,
  the top of the ladder), each cell
  with its replication count;
* ``doctrines``: for each lever (a state's doctrine), the distribution of that state's
  payoff per doctrine, across futures (the first uncertainty in low / high halves);
* ``regret``: for each lever, the regret of each doctrine across futures (each numeric
  uncertainty split at its median: 2^k futures; a named one, such as the calibration's
  parameter set, by level) and the minimax-regret doctrine, as a
  chart and a CSV table (robust decision making, Lempert et al. 2003);
* ``sobol`` / ``morris``: the sensitivity indices of each outcome, from
  :func:`indopacsim.experiments.analysis.analyze_sweep`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from indopacsim.errors import InputError
from indopacsim.experiments.analysis import analyze_sweep
from indopacsim.experiments.calibration_sets import PATH as CALIBRATION
from indopacsim.experiments.designs import DesignKind, design_kind
from indopacsim.experiments.store import SweepStore
from indopacsim.figures import axes_sweep as ps
from indopacsim.figures.axes_run import figure_of
from indopacsim.figures.run import FORMATS, FigureFile
from indopacsim.scenario.paths import split_state_path
from indopacsim.tiescale import MAX_LEVEL


@dataclass(frozen=True, eq=False)
class Sweep:
    """What the sweep figures read: the manifest, the successful runs and their columns."""

    directory: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame
    design: DesignKind
    levers: list[tuple[str, dict[str, Any]]]  # (column, the manifest's lever)
    uncertainties: list[str]
    outcomes: list[str]

    @classmethod
    def read(cls, directory: str | Path) -> Sweep:
        """Read a sweep directory (InputError: not a sweep, or no successful run yet)."""
        store = SweepStore(directory)
        manifest = store.read_manifest()
        runs = ps.ok_runs(store.read_runs())
        if runs.empty:
            raise InputError(
                "the sweep has no successful runs yet", file=str(directory), field="runs/"
            )
        return cls(
            directory=Path(directory),
            manifest=manifest,
            runs=runs,
            design=design_kind(manifest["design"]["kind"]),
            levers=[(lv.get("name") or lv["path"], lv) for lv in manifest["levers"]],
            uncertainties=[u.get("name") or u["path"] for u in manifest["uncertainties"]],
            outcomes=[o["name"] for o in manifest["outcomes"] if o["stat"] != "series"],
        )

    def lever_outcome(self, lever: dict[str, Any]) -> str | None:
        """The payoff outcome of the state a lever sets (``states.GBR.doctrine`` -> GBR),
        else the first outcome."""
        state, attrs = split_state_path(str(lever["path"]))
        if state is not None and len(attrs) == 1:
            for o in self.manifest["outcomes"]:
                if o.get("state") == state and (o.get("measure") or o["name"]) == "payoff":
                    return str(o["name"])
        return self.outcomes[0] if self.outcomes else None


class Save:
    """``save(figure, stem, kind, caption)``: write ``folder/STEM.FMT`` and record a
    captioned :class:`~indopacsim.figures.run.FigureFile` (tables go beside, in ``folder``)."""

    def __init__(self, folder: Path, fmt: str, tail: str):
        self.folder, self.fmt, self.tail = folder, fmt, tail
        self.written: list[FigureFile] = []

    def __call__(self, fig: Figure, name: str, kind: str, caption: str) -> None:
        path = self.folder / f"{name}.{self.fmt}"
        fig.savefig(path, bbox_inches="tight", dpi=150 if self.fmt == "png" else None)
        self.written.append(FigureFile(kind, path, caption + self.tail))


class SweepFigure:
    """Base of the sweep figure kinds (``indopacsim plot SWEEP --kind NAME``).

    Attributes:
        name: Registry key (the ``--kind``).
        per_lever: Drawn once per lever (``draw_lever``) rather than once (``draw``).
    """

    name: ClassVar[str] = ""
    per_lever: ClassVar[bool] = False

    def available(self, sweep: Sweep) -> bool:
        """Whether the sweep has the data this figure needs."""
        raise NotImplementedError

    def draw(self, sweep: Sweep, save: Save) -> None:
        """Draw and save the figure(s)."""
        raise NotImplementedError

    def draw_lever(
        self, sweep: Sweep, column: str, lever: dict[str, Any], outcome: str, save: Save
    ) -> None:
        """Draw and save the figure(s) of one lever (``per_lever`` kinds)."""
        raise NotImplementedError


#: The registered sweep figure kinds, in drawing order.
FIGURES: dict[str, SweepFigure] = {}


def register(cls: type[SweepFigure]) -> type[SweepFigure]:
    """Class decorator: add one instance of ``cls`` to :data:`FIGURES` under ``cls.name``."""
    if not cls.name or cls.name in FIGURES:
        raise ValueError(f"sweep figure {cls.name!r} is unnamed or registered twice")
    FIGURES[cls.name] = cls()
    return cls


@register
class PhaseFigure(SweepFigure):
    """Each outcome's mean over the first two uncertainties of a grid design."""

    name = "phase"

    def available(self, sweep: Sweep) -> bool:
        return sweep.design.grid and len(sweep.uncertainties) >= 2

    def draw(self, sweep: Sweep, save: Save) -> None:
        x, y = sweep.uncertainties[0], sweep.uncertainties[1]
        for o in sweep.outcomes:
            ax = ps.phase_diagram(sweep.runs, x, y, o)
            save(
                figure_of(ax), f"phase_{o}", "phase", f"Mean {o} over {x} x {y}; n = runs per cell."
            )
            if o == "uk_japan":
                label = f"P(UK-Japan ends at level {MAX_LEVEL})"
                ax = ps.phase_diagram(sweep.runs, x, y, o, threshold=MAX_LEVEL, label=label)
                save(
                    figure_of(ax),
                    "phase_uk_japan_treaty",
                    "phase",
                    f"Probability that the UK-Japan tie ends at treaty level {MAX_LEVEL} over "
                    f"{x} x {y}; n = runs per cell.",
                )


class _LeverFigure(SweepFigure):
    """A figure per lever (a state's doctrine), of that state's payoff."""

    per_lever = True

    def available(self, sweep: Sweep) -> bool:
        return bool(sweep.levers)


@register
class DoctrinesFigure(_LeverFigure):
    """A lever's payoff per doctrine across futures (the first uncertainty in halves)."""

    name = "doctrines"

    def draw_lever(
        self, sweep: Sweep, column: str, lever: dict[str, Any], outcome: str, save: Save
    ) -> None:
        frame = sweep.runs.copy()
        future = None
        if sweep.uncertainties:
            frame["future"] = ps.future_side(frame, sweep.uncertainties[0])
            future = "future"
        ax = ps.doctrines_across_futures(frame, column, outcome, future)
        split = sweep.uncertainties[0] if sweep.uncertainties else "-"
        save(
            figure_of(ax),
            f"doctrines_{column}",
            "doctrines",
            f"{outcome} per doctrine of {lever['path']} (boxes: quartiles; whiskers "
            f"1.5 IQR), in futures split at the median of {split}.",
        )


@register
class RegretFigure(_LeverFigure):
    """Each doctrine's regret across futures (every numeric uncertainty split at its
    median, a named one taken by level)."""

    name = "regret"

    def draw_lever(
        self, sweep: Sweep, column: str, lever: dict[str, Any], outcome: str, save: Save
    ) -> None:
        if not sweep.uncertainties:
            return
        frame = sweep.runs.copy()
        keys = []
        for u in sweep.uncertainties:
            frame[f"{u} (half)"] = ps.future_side(frame, u)
            keys.append(f"{u} (half)")
        table = ps.regret_table(frame, column, outcome, keys)
        table.to_csv(save.folder / f"regret_{column}.csv", index=False)
        tables = f"regret_{column}.csv"
        if CALIBRATION in sweep.uncertainties:  # the robust doctrine at each parameter set
            by_set = ps.regret_by_level(frame, column, outcome, keys, CALIBRATION)
            by_set.to_csv(save.folder / f"regret_{column}_by_calibration.csv", index=False)
            tables += f"; at each parameter set, regret_{column}_by_calibration.csv"
        save(
            figure_of(ps.regret_chart(table, label=f"{lever['path']}, {outcome}")),
            f"regret_{column}",
            "regret",
            f"Regret of each doctrine of {lever['path']} for {outcome} across "
            f"{int(table['futures'].iloc[0])} futures (each numeric uncertainty split at its "
            f"median, a named one by level); minimax regret marked. Table: {tables}.",
        )


class _SensitivityFigure(SweepFigure):
    """The sensitivity indices of each outcome, for the design kind of the same name."""

    title: ClassVar[str] = ""

    def chart(self, indices: pd.DataFrame) -> Axes:
        """The chart of one outcome's indices."""
        raise NotImplementedError

    def available(self, sweep: Sweep) -> bool:
        return sweep.design.name == self.name and bool(sweep.design.index_columns)

    def draw(self, sweep: Sweep, save: Save) -> None:
        result = analyze_sweep(sweep.directory)
        idx = result.indices
        if idx is None or idx.empty:
            raise InputError(
                "the sweep has no sensitivity indices", file=str(sweep.directory), field="--kind"
            )
        shown = sweep.design.index_columns[0]
        for o in sweep.outcomes:
            sub = idx[idx["outcome"] == o].dropna(subset=[shown])
            for lab, grp in [] if sub.empty else _policy_groups(sub, result.levers):
                name = f"{self.name}_{o}" + (f"_{lab}" if lab else "")
                what = f"{o}{' (' + lab + ')' if lab else ''}"
                caption = f"{self.title} {what}: {sweep.design.index_caption}"
                save(figure_of(self.chart(grp)), name, self.name, caption)


@register
class SobolFigure(_SensitivityFigure):
    """Sobol indices S1 and ST with their intervals."""

    name = "sobol"
    title = "Sobol indices of"

    def chart(self, indices: pd.DataFrame) -> Axes:
        return ps.sobol_chart(indices)


@register
class MorrisFigure(_SensitivityFigure):
    """Morris mu* against sigma."""

    name = "morris"
    title = "Morris screening of"

    def chart(self, indices: pd.DataFrame) -> Axes:
        return ps.morris_chart(indices)


#: The figure kinds (``--kind``), in drawing order.
SWEEP_KINDS = tuple(FIGURES)


def _provenance(manifest: dict[str, Any]) -> str:
    exp = manifest.get("experiment", {})
    name = exp.get("name") if isinstance(exp, dict) else None
    sha = exp.get("sha256", "") if isinstance(exp, dict) else ""
    return (
        f" Experiment {name or manifest.get('name', '?')} (sha256 {str(sha)[:12]}), "
        f"{manifest.get('n_runs', '?')} runs from root seed {manifest.get('root_seed')}; "
        f"indopacsim {manifest.get('version', '?')}."
    )


def _wanted(sweep: Sweep, kinds: Sequence[str] | None) -> list[str]:
    available = [k for k, f in FIGURES.items() if f.available(sweep)]
    wanted = list(kinds) if kinds else available
    for k in wanted:
        if k not in FIGURES:
            raise InputError(
                f"unknown figure kind {k!r}; known: {', '.join(SWEEP_KINDS)}", field="--kind"
            )
        if k not in available:
            raise InputError(
                f"figure {k!r} needs data this sweep lacks (design {sweep.design.name}, "
                f"{len(sweep.uncertainties)} uncertainties, {len(sweep.levers)} levers)",
                file=str(sweep.directory),
                field="--kind",
            )
    return wanted


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
    sweep = Sweep.read(directory)
    wanted = _wanted(sweep, kinds)
    folder = Path(out) if out is not None else Path(directory) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    save = Save(folder, fmt, _provenance(sweep.manifest))
    lever_figures = [FIGURES[k] for k in FIGURES if k in wanted and FIGURES[k].per_lever]
    for k, figure in FIGURES.items():
        if k not in wanted:
            continue
        if not figure.per_lever:
            figure.draw(sweep, save)
        elif figure is lever_figures[0]:  # per-lever kinds are drawn lever by lever
            for column, lever in sweep.levers:
                outcome = sweep.lever_outcome(lever)
                if outcome is not None:
                    for f in lever_figures:
                        f.draw_lever(sweep, column, lever, outcome, save)
    _write_index(folder, sweep.manifest, save.written)
    return save.written


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
