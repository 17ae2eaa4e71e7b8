"""Calibration patterns: does the baseline reproduce stylised facts, and the paper's claims?

Pattern-oriented modelling (Grimm et al. 2005, Science 310): a model is calibrated
against several patterns at once rather than one number. This script prints, over
``--seeds`` replicates of the baseline without its dated events:

* P1 alliance persistence: share of the treaty alliances of 2026 still at level 5 after
  ten years (alliances rarely end: Bennett 1997; target >= 0.9);
* P2 network stability: share of the 2026 ties whose level moved by at most one rung
  (target >= 0.8);
* P3 no rival alignment: strong ties (>= 3) formed between rivals (disputes of
  intensity 1) (target 0);
* P4 growth: mean tie level at the end relative to the start (a slow thickening of the
  network, between 1.0 and 1.2);

and the five comparative statics of docs/validation.md with the share of seeds in
which each holds (paired by seed).

    python benchmarks/patterns.py [--seeds 20] [--set key=value ...]
"""

from __future__ import annotations

import argparse

import numpy as np

from indopacsim import IndoPacModel, load_scenario
from indopacsim.commands import parse_overrides
from indopacsim.scenario.io import with_overrides
from indopacsim.scenario.schema import Scenario
from indopacsim.validation.claims import CLAIMS, compare


def patterns(scenario: Scenario, seeds: range) -> dict[str, float]:
    quiet = with_overrides(scenario, {"events": []})
    keep, stable, rivals, growth = [], [], [], []
    for s in seeds:
        m = IndoPacModel(quiet, rng=s, record=False)
        t0 = m.ties.copy()
        m.run_model()
        iu = np.triu_indices(m.world.n, 1)
        a, b = t0[iu], m.ties[iu]
        keep.append(np.mean(b[a == 5] == 5))
        stable.append(np.mean(np.abs(b[a > 0].astype(int) - a[a > 0]) <= 1))
        rival = m.world.dispute[iu] >= 1.0
        rivals.append(int(np.sum(rival & (b >= 3) & (a < 3))))
        growth.append(b.mean() / a.mean())
    return {
        "P1 treaty alliances kept": float(np.mean(keep)),
        "P2 ties within one rung": float(np.mean(stable)),
        "P3 new strong rival ties": float(np.mean(rivals)),
        "P4 mean level end/start": float(np.mean(growth)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--set", action="append", metavar="KEY=VALUE")
    args = parser.parse_args()
    scenario = load_scenario("uk_japan_2026", parse_overrides(args.set))
    seeds = range(args.seeds)
    for name, value in patterns(scenario, seeds).items():
        print(f"{name:32s} {value:.3f}")
    for claim in CLAIMS:
        r = compare(claim, scenario, seeds)
        print(
            f"{claim.name:32s} {r.low:.3f} -> {r.high:.3f}  holds in {r.share:.2f} of seeds"
            f"  {'OK' if r.holds else 'FAILS'}"
        )


if __name__ == "__main__":
    main()
