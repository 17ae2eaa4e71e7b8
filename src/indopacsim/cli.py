"""Command-line interface: argument parsing only; the work is done by the library.

Exit codes: 0 success; 2 bad input (one line naming the file and the field, no traceback);
1 an unexpected failure, or (``sweep``) some runs failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from indopacsim.errors import InputError

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2


def _int_at_least(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``low``."""

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if v < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {v}")
        return v

    return parse


_positive_int = _int_at_least(1)
_seed = _int_at_least(0)


def _overrides(pairs: Sequence[str] | None) -> dict[str, object]:
    from indopacsim.scenario.io import parse_assignment

    return dict(parse_assignment(p) for p in pairs or ())


def cmd_run(args: argparse.Namespace) -> int:
    """``indopacsim run``: run a scenario, write the run directory, print a summary."""
    from tqdm import tqdm

    from indopacsim.figures.report import summary
    from indopacsim.runner import run, write_run
    from indopacsim.scenario.io import load_scenario, resolve_path

    source = args.scenario or "uk_japan_2026"
    path = resolve_path(source)
    scenario = load_scenario(path, _overrides(args.set))
    suffix = f"_r{args.replicates}" if args.replicates > 1 else ""
    out = (
        Path(args.out)
        if args.out is not None
        else Path("runs", f"{scenario.name}_seed{args.seed}{suffix}")
    )
    _check_run_out(out, args.force)
    show = args.replicates > 1 and not args.quiet
    with tqdm(total=args.replicates, desc="replicates", unit="run", disable=not show) as bar:
        result = run(scenario, args.seed, args.replicates, progress=bar.update, source=str(path))
    write_run(result, out, command=["indopacsim", *args.argv])
    if not args.quiet:
        print(summary(result))
        print(f"\nTables and manifest written to {out}/")
    if not args.no_plots:
        from indopacsim.figures.run import run_figures

        figs = run_figures(out)
        if not args.quiet:
            print(f"Figures and index.html written to {figs[0].path.parent}/")
    return EXIT_OK


def _check_run_out(out: Path, force: bool) -> None:
    """A run's output directory: writable, not a file, no earlier run unless --force."""
    from indopacsim.safeio import check_output_dir

    if out.exists() and out.is_dir() and (out / "manifest.json").exists() and not force:
        raise InputError(
            "already holds a run: pass --force to overwrite it, or choose another --out",
            file=str(out),
            field="--out",
        )
    nonempty = out.is_dir() and any(out.iterdir())
    if nonempty and not force and not (out / "manifest.json").exists():
        raise InputError(
            "exists and is not empty: pass --force to write into it, or choose another --out",
            file=str(out),
            field="--out",
        )
    check_output_dir(out)


def _out_path(text: str) -> Path:
    """An argparse type for --out: a non-empty path."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty directory name")
    return Path(text)


def cmd_plot(args: argparse.Namespace) -> int:
    """``indopacsim plot``: draw the figures of a run or sweep directory, with an offline
    index.html."""
    from indopacsim.dirs import check_run_dir, check_sweep_dir, directory_kind
    from indopacsim.figures.run import run_figures
    from indopacsim.safeio import check_output_dir

    kind = directory_kind(args.directory)
    (check_sweep_dir if kind == "sweep" else check_run_dir)(args.directory)
    check_output_dir(args.out if args.out is not None else Path(args.directory, "figures"))
    if kind == "sweep":
        from indopacsim.figures.sweep import sweep_figures

        figs = sweep_figures(args.directory, kinds=args.kind, fmt=args.format, out=args.out)
    else:
        figs = run_figures(args.directory, kinds=args.kind, fmt=args.format, out=args.out)
    if not figs:
        raise InputError("no figure to draw for this directory", file=str(args.directory))
    if not args.quiet:
        for f in figs:
            print(f"{f.kind:<10} {f.path}")
        print(f"index: {figs[0].path.parent / 'index.html'}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """``indopacsim validate``: check scenario files without running them."""
    from indopacsim.scenario.io import load_scenario

    failed = 0
    for f in args.files:
        try:
            sc = load_scenario(f)
        except InputError as exc:
            print(f"indopacsim: error: {exc.one_line()}", file=sys.stderr)
            failed += 1
            continue
        print(
            f"{f}: ok ({sc.name}: {len(sc.codes)} states, {sc.time.horizon} steps, "
            f"{len(sc.events)} events)"
        )
    return EXIT_INPUT if failed else EXIT_OK


def cmd_landscape(args: argparse.Namespace) -> int:
    """``indopacsim landscape``: landscape theory (Axelrod & Bennett 1993) on a case file,
    or on an indopacsim scenario at a date (``--at``), beside the model's emergent camps."""
    import datetime as dt
    from importlib import resources

    from indopacsim.landscape.case import landscape_report
    from indopacsim.safeio import parse_yaml, read_text

    path = Path(args.case)
    if not path.exists() and path.parent == Path("."):
        name = path.name if path.name.endswith(".yaml") else f"{path.name}.yaml"
        bundled = resources.files("indopacsim").joinpath("scenarios", "landscape", name)
        if bundled.is_file():
            path = Path(str(bundled))
    from indopacsim.scenario.io import bundled_scenarios

    if not path.exists() and args.at is None and path.stem in bundled_scenarios():
        raise InputError(
            f"{path.stem} is a scenario: give --at DATE to compare at a date of its run",
            field="--at",
        )
    is_case = False
    if path.is_file():
        try:
            doc = parse_yaml(read_text(path, what="case file"), str(path))
        except InputError:
            doc = None  # the loaders below report the error with its line
        is_case = isinstance(doc, dict) and doc.get("kind") == "landscape"
    if is_case or args.at is None:
        if args.at is not None:
            raise InputError("--at applies to scenarios, not to landscape cases", field="--at")
        if not is_case and path.is_file():
            raise InputError(
                "not a landscape case (kind: landscape); for a scenario give --at DATE",
                file=str(path),
                field="kind",
            )
        print(
            landscape_report(
                path, top=args.top, heuristic=args.heuristic, as_json=args.json, seed=args.seed
            )
        )
        return EXIT_OK
    from indopacsim.landscape.bridge import compare_at, report
    from indopacsim.scenario.io import load_scenario

    try:
        at = dt.date.fromisoformat(args.at)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {args.at!r}", field="--at") from None
    scenario = load_scenario(args.case)
    if len(scenario.codes) > 24 and not args.heuristic:
        raise InputError(
            f"{len(scenario.codes)} states: the exact solver takes at most 24; add --heuristic",
            field="--at",
        )
    bridge = compare_at(scenario, at, seed=args.seed, heuristic=args.heuristic)
    if args.json:
        import json

        print(
            json.dumps(
                {
                    "date": at.isoformat(),
                    "step": bridge.step,
                    "minima": [
                        {"energy": m.energy, "sides": m.sides, "basin": m.basin}
                        for m in bridge.result.minima[: args.top]
                    ],
                    "agreement": bridge.agreement,
                    "states": bridge.table.to_dict(orient="records"),
                },
                indent=2,
                default=float,
            )
        )
    else:
        print(report(bridge, scenario, top=args.top))
    return EXIT_OK


def cmd_sweep(args: argparse.Namespace) -> int:
    """``indopacsim sweep``: run an experiment's runs on an executor and store the results.

    Exit 0 when every run succeeded, 1 when some failed (the summary says how many), 2 on
    bad input (checked before any run).
    """
    from tqdm import tqdm

    from indopacsim.experiments.spec import load_experiment
    from indopacsim.experiments.sweep import SweepAborted, prepare_sweep

    models = dict(_model_flag(m) for m in args.model or ())
    exp = load_experiment(args.experiment, models=models)
    out = args.out if args.out is not None else Path("sweeps") / exp.name
    if args.executor == "dask" and not args.scheduler:
        raise InputError(
            "--executor dask needs --scheduler tcp://HOST:PORT (or use dask-local)",
            field="--scheduler",
        )
    if args.executor in ("dask", "dask-local"):
        import logging

        import distributed  # noqa: F401 - it configures its loggers on import; override after

        # the CLI owns logging: Dask's own error logs would print tracebacks before our line
        for name in ("distributed", "distributed.client", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    job = prepare_sweep(exp, out, resume=args.resume, command=["indopacsim", *args.argv])
    with tqdm(
        total=job.n_runs,
        initial=job.done,
        desc="runs",
        unit="run",
        smoothing=0.05,
        disable=args.quiet,
        file=sys.stderr,
    ) as bar:
        try:
            summary = job.run(
                args.executor,
                args.workers,
                args.scheduler,
                batch_size=args.batch_size,
                chunk_size=args.chunk_size,
                progress=bar.update,
            )
        except SweepAborted as exc:
            print(
                f"indopacsim: error: {exc}; stored results are kept: rerun with --resume",
                file=sys.stderr,
            )
            return EXIT_FAIL
    if not args.quiet:
        print(summary.text())
    elif summary.failed:
        print(f"{summary.failed} of {summary.n_runs} runs failed", file=sys.stderr)
    return EXIT_FAIL if summary.failed or summary.status != "complete" else EXIT_OK


def _model_flag(text: str) -> tuple[str, Callable[..., Any]]:
    """``--model NAME=module:function``: the person running the sweep allows a function."""
    from indopacsim.experiments.spec import import_function

    name, sep, target = text.partition("=")
    if not sep or not name.strip():
        raise InputError(f"expected NAME=module:function, got {text!r}", field="--model")
    return name.strip(), import_function(target.strip())


def cmd_analyze(args: argparse.Namespace) -> int:
    """``indopacsim analyze``: aggregates per point and sensitivity indices of a sweep."""
    from indopacsim.dirs import check_sweep_dir
    from indopacsim.experiments.analysis import analyze_sweep, format_analysis, write_analysis
    from indopacsim.safeio import check_output_dir

    check_sweep_dir(args.sweep_dir)
    check_output_dir(Path(args.sweep_dir, "analysis"))
    result = analyze_sweep(args.sweep_dir)
    written = write_analysis(result, args.sweep_dir)
    if not args.quiet:
        print(format_analysis(result, max_rows=args.max_rows), end="")
        print("Tables written: " + ", ".join(str(p) for p in written))
    return EXIT_OK


def cmd_backtest(args: argparse.Namespace) -> int:
    """``indopacsim backtest``: forecast 2020-2025 from the 2019 world and score it against
    the observed tie changes, beside three baselines (docs/validation.md, "Hindcast")."""
    from indopacsim.figures import axes_map
    from indopacsim.manifest import base_manifest
    from indopacsim.validation.backtest import run_backtest, summary, write_outputs

    _check_run_out(args.out, args.force)

    def progress(line: str) -> None:
        if not args.quiet:
            print(f"backtest: {line}", file=sys.stderr, flush=True)

    bt = run_backtest(
        args.seeds, args.seed, blind=args.blind, ablation=args.ablation, progress=progress
    )
    manifest = base_manifest("backtest", ["indopacsim", *args.argv])
    write_outputs(bt, args.out, manifest, axes_map)
    if not args.quiet:
        print(summary(bt))
        print(f"\nPredictions, scores, figures and manifest written to {args.out}/")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    """``indopacsim app``: the live view in the browser, or with --classroom a role-play in
    which students play the states (needs the app extra: pip install 'indopacsim[app]')."""
    try:
        from indopacsim.classroom.server import ServerConfig, serve
        from indopacsim.scenario.io import load_scenario, resolve_path
    except ImportError as exc:  # pragma: no cover - without the app extra
        raise InputError(f"{exc.name} is missing: pip install 'indopacsim[app]'") from None
    scenario = args.scenario or "classroom_small"
    load_scenario(resolve_path(scenario))  # a bad scenario fails here, with its field
    host = args.host or ("0.0.0.0" if args.lan else "127.0.0.1")
    cfg = ServerConfig(
        str(resolve_path(scenario)) if Path(scenario).exists() else scenario,
        args.classroom,
        host,
        args.port,
        args.seed,
        args.turns,
        args.deadline,
    )
    return serve(cfg)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    from indopacsim.manifest import package_version

    parser = argparse.ArgumentParser(
        prog="indopacsim",
        description=(
            "Agent-based simulation of alignment and coalition formation in the Indo-Pacific."
        ),
    )
    parser.add_argument("--version", action="version", version=f"indopacsim {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "run", help="run a scenario and write its tables", description=cmd_run.__doc__
    )
    p.add_argument(
        "scenario",
        nargs="?",
        help="scenario YAML file or bundled scenario name (default: the embedded uk_japan_2026)",
    )
    p.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    p.add_argument("--replicates", type=_positive_int, default=1, help="independent replicates")
    p.add_argument("--out", type=_out_path, help="output directory (default runs/NAME_seedN)")
    p.add_argument("--force", action="store_true", help="overwrite the run already in --out")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a parameter, e.g. --set us.reliability=0.4 (repeatable)",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.add_argument("--no-plots", action="store_true", help="do not draw the default figures")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "plot", help="draw the figures of a run directory", description=cmd_plot.__doc__
    )
    p.add_argument("directory", help="a run directory (indopacsim run) or a sweep directory")
    p.add_argument(
        "--kind",
        action="append",
        metavar="K",
        help="figure kind (repeatable; default all): for runs ties, blocs, map, alignment, "
        "payoffs; for sweeps phase, doctrines, regret, sobol, morris",
    )
    p.add_argument("--format", default="png", help="png, svg or pdf (default png)")
    p.add_argument("--out", type=_out_path, help="output folder (default DIR/figures)")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("validate", help="check scenario files", description=cmd_validate.__doc__)
    p.add_argument("files", nargs="+", help="scenario YAML files")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "landscape",
        help="solve a landscape-theory case: minima, basins, frustration",
        description=cmd_landscape.__doc__,
    )
    p.add_argument(
        "case",
        help="landscape case YAML (or bundled case name, e.g. europe_1936), or a scenario "
        "with --at",
    )
    p.add_argument("--at", metavar="DATE", help="for a scenario: the date of the run to compare at")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--top", type=_positive_int, default=5, help="minima to show (default 5)")
    p.add_argument(
        "--heuristic", action="store_true", help="multi-start local search (needed above 24)"
    )
    p.add_argument("--seed", type=_seed, default=0, help="seed of the heuristic (default 0)")
    p.set_defaults(func=cmd_landscape)

    p = sub.add_parser(
        "sweep",
        help="run an experiment (many points x replications) and store the results",
        description=cmd_sweep.__doc__,
    )
    p.add_argument("experiment", help="experiment YAML file (see docs/experiments.md)")
    p.add_argument("--out", type=_out_path, help="sweep directory (default sweeps/NAME)")
    p.add_argument(
        "--executor",
        choices=("serial", "process", "dask", "dask-local"),
        default="process",
        help="where runs execute (default: a local process pool)",
    )
    p.add_argument("--workers", type=_positive_int, help="worker processes (default: all cores)")
    p.add_argument("--scheduler", help="Dask scheduler address for --executor dask")
    p.add_argument(
        "--resume", action="store_true", help="continue the sweep in --out, skipping stored runs"
    )
    p.add_argument("--batch-size", type=_positive_int, help="runs per task (default: automatic)")
    p.add_argument(
        "--chunk-size",
        type=_positive_int,
        default=1000,
        help="runs per stored chunk (default 1000)",
    )
    p.add_argument(
        "--model",
        action="append",
        metavar="NAME=MODULE:FUNCTION",
        help="allow the experiment's model NAME to be this Python function (repeatable); "
        "an experiment file alone names only indopacsim's registered models",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser(
        "analyze",
        help="aggregate a sweep's results; Sobol/Morris sensitivity indices",
        description=cmd_analyze.__doc__,
    )
    p.add_argument("sweep_dir", help="a sweep directory written by indopacsim sweep")
    p.add_argument(
        "--max-rows", type=_positive_int, default=40, help="points to print (default 40)"
    )
    p.add_argument("--quiet", action="store_true", help="write the tables, print nothing")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "backtest",
        help="hindcast 2020-2025 from the 2019 world, scored against history",
        description=cmd_backtest.__doc__,
    )
    p.add_argument("--seeds", type=_positive_int, default=200, help="runs (default 200)")
    p.add_argument("--seed", type=_seed, default=0, help="root seed (default 0)")
    p.add_argument("--blind", action="store_true", help="forecast without the driver paths")
    p.add_argument("--ablation", action="store_true", help="also switch each mechanism off")
    p.add_argument(
        "--out", type=_out_path, default=Path("runs/backtest"), help="default runs/backtest"
    )
    p.add_argument("--force", action="store_true", help="overwrite the backtest in --out")
    p.add_argument("--quiet", action="store_true", help="no progress lines or summary")
    p.set_defaults(func=cmd_backtest)

    p = sub.add_parser(
        "app", help="live view or classroom role-play in the browser", description=cmd_app.__doc__
    )
    p.add_argument("scenario", nargs="?", help="scenario file or name (default classroom_small)")
    p.add_argument("--classroom", action="store_true", help="role-play: students play states")
    p.add_argument("--lan", action="store_true", help="listen on the local network, not only here")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_positive_int, default=8765, help="port (default 8765)")
    p.add_argument("--seed", type=_seed, default=0, help="the game's seed (default 0)")
    p.add_argument("--turns", type=_positive_int, help="turns to play (default: the horizon)")
    p.add_argument("--deadline", type=_positive_int, help="seconds per turn (default: none)")
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``indopacsim`` command."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.argv = argv
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"indopacsim: error: {exc.one_line()}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        from indopacsim.experiments.sweep import disk_full

        if not disk_full(exc):
            raise
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        again = "rerun with --resume" if args.command == "sweep" else "rerun"
        print(
            f"indopacsim: error: no space left on the device{where}: free space, then {again}",
            file=sys.stderr,
        )
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("indopacsim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
