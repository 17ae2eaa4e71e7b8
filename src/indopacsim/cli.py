"""Command-line interface: argument parsing only; the work is done by the library.

Exit codes: 0 success; 2 bad input (one line naming the file and the field, no traceback);
1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from indopacsim.errors import InputError

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {v}")
    return v


def _seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"a seed is non-negative, got {v}")
    return v


def _overrides(pairs: Sequence[str] | None) -> dict[str, object]:
    from indopacsim.scenario_io import parse_assignment

    return dict(parse_assignment(p) for p in pairs or ())


def cmd_run(args: argparse.Namespace) -> int:
    """``indopacsim run``: run a scenario, write the run directory, print a summary."""
    from tqdm import tqdm

    from indopacsim.report import summary
    from indopacsim.runner import run, write_run
    from indopacsim.scenario_io import load_scenario, resolve_path

    source = args.scenario or "uk_japan_2026"
    path = resolve_path(source)
    scenario = load_scenario(path, _overrides(args.set))
    suffix = f"_r{args.replicates}" if args.replicates > 1 else ""
    out = args.out or Path("runs") / f"{scenario.name}_seed{args.seed}{suffix}"
    show = args.replicates > 1 and not args.quiet
    with tqdm(total=args.replicates, desc="replicates", unit="run", disable=not show) as bar:
        result = run(scenario, args.seed, args.replicates, progress=bar.update, source=str(path))
    write_run(result, out, command=["indopacsim", *args.argv])
    if not args.quiet:
        print(summary(result))
        print(f"\nTables and manifest written to {out}/")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """``indopacsim validate``: check scenario files without running them."""
    from indopacsim.scenario_io import load_scenario

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
    """``indopacsim landscape``: solve a landscape-theory case (Axelrod & Bennett 1993)."""
    from importlib import resources

    from indopacsim.landscape_case import landscape_report

    path = Path(args.case)
    if not path.exists() and path.parent == Path("."):
        name = path.name if path.name.endswith(".yaml") else f"{path.name}.yaml"
        bundled = resources.files("indopacsim").joinpath("scenarios", "landscape", name)
        if bundled.is_file():
            path = Path(str(bundled))
    print(
        landscape_report(
            path, top=args.top, heuristic=args.heuristic, as_json=args.json, seed=args.seed
        )
    )
    return EXIT_OK


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
    p.add_argument("--out", type=Path, help="output directory (default runs/NAME_seedN)")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a parameter, e.g. --set us.reliability=0.4 (repeatable)",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="check scenario files", description=cmd_validate.__doc__)
    p.add_argument("files", nargs="+", help="scenario YAML files")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "landscape",
        help="solve a landscape-theory case: minima, basins, frustration",
        description=cmd_landscape.__doc__,
    )
    p.add_argument("case", help="landscape case YAML file or bundled case name (europe_1936)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--top", type=_positive_int, default=5, help="minima to show (default 5)")
    p.add_argument(
        "--heuristic", action="store_true", help="multi-start local search (needed above 24)"
    )
    p.add_argument("--seed", type=_seed, default=0, help="seed of the heuristic (default 0)")
    p.set_defaults(func=cmd_landscape)
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
    except KeyboardInterrupt:
        print("indopacsim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
