"""Contract tests every registered doctrine inherits (as in the Axelrod library)."""

from __future__ import annotations

import numpy as np
import pytest

from indopacsim import IndoPacModel
from indopacsim.model import doctrines
from indopacsim.scenario.schema import DOCTRINE_NAMES


def test_every_scenario_doctrine_is_registered():
    assert set(DOCTRINE_NAMES) <= set(doctrines.REGISTRY)
    assert set(doctrines.LEARNABLE) == set(DOCTRINE_NAMES) - {"adaptive"}


@pytest.fixture(scope="module")
def context():
    m = IndoPacModel("uk_japan_2026", rng=0)
    for _ in range(2):
        m.step()
    return m, doctrines.Context(m.world, m.config, m.static, m.ties, m.camp, m.alignment)


@pytest.mark.parametrize("name", list(doctrines.REGISTRY))
def test_doctrine_contract(name, context):
    model, ctx = context
    d = doctrines.get(name)
    assert d.name == name and d.summary and d.source
    traits = d.traits()
    assert all(v >= 0 for v in traits.values())
    assert 1 <= d.max_level <= 5
    rows = np.array([1, 3, 4, 7])
    state = model.rng.bit_generator.state
    extra = d.extra(ctx, rows)
    assert model.rng.bit_generator.state == state  # no randomness inside a doctrine
    if extra is not None:
        assert extra.shape == (len(rows), model.world.n)
        assert np.all(np.isfinite(extra))


def test_unknown_doctrine_names_the_known_ones():
    with pytest.raises(KeyError, match="balance"):
        doctrines.get("appease")


def test_table_lists_metadata():
    rows = doctrines.table()
    assert {r["name"] for r in rows} == set(doctrines.REGISTRY)


def test_hedger_discounts_ties_that_deepen_its_lean(context):
    model, ctx = context
    rows = np.array([model.codes.index("VNM")])
    extra = doctrines.get("hedge").extra(ctx, rows)[0]
    lean = model.alignment[rows[0]]
    us, cn = model.world.us, model.world.china
    # the term penalizes the side it already leans to and rewards the other
    assert np.sign(extra[us]) == -np.sign(lean) and np.sign(extra[cn]) == np.sign(lean)


def test_bandwagoner_values_its_main_threat(context):
    model, ctx = context
    row = model.codes.index("PHL")
    extra = doctrines.get("bandwagon").extra(ctx, np.array([row]))[0]
    assert extra.argmax() == model.static.main_threat[row] == model.world.china
