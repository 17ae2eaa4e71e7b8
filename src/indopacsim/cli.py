"""Command-line interface: argument parsing, dispatch and error handling only; the
subcommands' bodies are in ``commands``, and the work is done by the library.

Exit codes: 0 success; 2 bad input (one line naming the file and the field, no traceback);
1 an unexpected failure, or (``sweep``) some runs failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from indopacsim import commands
from indopacsim.commands import EXIT_FAIL, EXIT_INPUT
from indopacsim.errors import InputError


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


def _out_path(text: str) -> Path:
    """An argparse type for --out: a non-empty path."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty directory name")
    return Path(text)


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
    _add_run(sub)
    _add_plot(sub)
    _add_validate(sub)
    _add_landscape(sub)
    _add_sweep(sub)
    _add_analyze(sub)
    _add_backtest(sub)
    _add_explain(sub)
    _add_app(sub)
    return parser


def _add_run(sub: Any) -> None:
    """The ``run`` subcommand."""
    p = sub.add_parser(
        "run", help="run a scenario and write its tables", description=commands.cmd_run.__doc__
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
        help="override a parameter, e.g. --set us.reliability=0.4 (repeatable); "
        "--set calibration=full.3 runs at a parameter set of the calibration",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.add_argument("--no-plots", action="store_true", help="do not draw the default figures")
    p.set_defaults(func=commands.cmd_run)


def _add_plot(sub: Any) -> None:
    """The ``plot`` subcommand."""
    p = sub.add_parser(
        "plot", help="draw the figures of a run directory", description=commands.cmd_plot.__doc__
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
    p.set_defaults(func=commands.cmd_plot)


def _add_validate(sub: Any) -> None:
    """The ``validate`` subcommand."""
    p = sub.add_parser(
        "validate", help="check scenario files", description=commands.cmd_validate.__doc__
    )
    p.add_argument("files", nargs="+", help="scenario YAML files")
    p.set_defaults(func=commands.cmd_validate)


def _add_landscape(sub: Any) -> None:
    """The ``landscape`` subcommand."""
    p = sub.add_parser(
        "landscape",
        help="solve a landscape-theory case: minima, basins, frustration",
        description=commands.cmd_landscape.__doc__,
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
    p.set_defaults(func=commands.cmd_landscape)


def _add_sweep(sub: Any) -> None:
    """The ``sweep`` subcommand."""
    p = sub.add_parser(
        "sweep",
        help="run an experiment (many points x replications) and store the results",
        description=commands.cmd_sweep.__doc__,
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
    p.set_defaults(func=commands.cmd_sweep)


def _add_analyze(sub: Any) -> None:
    """The ``analyze`` subcommand."""
    p = sub.add_parser(
        "analyze",
        help="aggregate a sweep's results; Sobol/Morris sensitivity indices",
        description=commands.cmd_analyze.__doc__,
    )
    p.add_argument("sweep_dir", help="a sweep directory written by indopacsim sweep")
    p.add_argument(
        "--max-rows", type=_positive_int, default=40, help="points to print (default 40)"
    )
    p.add_argument("--quiet", action="store_true", help="write the tables, print nothing")
    p.set_defaults(func=commands.cmd_analyze)


def _add_backtest(sub: Any) -> None:
    """The ``backtest`` subcommand."""
    p = sub.add_parser(
        "backtest",
        help="hindcast 2020-2025 from the 2019 world, scored against history",
        description=commands.cmd_backtest.__doc__,
    )
    p.add_argument(
        "--seeds",
        type=_positive_int,
        default=1000,
        help="runs (default 1000: p_up to 0.001, so few pairs tie at 0)",
    )
    p.add_argument("--seed", type=_seed, default=0, help="root seed (default 0)")
    p.add_argument("--blind", action="store_true", help="forecast without the driver paths")
    p.add_argument("--ablation", action="store_true", help="also switch each mechanism off")
    p.add_argument(
        "--out", type=_out_path, default=Path("runs/backtest"), help="default runs/backtest"
    )
    p.add_argument("--force", action="store_true", help="overwrite the backtest in --out")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="set a model parameter in both windows' runs, e.g. --set weights.values=0.3 "
        "(repeatable; the frozen calibration otherwise), or all of a parameter set's: "
        "--set calibration=fit_2006_2012",
    )
    p.add_argument(
        "--parameter-uncertainty",
        nargs="?",
        const="local",
        choices=("local", "full"),
        help="share the runs among the parameter sets of the calibration's bootstrap "
        "replicates: local refits (the default) or whole calibrations (docs/validation.md)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines or summary")
    p.set_defaults(func=commands.cmd_backtest)


def _add_explain(sub: Any) -> None:
    """The ``explain`` subcommand."""
    p = sub.add_parser(
        "explain",
        help="why a pair moves or stays: each side's value of the next rung, term by term",
        description=commands.cmd_explain.__doc__,
    )
    p.add_argument("scenario", help="scenario file or name (e.g. hindcast_2019)")
    p.add_argument("pairs", nargs="+", metavar="PAIR", help="pairs as A-B, e.g. USA-VNM")
    p.add_argument("--steps", type=_int_at_least(0), default=0, help="steps run first (0)")
    p.add_argument("--runs", type=_positive_int, default=1, help="runs averaged (default 1)")
    p.add_argument("--seed", type=_seed, default=0, help="root seed (default 0)")
    p.add_argument("--down", action="store_true", help="the value of a rung down (a cut)")
    p.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="override a parameter (repeatable)"
    )
    p.set_defaults(func=commands.cmd_explain)


def _add_app(sub: Any) -> None:
    """The ``app`` subcommand."""
    p = sub.add_parser(
        "app",
        help="live view or classroom role-play in the browser",
        description=commands.cmd_app.__doc__,
    )
    p.add_argument("scenario", nargs="?", help="scenario file or name (default classroom_small)")
    p.add_argument("--classroom", action="store_true", help="role-play: students play states")
    p.add_argument("--lan", action="store_true", help="listen on the local network, not only here")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_positive_int, default=8765, help="port (default 8765)")
    p.add_argument("--seed", type=_seed, default=0, help="the game's seed (default 0)")
    p.add_argument("--turns", type=_positive_int, help="turns to play (default: the horizon)")
    p.add_argument("--deadline", type=_positive_int, help="seconds per turn (default: none)")
    p.set_defaults(func=commands.cmd_app)


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
