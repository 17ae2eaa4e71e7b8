"""Which scoring rule should the calibration fit by? An out-of-time test before 2020.

The calibration scores each pair's forecast by the Brier score (``docs/model.md``
section 9). The ignorance (log) score is the other standard strictly proper rule
(:mod:`indopacsim.validation.scoring`); it punishes without bound the confident misses
that dominate the 2020-2025 hindcast's failures (real upgrades the ensemble gives no
chance). Which rule picks parameters that *forecast* better is a question the record
before 2020 can answer by itself: each rule fits the earlier window alone, 2006-2012
(from the world of 2005), by the calibration's own search with screened starts only (its
fixed starts were found on a record that includes the later window), and each fit then
forecasts 2013-2019 from the world of 2012, scored by ROC-AUC, Brier skill and
ignorance skill against the base rate of the scored pairs, with 95% intervals from
resampling states and the interval of the difference between the rules on the same
replicates. Beside them, the hindcast's three baselines trained on 2006-2012 alone
(persistence, the base rate by starting level, the logistic regression on the model's
inputs): does the simulation fitted on the earlier years add to them? Nothing from 2020
or later is read.

Usage: python benchmarks/scoring_rule_report.py [--rules brier log] [--screen 512]
       [--refine 1200] [--seeds 1000] [--json FILE]
       python benchmarks/scoring_rule_report.py --records RULE=RECORD.json ... (score fits)
       python benchmarks/scoring_rule_report.py --from-json FILE (print again)
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np

from indopacsim.model.ensemble import run_ensemble
from indopacsim.validation import backtest as B
from indopacsim.validation import calibration as C
from indopacsim.validation import hindcast as H
from indopacsim.validation import scoring as S
from indopacsim.validation.split import window_scenario

FIT, LATER = "2006-2012", "2013-2019"


def forecast(params: dict[str, Any], window: str, runs: int) -> dict[str, Any]:
    """``p_up`` of a window's forecast at ``params`` (``runs`` runs, seed 0), its outcomes,
    pairs and scores (the first ADMM's pairs left out, as the calibration leaves them)."""
    res = run_ensemble(C.with_parameters(window_scenario(window)[0], params), runs, 0)
    obs = B.outcomes(window)
    keep = obs["scored"].to_numpy()
    out = _scores(H.predictions(res)["p_up"].to_numpy()[keep], obs, runs)
    return out | {"per_year": H.changes_per_year(res)}


def _scores(p: np.ndarray, obs: Any, runs: int) -> dict[str, Any]:
    """The scores of ``p`` on the scored pairs of ``obs`` (:func:`.backtest.outcomes`): the
    pairs, their outcomes, ROC-AUC, Brier skill and ignorance skill (``p`` as shares of
    ``runs`` runs; the base rate is the scored pairs' own share, stated exactly)."""
    keep = obs["scored"].to_numpy()
    y = obs["up"].to_numpy()[keep].astype(bool)
    s = H.score(p, y)
    base = S.score("log", np.full(len(y), float(y.mean())), y, 10**9)
    return {
        "p": p.tolist(),
        "y": y.tolist(),
        "a": obs["a"][keep].tolist(),
        "b": obs["b"][keep].tolist(),
        "roc_auc": s.roc_auc,
        "brier_skill": s.brier_skill,
        "ignorance_skill": 1.0 - S.score("log", p, y, runs) / base,
        "n_up": s.n_up,
    }


def baselines(runs: int) -> list[dict[str, Any]]:
    """Rows of the three baselines trained on :data:`FIT` and forecasting :data:`LATER`
    (the scored pairs of both; their ``p`` in the pair order of :func:`forecast`)."""
    train, test = B.outcomes(FIT), B.outcomes(LATER)
    keep, fit_keep = test["scored"].to_numpy(), train["scored"].to_numpy()
    y_train = train["up"].to_numpy()[fit_keep]
    rates = H.level_base_rates(train["level_start"].to_numpy()[fit_keep], y_train)
    x_train = H.pair_features(window_scenario(FIT)[0])[fit_keep]
    forecasts = {
        "persistence": np.zeros(len(test)),
        "level base rate": np.array(
            [rates.get(int(v), float(y_train.mean())) for v in test["level_start"]]
        ),
        "logistic": H.logistic_baseline(x_train, y_train, window_scenario(LATER)[0]),
    }
    none = {"value": float("nan"), "seconds": 0.0}
    return [
        {
            "rule": name,
            "record": none,
            "in_sample": {"roc_auc": float("nan")},
            "forecast": _scores(p[keep], test, runs) | {"per_year": float("nan")},
        }
        for name, p in forecasts.items()
    ]


def intervals(rows: list[dict[str, Any]], reps: int = 1000) -> dict[str, dict[str, Any]]:
    """95% intervals (states resampled) of each row's ROC-AUC and Brier skill, and of each
    row's difference from the first row on the same replicates."""
    first = rows[0]["forecast"]
    if any(r["forecast"]["y"] != first["y"] for r in rows):
        raise ValueError("the rows score different pairs: their intervals cannot be paired")
    y = np.asarray(first["y"], dtype=float)
    ps = [np.asarray(r["forecast"]["p"]) for r in rows]
    draws: list[list[tuple[float, float]]] = [[] for _ in rows]
    for w in H.state_weights(first["a"], first["b"], reps, seed=0):
        keep = w > 0
        if not 0 < y[keep].sum() < keep.sum():
            continue
        for k, p in enumerate(ps):
            draws[k].append(H.weighted_scores(p[keep], y[keep], w[keep]))
    q = lambda x: [round(float(v), 3) for v in np.quantile(x, [0.025, 0.975])]  # noqa: E731
    out = {}
    for r, d in zip(rows, draws, strict=True):
        arr, base = np.array(d), np.array(draws[0])
        out[r["rule"]] = {
            "roc_auc": q(arr[:, 0]),
            "brier_skill": q(arr[:, 1]),
            "roc_auc_minus_first": q(arr[:, 0] - base[:, 0]),
            "brier_skill_minus_first": q(arr[:, 1] - base[:, 1]),
        }
    return out


def table(rows: list[dict[str, Any]]) -> list[str]:
    """The report's table (markdown)."""
    ci = intervals(rows)
    out = [
        f"fitted on {FIT} (screened starts only), forecasting {LATER} "
        f"({rows[0]['forecast']['n_up']} upgrades; 95% intervals resampling states)",
        "| rule | fit objective | in-sample ROC-AUC | ROC-AUC | Brier skill | ignorance skill "
        "| changes a year | ROC-AUC minus the first | Brier skill minus the first | s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for k, r in enumerate(rows):
        f, c, rec = r["forecast"], ci[r["rule"]], r["record"]
        fit = "fit by " if "parameters" in rec else ""
        diffs = (
            ("(reference)", "(reference)")
            if k == 0
            else (c["roc_auc_minus_first"], c["brier_skill_minus_first"])
        )
        out.append(
            f"| {fit}{r['rule']} | {_num(rec['value'], '.5f')} "
            f"| {_num(r['in_sample']['roc_auc'], '.3f')} "
            f"| {f['roc_auc']:.3f} {c['roc_auc']} | {f['brier_skill']:+.3f} {c['brier_skill']} "
            f"| {f['ignorance_skill']:+.3f} | {_num(f['per_year'], '.1f')} "
            f"| {diffs[0]} | {diffs[1]} | {_num(rec.get('seconds', 0.0) or float('nan'), '.0f')} |"
        )
    return out


def _num(x: float, fmt: str) -> str:
    return "-" if x != x else format(x, fmt)


def row(rule: str, record: dict[str, Any], runs: int) -> dict[str, Any]:
    """A rule's fit, its in-sample reading and its forecast of the later window."""
    later = forecast(record["parameters"], LATER, runs)
    own = forecast(record["parameters"], FIT, runs)
    own = {k: v for k, v in own.items() if k not in ("p", "y", "a", "b")}
    return {"rule": rule, "record": record, "in_sample": own, "forecast": later}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", nargs="*", default=list(S.RULES), choices=list(S.RULES))
    ap.add_argument("--screen", type=int, default=512)
    ap.add_argument("--refine", type=int, default=1200)
    ap.add_argument("--seeds", type=int, default=1000, help="runs of each forecast")
    ap.add_argument("--records", nargs="*", default=None, help="RULE=RECORD.json: score fits")
    ap.add_argument("--json", default=None, help="also write the rows here")
    ap.add_argument("--from-json", default=None, help="print the rows of an earlier --json")
    a = ap.parse_args()
    if a.from_json:
        with open(a.from_json) as fh:
            rows = json.load(fh)
    else:
        rows = []
        for rule, path in _fits(a):
            t0 = time.perf_counter()
            if path is None:
                rec = C.calibrate(a.screen, a.refine, window=FIT, fixed_starts=False, rule=rule)
            else:
                with open(path) as fh:
                    rec = json.load(fh)
            rows.append(row(rule, rec, a.seeds))
            print(f"{rule}: fitted and scored in {time.perf_counter() - t0:.0f} s", flush=True)
        rows += baselines(a.seeds)
        if a.json:
            with open(a.json, "w") as fh:
                json.dump(rows, fh, indent=1)
    print("\n".join(table(rows)))


def _fits(a: argparse.Namespace) -> list[tuple[str, str | None]]:
    if a.records:
        return [tuple(r.split("=", 1)) for r in a.records]  # type: ignore[misc]
    return [(rule, None) for rule in a.rules]


if __name__ == "__main__":
    main()
