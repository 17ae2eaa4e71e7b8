"""What ``indopacsim backtest`` writes: its files, their manifest and a plain-text summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indopacsim.validation import hindcast as H
from indopacsim.validation import levels as L
from indopacsim.validation.backtest import BASELINES, CHUNK, TRAIN, WINDOW, Backtest


def write_outputs(bt: Backtest, out: Path, manifest: dict[str, Any], maps: Any) -> list[Path]:
    """Write predictions.csv, scores.json, the two figures, ablation.csv and the manifest."""
    from indopacsim.manifest import atomic_write_bytes, write_json
    from indopacsim.validation.backtest_figures import map_figure, reliability_figure

    paths = [out / "predictions.csv", out / "scores.json"]
    atomic_write_bytes(paths[0], bt.predictions.to_csv(index=False).encode())
    write_json(paths[1], {"window": WINDOW, "training_window": TRAIN, **bt.scores})
    if bt.ablation is not None:
        paths.append(out / "ablation.csv")
        atomic_write_bytes(paths[-1], bt.ablation.to_csv(index=False).encode())
    for name, fig in (
        ("reliability.png", reliability_figure(bt)),
        ("map.png", map_figure(bt, maps)),
    ):
        paths.append(out / name)
        fig.savefig(paths[-1], dpi=150)
    manifest.update(
        {
            "scenario": {"name": bt.scenario.name, "sha256": bt.scenario.digest()},
            "blind_scenario_sha256": H.blind(bt.scenario).digest() if bt.blind else None,
            "seeds": bt.seeds,
            "root_seed": bt.seed,
            "seed_rule": (
                "parameter set k: SeedSequence(root_seed).spawn()[k]"
                if bt.parameter_uncertainty
                else f"chunks of {CHUNK} runs; chunk k: SeedSequence(root_seed).spawn()[k]"
            ),
            "parameter_uncertainty": bt.scores["parameter_uncertainty"],
            "blind": bt.blind,
            "window": WINDOW,
            "training_window": TRAIN,
            "files": [p.name for p in paths],
            "overrides": bt.overrides,
            "reproduce": f"indopacsim backtest --seeds {bt.seeds} --seed {bt.seed}"
            + "".join(f" --set {k}={v}" for k, v in bt.overrides.items())
            + (" --blind" if bt.blind else "")
            + (" --ablation" if bt.ablation is not None else "")
            + (f" --parameter-uncertainty {kind}" if (kind := bt.parameter_uncertainty) else ""),
            "parameters": bt.scenario.model_dump(mode="json"),
        }
    )
    write_json(out / "manifest.json", manifest)
    return [*paths, out / "manifest.json"]


def summary(bt: Backtest) -> str:
    """A plain-text table of the scores (and the ablation when run)."""
    lines = [f"Hindcast {WINDOW}: {bt.seeds} runs; {int(bt.observed['up'].sum())} pairs went up"]
    if bt.parameter_uncertainty:
        n, kind = bt.scores["parameter_uncertainty"]["sets"], bt.parameter_uncertainty
        lines.append(f"runs shared among {n} parameter sets ({kind} bootstrap)")
    if bt.overrides:
        lines.append("parameters set: " + ", ".join(f"{k}={v}" for k, v in bt.overrides.items()))
    lines.append(
        f"{'forecast':<16} {'ROC-AUC':>8} {'95% CI':>13} {'PR-AUC':>7} {'Brier':>7} "
        f"{'skill':>7} {'95% CI':>15}"
    )
    for name in ("model", "recalibrated", "model_and_level", "blind", *BASELINES):
        if name not in bt.scores:
            continue
        s = bt.scores[name]
        ca, cb = s["ci95"]["roc_auc"], s["ci95"]["brier_skill"]
        lines.append(
            f"{name:<16} {s['roc_auc']:8.3f} {ca[0]:6.3f}-{ca[1]:.3f} {s['pr_auc']:7.3f} "
            f"{s['brier']:7.4f} {s['brier_skill']:7.3f} {cb[0]:7.3f}-{cb[1]:.3f}"
        )
    for name, c in bt.scores.get("cuts", {}).items():
        lines.append(
            f"cuts, {name}: ROC-AUC {c['roc_auc']:.3f}, Brier skill {c['brier_skill']:.3f}"
        )
    lines += ["", *L.summary_lines(bt.scores["levels"])] if "levels" in bt.scores else []
    if bt.ablation is not None:
        lines.append("\n" + bt.ablation.round(3).to_string(index=False))
    return "\n".join(lines)
