"""The calibration as an uncertainty of a sweep (``path: calibration``): its levels are the
parameter sets of the bootstrap records, each run is made at its point's set, and bad
levels are refused naming the file and the field."""

from __future__ import annotations

import pytest

from indopacsim.errors import InputError
from indopacsim.experiments import calibration_sets as CS
from indopacsim.experiments.designs import design_points
from indopacsim.experiments.outcomes import run_abm
from indopacsim.experiments.spec import Experiment, Outcome
from indopacsim.scenario import calibrated
from indopacsim.scenario.io import load_scenario
from indopacsim.validation import calibration as C
from indopacsim.validation import uncertainty as U

CAL = "[{path: calibration, levels: [frozen, full]}, {path: china.coercion, range: [0.3, 0.9]}]"
OUTCOMES = (Outcome(name="uk_japan"), Outcome(name="payoff", state="JPN", stat="mean"))


def exp_from(**changes: str) -> Experiment:
    """A small experiment on classroom_small with top-level keys replaced by YAML snippets."""
    import yaml

    doc = {
        "name": "t",
        "scenario": "classroom_small",
        "horizon": 5,
        "levers": [{"path": "states.GBR.doctrine", "levels": ["network", "hedge"]}],
        "replications": 2,
        "seed": 11,
        "outcomes": [{"name": "uk_japan"}],
    }
    for key, snippet in changes.items():
        doc[key] = yaml.safe_load(snippet)
    return Experiment.from_text(yaml.safe_dump(doc, sort_keys=False), "exp.yaml")


def test_groups_expand_into_every_set_of_their_record():
    exp = exp_from(uncertainties=CAL, levers="[]", design="{kind: full_factorial, resolution: 2}")
    levels = exp.uncertainties[0].levels
    n = len(U.record("full")["sets"])
    assert levels == ["frozen"] + [f"full.{k}" for k in range(n)]
    points = design_points(exp)
    assert sorted(set(points["calibration"])) == sorted(levels)
    assert len(points) == 2 * len(levels)  # crossed with the two coercion values
    local = CS.expand(["local", "frozen", "local.0"])
    assert local[0] == "local.0" and local.count("local.0") == 1 and "frozen" in local


def test_a_point_runs_at_its_set_and_its_other_values_after_it():
    base = load_scenario("classroom_small")
    sets = U.parameter_sets(kind="full")
    k = max(range(len(sets)), key=lambda j: abs(sets[j]["noise.decision"] - 0.0237))
    sc = CS.point_scenario(base, {"calibration": f"full.{k}", "costs.distance": 0.9})
    assert sc.noise.decision == pytest.approx(sets[k]["noise.decision"])
    assert sc.ladder.side_payments == pytest.approx(sets[k]["ladder.side_payments"])
    assert sc.costs.distance == pytest.approx(0.9)  # the point's value, after the set's
    # the start is fitted under the set's distance, so 0.9 is a change from it
    assert sc.status_quo.reference["costs.distance"] == pytest.approx(sets[k]["costs.distance"])
    assert sc.noise.decision != pytest.approx(base.noise.decision)


def test_the_frozen_set_reproduces_the_default_run_and_another_set_does_not():
    base = load_scenario("classroom_small")
    plain, _ = run_abm(base, 5, OUTCOMES)
    frozen, _ = run_abm(CS.point_scenario(base, {"calibration": "frozen"}), 5, OUTCOMES)
    assert frozen == plain
    assert CS.parameters("frozen") == C.frozen()["parameters"]
    sets = U.parameter_sets(kind="full")
    far = max(range(len(sets)), key=lambda j: abs(sets[j]["noise.decision"] - 0.0237))
    other, _ = run_abm(CS.point_scenario(base, {"calibration": f"full.{far}"}), 5, OUTCOMES)
    assert other["payoff"] != plain["payoff"]


BAD = [
    ("unknown_set", "[{path: calibration, levels: [frozen, full.99]}]", "[]", "levels[1]"),
    ("not_a_set", "[{path: calibration, levels: [best]}]", "[]", "levels[0]"),
    ("range", "[{path: calibration, range: [0, 1]}]", "[]", "levels"),
    ("as_lever", "[]", "[{path: calibration, levels: [frozen, full.0]}]", "path"),
]


@pytest.mark.parametrize(("unc", "lev", "field"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_calibration_levels_name_the_file_and_field(unc, lev, field):
    with pytest.raises(InputError) as err:
        exp_from(uncertainties=unc, levers=lev)
    assert err.value.file == "exp.yaml"
    section = "levers" if lev != "[]" else "uncertainties"
    assert err.value.field == f"{section}[0].{field}", err.value.one_line()


def test_a_record_of_another_calibration_is_refused(monkeypatch):
    assert C.frozen()["window"] == C.WINDOW  # the two checks of a record agree
    assert calibrated.of_frozen(U.record("full")) and U.of_frozen(U.record("full"))
    monkeypatch.setattr(calibrated, "of_frozen", lambda rec, window=None: False)
    with pytest.raises(InputError, match="another calibration"):
        CS.parameters("full.0")
    assert CS.parameters("frozen") == C.frozen()["parameters"]


CAL_SWEEP = """
name: tiny_cal
scenario: classroom_small
horizon: 8
uncertainties:
  - {path: us.reliability, range: [0.2, 0.8]}
  - {path: calibration, levels: [frozen, full.8]}
levers:
  - {path: states.GBR.doctrine, name: gbr_doctrine, levels: [network, hedge]}
design: {kind: full_factorial, resolution: 2}
replications: 1
seed: 3
outcomes:
  - {name: gbr_payoff, measure: payoff, state: GBR, stat: mean}
"""


def test_a_sweep_across_sets_stores_them_and_its_regret_takes_a_set_as_a_future(tmp_path):
    import pandas as pd

    from indopacsim.cli import main
    from indopacsim.experiments.store import SweepStore
    from indopacsim.figures.sweep import sweep_figures

    exp = tmp_path / "tiny_cal.yaml"
    exp.write_text(CAL_SWEEP)
    out = tmp_path / "cal"
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--quiet"]) == 0
    runs = SweepStore(out).read_runs()
    assert len(runs) == 8 and (runs["status"] == "ok").all()
    assert sorted(set(runs["calibration"])) == ["frozen", "full.8"]
    by_set = runs.groupby("calibration")["gbr_payoff"].mean()
    assert by_set["frozen"] != pytest.approx(by_set["full.8"], abs=1e-9)
    sweep_figures(out, out=tmp_path / "fig", kinds=["regret"])
    regret = pd.read_csv(tmp_path / "fig" / "regret_gbr_doctrine.csv")
    assert regret["futures"].iloc[0] == 4  # reliability in halves x the two sets
    by_set = pd.read_csv(tmp_path / "fig" / "regret_gbr_doctrine_by_calibration.csv")
    assert sorted(set(by_set["calibration"])) == ["frozen", "full.8"]
    assert (by_set["futures"] == 2).all() and by_set.groupby("calibration")["minimax"].any().all()
    from indopacsim.experiments.analysis import analyze_sweep, format_analysis, write_analysis

    result = analyze_sweep(out)
    table = result.by_calibration
    assert table is not None and set(table["calibration"]) == {"frozen", "full.8"}
    assert set(table["gbr_doctrine"]) == {"network", "hedge"} and (table["n"] == 2).all()
    assert "per parameter set of the calibration" in format_analysis(result)
    assert "by_calibration.csv" in {p.name for p in write_analysis(result, out)}


def test_run_and_explain_take_a_set_and_refuse_an_unknown_one(tmp_path, capsys):
    import json

    from indopacsim.cli import main

    args = ["run", "classroom_small", "--quiet", "--no-plots", "--seed", "2"]
    assert main([*args, "--out", str(tmp_path / "a"), "--set", "calibration=full.8"]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    at_set = json.loads((tmp_path / "a" / "manifest.json").read_text())
    plain = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert "calibration=full.8" in " ".join(at_set["command"])
    assert at_set["scenario"]["sha256"] != plain["scenario"]["sha256"]
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path / "c"), "--set", "calibration=full.99"]) == 2
    err = capsys.readouterr().err
    assert "--set" in err and "calibration" in err and "full.0-full.11" in err
    assert not (tmp_path / "c").exists()
    assert main(["explain", "classroom_small", "GBR-JPN", "--set", "calibration=best"]) == 2


def test_the_other_whole_fits_are_named_sets():
    """``fit_2013_2019`` and ``fit_2006_2012`` run at their records' parameters, in a
    sweep's levels as in ``--set``; an unknown name lists them among the valid ones."""
    for name, file in calibrated.FITS.items():
        rec = calibrated.fit(name)
        assert file.startswith("calibration_") and rec["window"] == name.removeprefix(
            "fit_"
        ).replace("_", "-")
        assert CS.parameters(name) == rec["parameters"] != CS.parameters("frozen")
        sc = CS.point_scenario(load_scenario("classroom_small"), {"calibration": name})
        assert sc.noise.decision == rec["parameters"]["noise.decision"]
    exp = exp_from(uncertainties="[{path: calibration, levels: [frozen, fit_2006_2012]}]")
    assert exp.uncertainties[0].levels == ["frozen", "fit_2006_2012"]
    with pytest.raises(InputError, match="fit_2013_2019, fit_2006_2012"):
        CS.parameters("fit_1999")
