"""The bodies of the ``indopacsim`` subcommands: each takes the parsed arguments and returns
an exit code; ``cli`` parses the arguments, dispatches here and handles the errors.
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


def parse_overrides(pairs: Sequence[str] | None) -> dict[str, object]:
    """``--set KEY=VALUE`` flags as a mapping of overrides."""
    from indopacsim.scenario.io import parse_assignment

    return dict(parse_assignment(p) for p in pairs or ())


def cmd_run(args: argparse.Namespace) -> int:
    """``indopacsim run``: run a scenario, write the run directory, print a summary."""
    from tqdm import tqdm

    from indopacsim.experiments.calibration_sets import load_at
    from indopacsim.figures.report import summary
    from indopacsim.runner import run, write_run
    from indopacsim.scenario.io import resolve_path

    path = resolve_path(args.scenario or "uk_japan_2026")
    scenario = load_at(path, parse_overrides(args.set))
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
    path = _landscape_path(args)
    is_case = _is_landscape_case(path)
    if is_case or args.at is None:
        return _landscape_case(args, path, is_case)
    return _landscape_at(args)


def _landscape_path(args: argparse.Namespace) -> Path:
    """The case file: a path, or the name of a bundled case; a bundled scenario without
    ``--at`` is an error."""
    from importlib import resources

    from indopacsim.scenario.io import bundled_scenarios

    path = Path(args.case)
    if not path.exists() and path.parent == Path("."):
        name = path.name if path.name.endswith(".yaml") else f"{path.name}.yaml"
        bundled = resources.files("indopacsim").joinpath("scenarios", "landscape", name)
        if bundled.is_file():
            path = Path(str(bundled))
    if not path.exists() and args.at is None and path.stem in bundled_scenarios():
        raise InputError(
            f"{path.stem} is a scenario: give --at DATE to compare at a date of its run",
            field="--at",
        )
    return path


def _is_landscape_case(path: Path) -> bool:
    """Whether ``path`` is a YAML file of ``kind: landscape``."""
    from indopacsim.safeio import parse_yaml, read_text

    if not path.is_file():
        return False
    try:
        doc = parse_yaml(read_text(path, what="case file"), str(path))
    except InputError:
        doc = None  # the loaders below report the error with its line
    return isinstance(doc, dict) and doc.get("kind") == "landscape"


def _landscape_case(args: argparse.Namespace, path: Path, is_case: bool) -> int:
    """``indopacsim landscape CASE``: the report of a landscape case file."""
    from indopacsim.landscape.case import landscape_report

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


def _landscape_at(args: argparse.Namespace) -> int:
    """``indopacsim landscape SCENARIO --at DATE``: the landscape implied by a run at a
    date, beside the model's camps."""
    import datetime as dt

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
        quiet_dask_logs()
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


def quiet_dask_logs() -> None:
    """The CLI owns logging during a Dask sweep: Dask's own error logs would print
    tracebacks before our one-line error.

    Dask's config gives some child loggers their own level (``tornado.application``:
    ERROR), so every existing logger under these roots is raised, not only the roots.
    """
    import logging

    import distributed  # noqa: F401 - it configures its loggers on import; override after

    roots = ("distributed", "tornado", "asyncio")
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in roots]
    for name in {*roots, *names}:
        logging.getLogger(name).setLevel(logging.CRITICAL)


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
    from indopacsim.experiments.calibration_sets import expanded
    from indopacsim.figures import axes_map
    from indopacsim.manifest import base_manifest
    from indopacsim.validation.backtest import run_backtest
    from indopacsim.validation.backtest_output import summary, write_outputs

    overrides = expanded(parse_overrides(args.set))  # a bad --set before --out is touched
    _check_run_out(args.out, args.force)

    def progress(line: str) -> None:
        print(f"backtest: {line}", file=sys.stderr, flush=True)

    bt = run_backtest(
        args.seeds,
        args.seed,
        blind=args.blind,
        ablation=args.ablation,
        progress=None if args.quiet else progress,
        overrides=overrides,
        parameter_uncertainty=args.parameter_uncertainty,
    )
    manifest = base_manifest("backtest", ["indopacsim", *args.argv])
    write_outputs(bt, args.out, manifest, axes_map)
    if not args.quiet:
        print(summary(bt))
        print(f"\nPredictions, scores, figures and manifest written to {args.out}/")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    """``indopacsim explain``: each side's value of moving a pair a rung, term by term, at
    the start of a scenario or after ``--steps`` (docs/validation.md, "Why the forecast
    misses")."""
    from indopacsim.experiments.calibration_sets import load_at
    from indopacsim.validation.deals import decompose, markdown

    sc = load_at(args.scenario, parse_overrides(args.set))
    pairs = [tuple(p.upper().split("-")) for p in args.pairs]
    if bad := [p for p, t in zip(args.pairs, pairs, strict=True) if len(t) != 2 or "" in t]:
        raise InputError(f"pairs are written A-B (e.g. GBR-JPN), not {bad[0]!r}", field="pair")
    try:
        kw = {"steps": args.steps, "runs": args.runs, "seed": args.seed}
        table = decompose(sc, pairs, way="down" if args.down else "up", **kw)
    except ValueError as exc:
        raise InputError(str(exc), file=args.scenario, field="pair") from None
    print(markdown(table), end="")
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
