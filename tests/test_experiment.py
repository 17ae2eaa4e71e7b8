"""Experiment files: schema, designs, run planning and seeds, bad files (issue #4)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from indopacsim.cli import main
from indopacsim.errors import InputError
from indopacsim.experiments.designs import design_points, plan_runs
from indopacsim.experiments.spec import Experiment, load_experiment
from indopacsim.seeds import spawn_seeds

BASE = """\
name: t
scenario: classroom_small
horizon: 5
uncertainties:
  - {path: us.reliability, range: [0.2, 0.8]}
  - {path: china.coercion, levels: [0.3, 0.9]}
levers:
  - {path: states.GBR.doctrine, name: gbr, levels: [network, hedge]}
replications: 3
seed: 11
outcomes:
  - name: uk_japan
  - {name: gbr_payoff, measure: payoff, state: GBR, stat: mean}
"""


def exp_from(text: str = BASE, **changes: str) -> Experiment:
    """An experiment from ``BASE`` with top-level keys replaced by YAML snippets."""
    import yaml

    doc = yaml.safe_load(text)
    for key, snippet in changes.items():
        doc[key] = yaml.safe_load(snippet)
    return Experiment.from_text(yaml.safe_dump(doc, sort_keys=False), "exp.yaml")


def test_defaults_and_base_scenario():
    exp = exp_from()
    assert exp.is_abm and exp.model == "indopacsim"
    assert exp.design.kind == "full_factorial" and exp.design.resolution == 5
    assert exp.base is not None and exp.base.time.horizon == 5
    assert exp.base.name == "classroom_small"
    assert [p.column for p in exp.parameters] == ["us.reliability", "china.coercion", "gbr"]
    assert len(exp.sha256) == 64


def test_full_factorial_crosses_levers_with_every_future():
    pts = design_points(exp_from(design="{kind: full_factorial, resolution: 3}"))
    assert len(pts) == 3 * 2 * 2
    assert list(pts["point_id"]) == list(range(12))
    # lever-major: the first six points play network, against the six futures
    assert list(pts["gbr"]) == ["network"] * 6 + ["hedge"] * 6
    assert list(pts["sample_id"]) == list(range(6)) * 2
    assert sorted(set(pts["us.reliability"])) == [0.2, 0.5, 0.8]
    assert pts.iloc[:6][["us.reliability", "china.coercion"]].equals(
        pts.iloc[6:][["us.reliability", "china.coercion"]].reset_index(drop=True)
    )


def test_integer_parameters_are_rounded():
    exp = exp_from(
        uncertainties="[{path: ladder.max_initiatives, range: [1, 4]}]",
        levers="[]",
        design="{kind: full_factorial, resolution: 7}",
    )
    assert list(design_points(exp)["ladder.max_initiatives"]) == [1, 2, 3, 4]


def test_latin_hypercube_is_seeded_and_in_range():
    a = design_points(exp_from(design="{kind: latin_hypercube, samples: 10}"))
    b = design_points(exp_from(design="{kind: latin_hypercube, samples: 10}"))
    assert a.equals(b) and len(a) == 20
    assert a["us.reliability"].between(0.2, 0.8).all()
    assert set(a["china.coercion"]) <= {0.3, 0.9}
    c = design_points(exp_from(design="{kind: latin_hypercube, samples: 10}", seed="12"))
    assert not a["us.reliability"].equals(c["us.reliability"])


def test_sobol_and_morris_sizes():
    unc = "[{path: us.reliability, range: [0.2, 0.8]}, {path: china.coercion, range: [0, 1]}]"
    s = design_points(exp_from(uncertainties=unc, levers="[]", design="{kind: sobol, samples: 8}"))
    assert len(s) == 8 * (2 + 2)
    s2 = design_points(
        exp_from(
            uncertainties=unc,
            levers="[]",
            design="{kind: sobol, samples: 8, second_order: true}",
        )
    )
    assert len(s2) == 8 * (2 * 2 + 2)
    m = design_points(exp_from(uncertainties=unc, levers="[]", design="{kind: morris, samples: 5}"))
    assert len(m) == 5 * (2 + 1)


def test_table_design_inline_and_csv(tmp_path: Path):
    table = (
        "{kind: table, points: [{us.reliability: 0.3, china.coercion: 0.3, gbr: hedge},"
        " {us.reliability: 0.6, china.coercion: 0.9, gbr: network}]}"
    )
    pts = design_points(exp_from(design=table))
    assert list(pts["gbr"]) == ["hedge", "network"] and len(pts) == 2
    (tmp_path / "pts.csv").write_text(
        "us.reliability,china.coercion,gbr\n0.3,0.3,hedge\n0.4,0.9,network\n0.5,0.3,hedge\n"
    )
    import yaml

    doc = yaml.safe_load(BASE)
    doc["design"] = {"kind": "table", "file": "pts.csv"}
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(doc))
    assert len(design_points(load_experiment(path))) == 3


def test_plan_numbers_runs_point_by_point_with_spawned_seeds():
    exp = exp_from(design="{kind: full_factorial, resolution: 2}")
    pts = design_points(exp)
    plan = plan_runs(exp, len(pts))
    assert len(plan) == len(pts) * 3
    assert list(plan["run_id"]) == list(range(len(plan)))
    assert (plan["point_id"] == plan["run_id"] // 3).all()
    assert (plan["replicate"] == plan["run_id"] % 3).all()
    assert list(plan["seed"]) == spawn_seeds(11, len(plan))
    assert plan["seed"].nunique() == len(plan)


def test_function_model_checks_its_arguments():
    text = """\
name: ish
model: ishigami
uncertainties:
  - {path: x1, range: [-3.14, 3.14]}
  - {path: x9, range: [-3.14, 3.14]}
design: {kind: sobol, samples: 8}
outcomes: [{name: y}]
"""
    with pytest.raises(InputError) as err:
        Experiment.from_text(text, "ish.yaml")
    assert err.value.field == "uncertainties[1].path" and "x9" in err.value.message


#: (id, change to BASE as {key: yaml}, field the error must name)
BAD = [
    (
        "unknown_path",
        {"uncertainties": "[{path: us.reliabilty, range: [0, 1]}]"},
        "uncertainties[0].path",
    ),
    (
        "unknown_state",
        {"levers": "[{path: states.XYZ.doctrine, levels: [hedge]}]"},
        "levers[0].path",
    ),
    ("section_path", {"uncertainties": "[{path: us, range: [0, 1]}]"}, "uncertainties[0].path"),
    (
        "empty_range",
        {"uncertainties": "[{path: us.reliability, range: [0.5, 0.5]}]"},
        "uncertainties[0].range",
    ),
    (
        "reversed_range",
        {"uncertainties": "[{path: us.reliability, range: [0.8, 0.2]}]"},
        "uncertainties[0].range",
    ),
    (
        "range_outside_schema",
        {"uncertainties": "[{path: us.reliability, range: [0.5, 1.5]}]"},
        "uncertainties[0].range",
    ),
    ("empty_levels", {"levers": "[{path: states.GBR.doctrine, levels: []}]"}, "levers[0].levels"),
    (
        "bad_doctrine",
        {"levers": "[{path: states.GBR.doctrine, levels: [hedge, dither]}]"},
        "levers[0].levels[1]",
    ),
    (
        "range_of_a_name",
        {"levers": "[{path: states.GBR.doctrine, range: [0, 1]}]"},
        "levers[0].range",
    ),
    ("no_range_nor_levels", {"levers": "[{path: states.GBR.doctrine}]"}, "levers[0]"),
    ("unknown_design", {"design": "{kind: grid}"}, "design.kind"),
    ("sobol_without_samples", {"design": "{kind: sobol}"}, "design"),
    (
        "sobol_not_power_of_2",
        {
            "design": "{kind: sobol, samples: 100}",
            "uncertainties": "[{path: us.reliability, range: [0, 1]}]",
        },
        "design.samples",
    ),
    ("sobol_with_levels", {"design": "{kind: sobol, samples: 8}"}, "uncertainties[1].range"),
    ("zero_replications", {"replications": "0"}, "replications"),
    ("negative_replications", {"replications": "-3"}, "replications"),
    ("unknown_key", {"replicates": "3"}, "replicates"),
    ("unknown_measure", {"outcomes": "[{name: uk_japn}]"}, "outcomes[0].name"),
    (
        "state_measure_without_state",
        {"outcomes": "[{name: p, measure: payoff}]"},
        "outcomes[0].state",
    ),
    (
        "tie_without_partner",
        {"outcomes": "[{name: t, measure: tie, state: GBR}]"},
        "outcomes[0].partner",
    ),
    ("no_outcomes", {"outcomes": "[]"}, "outcomes"),
    ("unknown_stat", {"outcomes": "[{name: uk_japan, stat: median}]"}, "outcomes[0].stat"),
    ("reserved_name", {"outcomes": "[{name: seed, measure: uk_japan}]"}, "outcomes[0].name"),
    ("duplicate_column", {"levers": "[{path: us.reliability, levels: [0.3]}]"}, "levers[0].path"),
    ("missing_scenario", {"scenario": "nowhere.yaml"}, "scenario"),
    ("bad_override", {"overrides": "{us.reliabilty: 0.3}"}, "overrides.us.reliabilty"),
    ("horizon_zero", {"horizon": "0"}, "horizon"),
    (
        "table_missing_column",
        {"design": "{kind: table, points: [{us.reliability: 0.3}]}"},
        "design",
    ),
]


@pytest.mark.parametrize(("change", "field"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_experiment_names_the_field(change, field):
    with pytest.raises(InputError) as err:
        exp_from(**change)
    assert err.value.file == "exp.yaml"
    assert err.value.field == field, err.value.one_line()


def test_bad_file_fails_before_any_run_with_exit_2(tmp_path: Path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(BASE).replace("us.reliability, range", "us.reliabilty, range"))
    out = tmp_path / "sweep"
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert str(path) in err[0] and "uncertainties[0].path" in err[0]
    assert "Traceback" not in err[0]
    assert not out.exists()


def test_malformed_yaml_and_missing_file(tmp_path: Path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\noutcomes:\n  - name: a\n bad: 1\n")
    assert main(["sweep", str(path), "--quiet"]) == 2
    assert "line" in capsys.readouterr().err
    assert main(["sweep", str(tmp_path / "none.yaml"), "--quiet"]) == 2
    assert "none.yaml" in capsys.readouterr().err


def test_points_are_native_numbers():
    pts = design_points(exp_from(design="{kind: latin_hypercube, samples: 4}"))
    values = pts["us.reliability"].tolist()
    assert all(type(v) is float for v in values)
    assert np.isfinite(values).all()
