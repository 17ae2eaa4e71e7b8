"""Helpers several test files share (not collected: the name does not start with test_)."""

from __future__ import annotations

import contextlib
import subprocess
import typing
from collections.abc import Iterator
from pathlib import Path

from pydantic.fields import FieldInfo

from indopacsim.cli import main


def small_experiment(samples: int) -> str:
    """A small Latin-hypercube sweep over US reliability on four steps of the baseline."""
    return f"""\
name: small
scenario: uk_japan_2026
horizon: 4
uncertainties:
  - {{path: us.reliability, range: [0.2, 0.8]}}
design: {{kind: latin_hypercube, samples: {samples}}}
replications: 2
seed: 3
outcomes:
  - name: uk_japan
  - {{name: trust, measure: mean_trust, stat: series}}
"""


def short_run(out: Path) -> Path:
    """Write the run directory of four steps of the baseline to ``out``."""
    args = ["run", "uk_japan_2026", "--set", "time.horizon=4", "--no-plots", "--quiet"]
    assert main([*args, "--out", str(out)]) == 0
    return out


def schema_bounds(info: FieldInfo) -> tuple[str | None, str | None]:
    """The lower and upper bounds of a pydantic field as interval ends (``[0``, ``1]``)."""
    metas = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        metas += [m for meta in getattr(arg, "__metadata__", ()) for m in meta.metadata]
    lo = hi = None
    for m in metas:
        for attr, bracket in (("ge", "["), ("gt", "(")):
            if getattr(m, attr, None) is not None:
                lo = f"{bracket}{getattr(m, attr):g}"
        for attr, bracket in (("le", "]"), ("lt", ")")):
            if getattr(m, attr, None) is not None:
                hi = f"{getattr(m, attr):g}{bracket}"
    return lo, hi


@contextlib.contextmanager
def small_tmpfs(path: Path, options: str) -> Iterator[bool]:
    """Mount a tmpfs with ``options`` (e.g. ``size=4m`` or ``size=1m,ro``) on ``path``.

    Yields whether the mount happened: mounting needs root (CI runs as root); where it
    is not permitted the caller falls back to another way of making the same failure,
    so the test still runs.
    """
    path.mkdir(exist_ok=True)
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError):
        yield False
        return
    try:
        yield True
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def run_backtest_cli(argv: list[str], reps: int = 100) -> tuple[int, str, str]:
    """``main(argv)`` with its output captured and the backtest's bootstrap at ``reps``
    replicates (the default 1000 costs about 30 s): exit code, stdout, stderr."""
    import io

    import pytest

    from indopacsim.validation import backtest

    out, err = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as mp,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        mp.setattr(backtest, "BOOTSTRAP_REPS", reps)
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


#: The 24 states of the bundled worlds in the order of the project brief (the tie and
#: change files list each pair with ``a`` before ``b`` in this order).
ORDER = [
    "USA",
    "CHN",
    "RUS",
    "GBR",
    "FRA",
    "DEU",
    "ITA",
    "NLD",
    "CAN",
    "FIN",
    "JPN",
    "KOR",
    "PRK",
    "TWN",
    "AUS",
    "NZL",
    "IND",
    "PAK",
    "IDN",
    "MYS",
    "SGP",
    "PHL",
    "THA",
    "VNM",
]

#: The columns of the files of dated tie changes.
CHANGE_COLUMNS = [
    "date",
    "a",
    "b",
    "level_from",
    "level_to",
    "instrument",
    "source",
    "coding_rule",
    "robust",
]


def check_change_rows(changes) -> None:
    """The row checks every file of dated tie changes passes (read as strings but for the
    levels): levels on the ladder and moved, ``robust`` true or false, the texts given, one
    row per pair and date."""
    assert changes.level_from.between(0, 8).all() and changes.level_to.between(0, 8).all()
    assert (changes.level_from != changes.level_to).all()
    assert set(changes.robust) <= {"true", "false"}
    for col in ("instrument", "source", "coding_rule"):
        assert (changes[col].str.strip() != "").all(), col
    assert not changes.duplicated(["date", "a", "b"]).any()
