"""Make the figures of a run directory, with captions and an offline ``index.html``.

:func:`run_figures` reads a run directory (``manifest.json`` and the Parquet tables),
draws every figure kind with :mod:`indopacsim.figures.axes_run`, saves each in the chosen format
and writes ``index.html``: every figure with its caption and the summary tables, viewable
offline without a server. A caption names the scenario, the seeds and the package
version. Missing data raises :class:`~indopacsim.errors.InputError` naming what is missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from indopacsim.errors import InputError
from indopacsim.figures import axes_run as plots
from indopacsim.figures import index
from indopacsim.figures.axes_map import network_map
from indopacsim.figures.index import FigureFile
from indopacsim.figures.tables import blocs_at_end, first_replicate, tie_changes

FORMATS = ("png", "svg", "pdf")


@dataclass
class RunData:
    """The tables and manifest of a run directory."""

    directory: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]

    def table(self, name: str, kind: str) -> pd.DataFrame:
        """A table, or an InputError naming the file the figure ``kind`` needs."""
        if name not in self.tables:
            raise InputError(
                f"figure {kind!r} needs {name}.parquet, which this directory lacks",
                file=str(self.directory),
                field=f"{name}.parquet",
            )
        return self.tables[name]


def load_run(directory: str | Path) -> RunData:
    """Read a run directory (any table may be missing; figures then say what they need)."""
    d = Path(directory)
    if not d.is_dir():
        raise InputError("no such run directory", file=str(d))
    manifest_path = d / "manifest.json"
    if not manifest_path.is_file():
        raise InputError(
            "not a run directory: manifest.json is missing", file=str(d), field="manifest.json"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"unreadable manifest: {exc.msg}", file=str(manifest_path)) from None
    tables = {}
    for name in ("model", "states", "ties", "events"):
        path = d / f"{name}.parquet"
        if path.is_file():
            tables[name] = pd.read_parquet(path)
    return RunData(d, manifest, tables)


def _places(run: RunData) -> pd.DataFrame:
    params = run.manifest.get("parameters")
    if not params:
        raise InputError(
            "figure 'map' needs the scenario parameters in manifest.json",
            file=str(run.directory),
            field="manifest.json:parameters",
        )
    from indopacsim.model.world import state_table
    from indopacsim.scenario.io import validate

    scenario = validate(params, file=str(run.directory / "manifest.json"))
    return state_table(scenario)[["lat", "lon", "capability"]]


def _pairs(run: RunData) -> list[tuple[str, str]]:
    codes = set(run.table("states", "ties")["iso3"])
    wanted = [("GBR", "JPN"), ("GBR", "AUS"), ("JPN", "AUS"), ("JPN", "PHL")]
    pairs = [p for p in wanted if set(p) <= codes]
    if not pairs:
        ties = run.table("ties", "ties")
        last = ties[ties["step"] == ties["step"].max()].sort_values("level", ascending=False)
        pairs = [(str(a), str(b)) for a, b in last[["a", "b"]].head(3).itertuples(index=False)]
    return pairs


def _events_caption(run: RunData) -> str:
    events = run.tables.get("events")
    if events is None or not len(events):
        return ""
    ev = events.drop_duplicates(subset=["date", "event"]).sort_values("date")
    items = [
        f"({n}) {d} {e}" for n, (d, e) in enumerate(zip(ev["date"], ev["event"], strict=True), 1)
    ]
    return " Events: " + "; ".join(items) + "."


def _draw(kind: str, run: RunData, pairs: Sequence[tuple[str, str]] | None) -> Figure:
    if kind == "ties":
        return plots.figure_of(
            plots.tie_levels(
                run.table("ties", kind),
                run.table("model", kind),
                pairs=pairs or _pairs(run),
                events=run.tables.get("events"),
            )
        )
    if kind == "blocs":
        return plots.figure_of(
            plots.bloc_membership(
                run.table("ties", kind), run.table("states", kind), run.table("model", kind)
            )
        )
    if kind == "map":
        return plots.figure_of(
            network_map(run.table("ties", kind), run.table("states", kind), _places(run))
        )
    if kind == "alignment":
        return plots.alignment_hedging(run.table("states", kind))
    if kind == "payoffs":
        return plots.figure_of(plots.payoff_components(run.table("states", kind)))
    raise InputError(f"unknown figure kind {kind!r}; known: {', '.join(RUN_KINDS)}", field="--kind")


RUN_KINDS: dict[str, str] = {
    "ties": "Tie level over time for selected pairs (ladder: 0 none, 1 dialogue, 2 2+2, "
    "3 exercises, 4 intelligence and logistics, 5 access, 6 co-development, 7 security "
    "commitment or basing, 8 treaty); dashed lines "
    "mark the scenario's dated events; with replicates, the line is the mean and the band "
    "the range.",
    "blocs": "Bloc membership: each state's community in the level-weighted tie network "
    "(Louvain, seed 0) at each step, colours kept across steps by overlap; grey: in no "
    "bloc of two or more. First replicate.",
    "map": "The tie network at the end of the run on a world map (Natural Earth 1:110m, "
    "public domain): node area grows with capability, edge width with the tie level, "
    "colour marks the community. First replicate.",
    "alignment": "Alignment index (tie-weighted camp of a state's partners, -1 China camp "
    "to +1 US camp) and hedging index (2 min(U, C) / (U + C) of tie strength towards the "
    "two camps) over time; means over replicates.",
    "payoffs": "Payoff components per state (security, values, economic, autonomy), mean "
    "per step over the run and the replicates; the black tick marks the total.",
}


def caption_suffix(manifest: dict[str, Any]) -> str:
    """The provenance every caption ends with: scenario, seeds, package version."""
    sc = manifest.get("scenario", {})
    seeds = manifest.get("seeds", [])
    seed_text = (
        f"seed {seeds[0]}"
        if len(seeds) == 1
        else f"{len(seeds)} replicates from root seed {manifest.get('root_seed')}"
    )
    return (
        f" Scenario {sc.get('name', '?')} (sha256 {str(sc.get('sha256', ''))[:12]}), "
        f"{seed_text}; indopacsim {manifest.get('version', '?')}."
    )


def run_figures(
    directory: str | Path,
    kinds: Sequence[str] | None = None,
    fmt: str = "png",
    out: str | Path | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[FigureFile]:
    """Draw and save the figures of a run directory, then write ``index.html``.

    Args:
        directory: The run directory.
        kinds: Figure kinds (default: all of :data:`RUN_KINDS`).
        fmt: ``png``, ``svg`` or ``pdf``.
        out: Output folder (default: ``directory/figures``).
        pairs: Pairs for the tie figure (default: UK-Japan and a few others).
        progress: Called with each kind when it is done.

    Raises:
        InputError: A missing table, an unknown kind or format.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}", field="--format")
    run = load_run(directory)
    kinds = list(kinds or RUN_KINDS)
    for k in kinds:
        if k not in RUN_KINDS:
            raise InputError(
                f"unknown figure kind {k!r}; known: {', '.join(RUN_KINDS)}", field="--kind"
            )
    folder = Path(out) if out is not None else run.directory / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = caption_suffix(run.manifest)
    written = []
    for kind in kinds:
        fig = _draw(kind, run, pairs)
        path = folder / f"{kind}.{fmt}"
        fig.savefig(path, bbox_inches="tight", dpi=150 if fmt == "png" else None)
        extra = _events_caption(run) if kind == "ties" else ""
        written.append(FigureFile(kind, path, RUN_KINDS[kind] + extra + suffix))
        if progress is not None:
            progress(kind)
    write_index(folder, run, written)
    return written


def write_index(folder: Path, run: RunData, figures: Sequence[FigureFile]) -> Path:
    """Write ``index.html``: each figure with its caption, and the summary tables."""
    name = str(run.manifest.get("scenario", {}).get("name", "run"))
    reproduce = str(run.manifest.get("reproduce", ""))
    return index.write_index(
        folder, f"indopacsim: {name}", name, reproduce, figures, _summary_tables(run)
    )


def _summary_tables(run: RunData) -> list[tuple[str, str]]:
    """The index's tables: blocs and states at the end, the largest tie changes."""
    out = []
    if "states" in run.tables:
        try:
            cap = _places(run)["capability"]
        except InputError:
            cap = None
        states = first_replicate(run.tables["states"])
        if cap is not None and "ties" in run.tables:
            table = blocs_at_end(first_replicate(run.tables["ties"]), states, cap)
            out.append(("Blocs at the end (communities of the tie network)", _html(table)))
        last = states[states["step"] == states["step"].max()]
        cols = ["iso3", "doctrine", "trust", "alignment", "hedging", "payoff"]
        out.append(("States at the end", _html(last[cols])))
    if "ties" in run.tables:
        ties = first_replicate(run.tables["ties"])
        out.append(("Largest tie changes", tie_changes(ties).to_html(index=False)))
    return out


def _html(table: pd.DataFrame) -> str:
    return table.to_html(index=False, float_format=lambda v: f"{v:.3f}")
