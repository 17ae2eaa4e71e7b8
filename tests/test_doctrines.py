"""Contract tests every registered doctrine inherits (as in the Axelrod library)."""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim import IndoPacModel
from indopacsim.coalitions.measures import alignment_index
from indopacsim.model import doctrines
from indopacsim.model import kernel as K
from indopacsim.model.terms import camp
from indopacsim.scenario.schema import DOCTRINE_NAMES
from indopacsim.tiescale import MAX_LEVEL


def test_every_scenario_doctrine_is_registered():
    assert set(DOCTRINE_NAMES) <= set(doctrines.REGISTRY)
    assert set(doctrines.LEARNABLE) == set(DOCTRINE_NAMES) - {"adaptive"}


@pytest.fixture(scope="module")
def context():
    m = IndoPacModel("uk_japan_2026", rng=0)
    for _ in range(2):
        m.step()
    eng = m.engine
    t = K.threat(eng.terms, eng.ties, eng.alarm, eng.years)
    c = camp(eng.ties, m.world.us, m.world.china)
    align = np.stack([alignment_index(eng.ties[0], c[0])])
    ctx = doctrines.Context(
        threat=t,
        src=eng.terms.src,
        camp=c,
        alignment=align,
        security_weight=m.config.weights.security,
        great_powers=(m.world.us, m.world.china, m.world.russia),
    )
    return m, ctx


@pytest.mark.parametrize("name", list(doctrines.REGISTRY))
def test_doctrine_contract(name, context):
    model, ctx = context
    d = doctrines.get(name)
    assert d.name == name and d.summary and d.source
    traits = d.traits()
    assert all(v >= 0 for v in traits.values())
    assert 1 <= d.max_level <= MAX_LEVEL
    rows = np.array([1, 3, 4, 7])
    state = model.rng.bit_generator.state
    extra = d.extra(ctx, rows)
    assert model.rng.bit_generator.state == state  # no randomness inside a doctrine
    if extra is not None:
        assert extra.shape == (1, len(rows), model.world.n)
        assert np.all(np.isfinite(extra))


def test_unknown_doctrine_names_the_known_ones():
    with pytest.raises(KeyError, match="balance"):
        doctrines.get("appease")


def test_table_lists_metadata():
    rows = doctrines.table()
    assert {r["name"] for r in rows} == set(doctrines.REGISTRY)


def test_hedger_discounts_ties_that_deepen_its_lean(context):
    model, ctx = context
    row = model.codes.index("VNM")
    extra = doctrines.get("hedge").extra(ctx, np.array([row]))[0, 0]
    lean = ctx.alignment[0, row]
    us, cn = model.world.us, model.world.china
    assert lean != 0
    # the term penalizes the side it already leans to and rewards the other
    assert np.sign(extra[us]) == -np.sign(lean) and np.sign(extra[cn]) == np.sign(lean)


def test_bandwagoner_values_its_main_threat(context):
    model, ctx = context
    row = model.codes.index("PHL")
    extra = doctrines.get("bandwagon").extra(ctx, np.array([row]))[0, 0]
    main = ctx.src[np.argmax(ctx.threat[0, row])]
    assert extra.argmax() == main == model.world.china


def test_doctrines_differ_in_what_they_value(context):
    model, _ = context
    up, down = {}, {}
    row = model.codes.index("PHL")
    for d in ("balance", "hedge", "bandwagon"):
        model.engine.set_doctrine(row, d)
        u, dn, _, _ = model.engine.values()
        up[d], down[d] = u[0, row].copy(), dn[0, row].copy()
    model.engine.set_doctrine(row, model.base_doctrines[row])
    cn, us = model.world.china, model.world.us
    assert up["bandwagon"][cn] > up["balance"][cn]
    # thinning the US alliance costs a balancer more than a bandwagoner
    assert down["balance"][us] < down["bandwagon"][us]


# ------------------------------------------------- a doctrine is a lever, as a driver is
def test_override_of_a_doctrine_holds_the_fitted_start():
    """The start stays fitted under the scenario's own doctrines when an override sets
    another; a second override keeps the first record; other overrides record nothing."""
    from indopacsim import load_scenario
    from indopacsim.scenario.io import with_overrides

    base = load_scenario("uk_japan_2026")
    assert base.status_quo.doctrines == {}
    assert with_overrides(base, {"us.reliability": 0.3}).status_quo.doctrines == {}
    hedge = with_overrides(base, {"states.JPN.doctrine": "hedge"})
    assert hedge.states["JPN"].doctrine == "hedge"
    assert hedge.status_quo.doctrines["JPN"] == "balance"
    assert hedge.status_quo.doctrines["VNM"] == "hedge"
    again = with_overrides(hedge, {"states.JPN.doctrine": "network"})
    assert again.status_quo.doctrines["JPN"] == "balance"
    loaded = load_scenario("uk_japan_2026", {"default_doctrine": "autonomy"})
    assert loaded.status_quo.doctrines["DEU"] == "balance"
    # "what if it had always hedged": the start fitted under the new doctrine, if asked
    always = {"states.JPN.doctrine": "hedge", "status_quo.doctrines": {"JPN": "hedge"}}
    assert with_overrides(base, always).status_quo.doctrines == {"JPN": "hedge"}


def test_doctrine_set_by_override_is_the_doctrine_switched_at_the_start():
    """Setting a doctrine by override runs exactly as switching it by an event before the
    first step: the start is fitted under the same doctrines either way (it failed when
    the start was refitted under each doctrine)."""
    from indopacsim.model.ensemble import Ensemble, run_ensemble
    from indopacsim.validation.mechanism import baseline

    by_override = run_ensemble(baseline({"states.JPN.doctrine": "bandwagon"}), 6, 3)
    ens = Ensemble(baseline(), 6, np.random.default_rng(3))
    ens.set_doctrine("JPN", "bandwagon")
    by_switch = ens.run()
    assert np.array_equal(by_override.ties, by_switch.ties)
    refit = baseline({"states.JPN.doctrine": "bandwagon"})
    sq = refit.status_quo.model_copy(update={"doctrines": {}})
    refitted = run_ensemble(refit.model_copy(update={"status_quo": sq}), 6, 3)
    assert not np.array_equal(refitted.ties, by_switch.ties)


def test_fitted_doctrines_name_states_of_the_scenario():
    from indopacsim.errors import InputError
    from indopacsim.scenario.io import with_overrides
    from indopacsim.scenario.schema import Scenario

    with pytest.raises(InputError, match=r"status_quo\.doctrines\.XYZ.*unknown state"):
        with_overrides(Scenario(), {"status_quo.doctrines": {"XYZ": "hedge"}})
