"""The term-by-term value of a move (``validation.deals``) against the engine's own values.

The terms must add up to what the engine decides on, for every ordered pair, both ways,
at the start and after steps, in the 2026 world (with its doctrines and summits) and in
the 2019 world (with its own status-quo fit); a term left out or counted twice fails.
"""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim.model.ensemble import Ensemble
from indopacsim.model.hazards import agreement
from indopacsim.scenario.io import load_scenario, with_overrides
from indopacsim.validation import deals


@pytest.mark.parametrize("name", ["uk_japan_2026", "hindcast_2019"])
@pytest.mark.parametrize("steps", [0, 6])
def test_terms_add_up_to_the_engines_values(name, steps):
    ens = Ensemble(load_scenario(name), 3, np.random.default_rng(4))
    for _ in range(steps):
        ens.engine.step()
    up, down, _, _ = ens.engine.values()
    for way, ref in (("up", up), ("down", down)):
        terms = deals._terms(ens.engine, ens.engine.values(), way)
        assert set(terms) == set(deals.TERMS)
        total = sum(terms.values())
        finite = np.isfinite(ref)
        assert finite.mean() > 0.9
        np.testing.assert_allclose(total[finite], ref[finite], rtol=0, atol=1e-12)


def test_each_term_is_the_one_the_docs_name():
    sc = load_scenario("hindcast_2019")
    t = deals.decompose(sc, [("CAN", "PHL"), ("GBR", "JPN")])
    can, gbr = t.iloc[0], t.iloc[2]
    assert can["level"] == 0 and gbr["level"] == 4
    # a tie not yet open carries the opening cost; an open one does not
    assert can["opening"] == pytest.approx(-sc.costs.opening)
    assert gbr["opening"] == 0.0
    # above the starting level the status-quo term is a cost, the same for both sides
    assert can["status_quo"] < 0 and can["status_quo"] == pytest.approx(t.iloc[1]["status_quo"])
    # upkeep is a cost and a tie deeper than dialogue adds depth, so security is not negative
    assert (t["upkeep"] < 0).all() and (t["security"] >= 0).all()


def test_the_deal_is_the_pairs_agreement_and_a_cut_needs_one_side():
    sc = with_overrides(load_scenario("hindcast_2019"), {"ladder.side_payments": 0.4})
    up = deals.decompose(sc, [("JPN", "PHL")])
    a, b = up["total"]
    pair = np.array([[[0.0, a], [b, 0.0]]])
    assert up["deal"].iloc[0] == pytest.approx(agreement(pair, 0.4)[0, 0, 1])
    assert min(a, b) < up["deal"].iloc[0] < max(a, b)
    down = deals.decompose(sc, [("JPN", "PHL")], way="down")
    assert down["deal"].iloc[0] == pytest.approx(down["total"].max())
    assert down["opening"].eq(0.0).all()


def test_an_unknown_state_is_named():
    with pytest.raises(ValueError, match="XXX"):
        deals.decompose(load_scenario("hindcast_2019"), [("USA", "XXX")])


def test_markdown_has_a_row_per_side():
    t = deals.decompose(load_scenario("uk_japan_2026"), [("GBR", "JPN")], steps=2, runs=2)
    md = deals.markdown(t)
    assert md.count("\n") == 4 and "| GBR | JPN |" in md and "| JPN | GBR |" in md
    assert md.splitlines()[0].endswith("| pursues | instead | chance |")


def test_explain_prints_the_table_and_names_bad_pairs(capsys):
    from indopacsim.cli import main

    assert main(["explain", "hindcast_2019", "USA-VNM", "gbr-jpn", "--steps", "2"]) == 0
    out = capsys.readouterr().out
    assert "| USA | VNM | 1.0 |" in out and "| JPN | GBR | 4.0 |" in out
    assert main(["explain", "hindcast_2019", "USA-XXX"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "hindcast_2019" in err and "XXX" in err
    assert main(["explain", "hindcast_2019", "USAVNM"]) == 2
    assert "A-B" in capsys.readouterr().err
    assert main(["explain", "no_such_scenario", "USA-VNM"]) == 2
    assert "no_such_scenario" in capsys.readouterr().err


def test_explain_set_moves_the_term_the_driver_acts_through(capsys):
    from indopacsim.cli import main

    def india_row(threat: str) -> list[str]:
        argv = ["explain", "uk_japan_2026", "RUS-IND", "--set", f"russia.threat={threat}"]
        assert main(argv) == 0
        row = next(r for r in capsys.readouterr().out.splitlines() if r.startswith("| IND |"))
        return [c.strip() for c in row.strip("|").split("|")]

    low, high = india_row("0.2"), india_row("1.0")
    affinity = deals.TERMS.index("affinity") + 3
    # Russia's hostility is shunned per rung: India's affinity term falls, by more than its
    # security term moves (which it does through the axis: China carries Russia's threat)
    shift = float(low[affinity]) - float(high[affinity])
    assert shift > 0 and abs(float(high[3]) - float(low[3])) < shift
    assert main(["explain", "uk_japan_2026", "RUS-IND", "--set", "russia.threat=7"]) == 2
    assert "russia.threat" in capsys.readouterr().err


def test_pursuit_and_chance_follow_the_models_rule():
    sc = load_scenario("hindcast_2019")
    t = deals.decompose(sc, [("VNM", "IND"), ("VNM", "MYS"), ("GBR", "JPN")])
    row = {(r.valuer, r.partner): r for r in t.itertuples()}
    # Vietnam's one initiative goes to its best feasible deal (India), not to Malaysia,
    # though that deal is feasible too (worth more than 0 to both sides); India's goes
    # elsewhere, so the deal's chance is Vietnam's initiative alone
    assert row["VNM", "IND"].deal > row["VNM", "MYS"].deal > 0
    assert row["VNM", "IND"].pursues == 1.0 and row["VNM", "MYS"].pursues == 0.0
    assert row["VNM", "MYS"].instead == "IND" and row["VNM", "IND"].instead == "-"
    # the chance is the deal's hazard at the pair's level (top rate decaying with depth)
    lad = sc.ladder
    for a, b in (("VNM", "MYS"), ("GBR", "JPN")):
        r = row[a, b]
        top = lad.up_hazard * np.exp(-lad.depth_decay * r.level)
        assert r.chance == pytest.approx(top * -np.expm1(-r.deal / lad.hazard_scale), rel=1e-3)
    # a state spends at most its initiatives: the runs' shares add up to at most 1 a row
    ens = Ensemble(sc, 4, np.random.default_rng(1))
    values = ens.engine.values()
    chosen, chance = deals._choices(ens.engine, values, "up")
    assert (chosen.sum(axis=2) <= sc.ladder.max_initiatives).all()
    assert ((chance >= 0) & (chance <= lad.up_hazard)).all()
    cut, _ = deals._choices(ens.engine, values, "down")
    assert (cut.sum(axis=2) <= 1).all()


def test_the_timeline_applies_before_the_values_are_read():
    # the January 2026 summits in Tokyo conclude the UK-Japan step in most runs: a
    # decomposition after two steps must see the levels an ordinary run reaches
    from indopacsim.model.ensemble import run_ensemble

    sc = load_scenario("uk_japan_2026")
    t = deals.decompose(sc, [("GBR", "JPN")], steps=2, runs=20, seed=5)
    res = run_ensemble(sc, 20, 5, steps=2)
    i, j = res.codes.index("GBR"), res.codes.index("JPN")
    assert t["level"].iloc[0] == pytest.approx(res.ties[:, i, j].mean())
    assert t["level"].iloc[0] > 6.0
