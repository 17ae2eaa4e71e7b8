"""Unit tests of the scenario language: schema, defaults, ``extends:``, overrides, errors.

Covers :mod:`indopacsim.scenario.schema` (the frozen pydantic schema, the calendar) and
:mod:`indopacsim.scenario.io` (YAML loading, ``extends:`` chains, dotted and keyword
overrides, and the conversion of every user mistake into one :class:`InputError` that
names the file and the field).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from indopacsim import data
from indopacsim.errors import InputError
from indopacsim.scenario.io import (
    bundled_scenarios,
    keyword_to_path,
    load_scenario,
    parse_assignment,
    resolve_path,
    with_overrides,
)
from indopacsim.scenario.schema import (
    DOCTRINE_NAMES,
    REQUIRED_FOR_NEW_STATE,
    BondEvent,
    DoctrineEvent,
    Scenario,
    SetEvent,
    ShiftEvent,
    TieEvent,
    TimeSpec,
    USPolicy,
    add_months,
    numeric_path_range,
)

BUNDLED = bundled_scenarios()

NEW_STATE = {
    "lat": 1.0,
    "lon": 2.0,
    "gdp_usd_bn": 30.0,
    "milex_usd_bn": 1.0,
    "population_m": 5.0,
    "democracy_score": 0.6,
}


def write(folder: Path, name: str, text: str) -> Path:
    """Write a dedented YAML file and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(path: Path | str, overrides: dict | None = None) -> InputError:
    """Load a scenario that must fail and return the InputError."""
    with pytest.raises(InputError) as info:
        load_scenario(path, overrides)
    return info.value


# --------------------------------------------------------------------------- defaults


def test_default_scenario_validates_with_the_bundled_states():
    sc = Scenario()
    assert sc.codes == data.state_codes()
    assert len(sc.codes) == 24
    assert {"USA", "CHN", "RUS", "GBR", "JPN"} <= set(sc.codes)
    assert all(spec is None for spec in sc.states.values())
    assert sc.events == []
    assert sc.default_doctrine == "balance"
    assert sc.time == TimeSpec(start=dt.date(2026, 1, 1), step="quarter", horizon=40)
    assert sc.us.reliability == 0.55


def test_scenario_is_frozen():
    sc = Scenario()
    with pytest.raises(ValidationError):
        sc.name = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        sc.us.reliability = 0.1  # type: ignore[misc]
    with pytest.raises(ValidationError):
        sc.time.horizon = 3  # type: ignore[misc]
    assert sc.name == "default"
    assert sc.us.reliability == 0.55


def test_unknown_keys_are_errors_in_python_too():
    with pytest.raises(ValidationError):
        Scenario.model_validate({"us": {"reliabilty": 0.4}})
    with pytest.raises(ValidationError):
        Scenario.model_validate({"nme": "x"})


def test_digest_is_stable_and_tracks_parameters():
    a, b = Scenario(), Scenario()
    assert a.digest() == b.digest()
    assert re.fullmatch(r"[0-9a-f]{64}", a.digest())
    changed = Scenario(us=USPolicy(reliability=0.4))
    assert changed.digest() != a.digest()
    # same value written explicitly: same digest
    assert Scenario(us=USPolicy(reliability=0.55)).digest() == a.digest()
    # the digest survives a dump / re-validation round trip
    again = Scenario.model_validate(a.model_dump(mode="json"))
    assert again.digest() == a.digest()


def test_digest_of_a_file_is_stable_and_changes_with_an_override():
    d1 = load_scenario("classroom_small").digest()
    d2 = load_scenario("classroom_small").digest()
    assert d1 == d2
    assert load_scenario("classroom_small", {"us.reliability": 0.4}).digest() != d1


# --------------------------------------------------------------------------- bundled


def test_bundled_scenarios_are_listed():
    assert "uk_japan_2026" in BUNDLED
    assert "classroom_small" in BUNDLED
    assert sorted(BUNDLED) == BUNDLED


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_scenario_loads(name):
    sc = load_scenario(name)
    assert isinstance(sc, Scenario)
    assert sc.name == name
    assert len(sc.codes) >= 2
    for ev in sc.events:
        assert sc.time.start <= ev.date < sc.time.end
    # by file path as well as by name
    path = resolve_path(name)
    assert path.name == f"{name}.yaml"
    assert load_scenario(path).digest() == sc.digest()
    # and with the .yaml suffix
    assert load_scenario(f"{name}.yaml").digest() == sc.digest()


def test_bundled_variants_accumulate_the_baseline_events():
    base = load_scenario("uk_japan_2026")
    retrench = load_scenario("us_retrenchment")
    assert len(base.events) == 7
    assert retrench.events[: len(base.events)] == base.events
    assert len(retrench.events) == len(base.events) + 2
    assert retrench.codes == base.codes
    assert retrench.states["GBR"].doctrine == "network"


def test_classroom_small_is_small():
    sc = load_scenario("classroom_small")
    assert sc.codes == ("USA", "CHN", "RUS", "GBR", "JPN", "AUS")
    assert sc.time.horizon == 20
    assert sc.states["AUS"].doctrine == "hedge"
    assert sc.states["USA"] is None
    kinds = [type(ev) for ev in sc.events]
    assert kinds == [BondEvent, ShiftEvent]


# --------------------------------------------------------------------------- event kinds


def test_every_event_kind_parses(tmp_path):
    path = write(
        tmp_path,
        "events.yaml",
        """\
        extends: classroom_small
        inherit_events: false
        events:
          - {date: 2026-03-01, set: us.reliability, value: 0.3, note: a}
          - {date: 2026-03-01, shift: china.coercion, by: -0.1}
          - {date: 2026-06-01, tie: [GBR, JPN], level: 4}
          - {date: 2026-06-01, bond: [GBR, AUS], by: 0.2}
          - {date: 2027-06-30, doctrine: adaptive, state: AUS}
          - {date: 2027-06-30, set: states.GBR.fiscal_room, value: 0.2}
        """,
    )
    sc = load_scenario(path)
    assert [type(e) for e in sc.events] == [
        SetEvent,
        ShiftEvent,
        TieEvent,
        BondEvent,
        DoctrineEvent,
        SetEvent,
    ]
    assert sc.events[0].set == "us.reliability"
    assert sc.events[0].value == 0.3
    assert sc.events[0].note == "a"
    assert sc.events[1].by == -0.1
    assert sc.events[2].tie == ("GBR", "JPN")
    assert sc.events[2].level == 4
    assert sc.events[3].bond == ("GBR", "AUS")
    assert sc.events[4].doctrine == "adaptive"
    assert sc.events[4].state == "AUS"
    assert [sc.time.step_of(e.date) for e in sc.events] == [1, 1, 2, 2, 6, 6]


def test_numeric_path_range():
    sc = Scenario()
    assert numeric_path_range(sc, "us.reliability") == (0.0, 1.0)
    assert numeric_path_range(sc, "costs.size_elasticity") == (0.0, 2.0)
    assert numeric_path_range(sc, "states.GBR.fiscal_room") == (0.0, 1.0)
    assert numeric_path_range(sc, "states.GBR.capability") == (0.0, 10.0)
    lo, hi = numeric_path_range(sc, "weights.security")
    assert lo == 0.0 and hi == float("inf")
    for bad in ("us.reliabilty", "us", "nope.x", "states.XXX.lat", "states.GBR", "name"):
        with pytest.raises(ValueError):
            numeric_path_range(sc, bad)


# --------------------------------------------------------------------------- extends


def test_extends_merges_mappings_child_wins_and_events_accumulate(tmp_path):
    write(
        tmp_path,
        "parent.yaml",
        """\
        name: parent
        description: the parent
        sources: [parent source]
        time: {start: 2026-01-01, step: quarter, horizon: 12}
        states:
          USA:
          CHN:
          GBR: {doctrine: network}
          JPN:
        us: {reliability: 0.3, rebuke: 0.2}
        china: {coercion: 0.5}
        events:
          - {date: 2026-02-01, bond: [GBR, JPN], by: 0.1, note: parent event}
        """,
    )
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: parent.yaml
        name: child
        sources: [child source]
        time: {horizon: 16}
        states:
          GBR: {fiscal_room: 0.2}
        us: {reliability: 0.7}
        events:
          - {date: 2026-05-01, shift: us.rebuke, by: 0.1, note: child event}
        """,
    )
    sc = load_scenario(child)
    assert sc.name == "child"
    assert sc.description == "the parent"
    assert sc.sources == ["child source"]  # lists are replaced
    assert sc.time.horizon == 16 and sc.time.step == "quarter"
    assert sc.us.reliability == 0.7  # child wins
    assert sc.us.rebuke == 0.2  # parent's sibling key kept
    assert sc.china.coercion == 0.5
    assert sc.codes == ("USA", "CHN", "GBR", "JPN")
    assert sc.states["GBR"].doctrine == "network"
    assert sc.states["GBR"].fiscal_room == 0.2
    assert [e.note for e in sc.events] == ["parent event", "child event"]


def test_events_accumulate_along_a_chain_parent_first(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """\
        states: {USA: , CHN: , GBR: , JPN: }
        events: [{date: 2026-02-01, bond: [GBR, JPN], by: 0.1, note: a}]
        """,
    )
    write(
        tmp_path,
        "b.yaml",
        """\
        extends: a.yaml
        events: [{date: 2026-02-01, bond: [GBR, USA], by: 0.1, note: b}]
        """,
    )
    c = write(
        tmp_path,
        "c.yaml",
        """\
        extends: b.yaml
        events: [{date: 2026-01-15, bond: [JPN, USA], by: 0.1, note: c}]
        """,
    )
    assert [e.note for e in load_scenario(c).events] == ["a", "b", "c"]
    # a child without events keeps its parent's
    d = write(tmp_path, "d.yaml", "extends: c.yaml\nname: d\n")
    assert [e.note for e in load_scenario(d).events] == ["a", "b", "c"]


def test_inherit_events_false_drops_the_parents_events(tmp_path):
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: classroom_small
        inherit_events: false
        events:
          - {date: 2026-05-01, tie: [GBR, AUS], level: 3, note: own}
        """,
    )
    sc = load_scenario(child)
    assert [e.note for e in sc.events] == ["own"]
    none = write(tmp_path, "none.yaml", "extends: classroom_small\ninherit_events: false\n")
    assert load_scenario(none).events == []
    # inherit_events is not a field of the validated scenario
    assert "inherit_events" not in Scenario.model_fields


def test_extends_resolves_relative_to_the_extending_file(tmp_path, monkeypatch):
    write(tmp_path, "base/parent.yaml", "name: right\nus: {reliability: 0.31}\n")
    write(tmp_path, "base/sibling.yaml", "name: sibling\nus: {reliability: 0.32}\n")
    child = write(tmp_path, "base/variants/child.yaml", "extends: ../parent.yaml\n")
    sib = write(tmp_path, "base/also.yaml", "extends: sibling.yaml\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # decoys in the working directory must not be picked up
    write(elsewhere, "sibling.yaml", "name: decoy\nus: {reliability: 0.99}\n")
    # "../parent.yaml" read against the working directory would be this one
    write(tmp_path, "parent.yaml", "name: decoy\n")
    monkeypatch.chdir(elsewhere)
    sc = load_scenario(child)
    assert sc.name == "right" and sc.us.reliability == 0.31
    sc2 = load_scenario(sib)
    assert sc2.name == "sibling" and sc2.us.reliability == 0.32


def test_extends_accepts_a_bundled_name(tmp_path):
    base = load_scenario("classroom_small")
    for ref in ("classroom_small", "classroom_small.yaml"):
        child = write(tmp_path, f"child_{ref}.yaml", f"extends: {ref}\nus: {{reliability: 0.2}}\n")
        sc = load_scenario(child)
        assert sc.codes == base.codes
        assert sc.name == "classroom_small"
        assert sc.us.reliability == 0.2
        assert sc.events == base.events


def test_a_local_file_shadows_a_bundled_name(tmp_path):
    write(tmp_path, "classroom_small.yaml", "name: local\n")
    child = write(tmp_path, "child.yaml", "extends: classroom_small.yaml\n")
    assert load_scenario(child).name == "local"


# --------------------------------------------------------------------------- overrides


def test_dotted_override(tmp_path):
    sc = load_scenario("classroom_small", {"us.reliability": 0.4})
    assert sc.us.reliability == 0.4
    assert sc.us.rebuke == load_scenario("classroom_small").us.rebuke


def test_keyword_override():
    sc = load_scenario("classroom_small", {"us_reliability": 0.4})
    assert sc.us.reliability == 0.4
    sc = load_scenario("classroom_small", {"us_transactional_pressure": 0.9})
    assert sc.us.transactional_pressure == 0.9
    sc = load_scenario("classroom_small", {"threat_lsg_half_distance_km": 1500})
    assert sc.threat.lsg_half_distance_km == 1500.0
    sc = load_scenario("classroom_small", {"default_doctrine": "hedge"})
    assert sc.default_doctrine == "hedge"


def test_keyword_to_path():
    assert keyword_to_path("us_reliability") == "us.reliability"
    assert keyword_to_path("learning_trust_rate") == "learning.trust_rate"
    assert keyword_to_path("states__GBR__fiscal_room") == "states.GBR.fiscal_room"
    assert keyword_to_path("us.reliability") == "us.reliability"
    assert keyword_to_path("name") == "name"
    with pytest.raises(InputError) as info:
        keyword_to_path("reliability")
    assert info.value.field == "reliability"


def test_state_override_keeps_the_states_other_settings():
    sc = load_scenario("classroom_small", {"states.GBR.fiscal_room": 0.1})
    assert sc.states["GBR"].fiscal_room == 0.1
    assert sc.states["GBR"].doctrine == "network"
    assert sc.codes == load_scenario("classroom_small").codes
    kw = load_scenario("classroom_small", {"states__GBR__fiscal_room": 0.1})
    assert kw.digest() == sc.digest()
    # a state given as a bare key (USA:) can be overridden too
    us = load_scenario("classroom_small", {"states.USA.trust_us": 0.9})
    assert us.states["USA"].trust_us == 0.9


def test_state_override_on_a_file_without_a_states_section(tmp_path):
    """A file that relies on the 24 default states keeps them all under a state override."""
    path = write(tmp_path, "nostates.yaml", "name: all states\n")
    assert len(load_scenario(path).codes) == 24
    sc = load_scenario(path, {"states.GBR.fiscal_room": 0.1})
    assert sc.codes == data.state_codes()
    assert sc.states["GBR"].fiscal_room == 0.1


def test_overrides_apply_after_extends(tmp_path):
    child = write(tmp_path, "child.yaml", "extends: classroom_small\nus: {reliability: 0.2}\n")
    assert load_scenario(child, {"us.reliability": 0.9}).us.reliability == 0.9


def test_override_errors_name_the_file_and_field(tmp_path):
    path = write(tmp_path, "s.yaml", "extends: classroom_small\n")
    err = load_error(path, {"us.reliabilty": 0.4})
    assert err.field == "us.reliabilty"
    assert err.file == str(path)
    err = load_error(path, {"us.reliability": 1.4})
    assert err.field == "us.reliability"
    err = load_error(path, {"us_reliabilty": 0.4})
    assert err.field == "us.reliabilty"
    err = load_error(path, {"states.GBR.fiscal_room": -1})
    assert err.field == "states.GBR.fiscal_room"
    err = load_error(path, {"reliability": 0.4})
    assert err.field == "reliability"


def test_with_overrides():
    sc = load_scenario("classroom_small")
    new = with_overrides(sc, {"us.reliability": 0.4, "states__GBR__fiscal_room": 0.3})
    assert new.us.reliability == 0.4
    assert new.states["GBR"].fiscal_room == 0.3
    assert new.states["GBR"].doctrine == "network"
    assert new.events == sc.events
    assert new.codes == sc.codes
    # the original is untouched
    assert sc.us.reliability == 0.55
    assert sc.states["GBR"].fiscal_room is None
    assert with_overrides(sc, {}) is sc
    same = with_overrides(sc, {"us_reliability": sc.us.reliability})
    assert same.digest() == sc.digest()
    with pytest.raises(InputError) as info:
        with_overrides(sc, {"us.reliability": 2.0})
    assert info.value.field == "us.reliability"
    with pytest.raises(InputError) as info:
        with_overrides(sc, {"costs.convexty": 2.0})
    assert info.value.field == "costs.convexty"


def test_with_overrides_keeps_a_new_state():
    sc = Scenario.model_validate({"states": {"USA": None, "ZZZ": NEW_STATE}})
    new = with_overrides(sc, {"states.ZZZ.fiscal_room": 0.5})
    assert new.codes == ("USA", "ZZZ")
    assert new.states["ZZZ"].fiscal_room == 0.5
    assert new.states["ZZZ"].lat == 1.0


def test_parse_assignment_reads_the_value_as_yaml():
    assert parse_assignment("us.reliability=0.4") == ("us.reliability", 0.4)
    assert isinstance(parse_assignment("us.reliability=0.4")[1], float)
    assert parse_assignment("time.horizon=8") == ("time.horizon", 8)
    assert isinstance(parse_assignment("time.horizon=8")[1], int)
    assert parse_assignment("ties.bundled=false") == ("ties.bundled", False)
    assert parse_assignment("states.GBR.memberships=[NATO, G7]") == (
        "states.GBR.memberships",
        ["NATO", "G7"],
    )
    assert parse_assignment("states.AUS.doctrine=balance") == ("states.AUS.doctrine", "balance")
    assert parse_assignment("time.start=2027-01-01") == ("time.start", dt.date(2027, 1, 1))
    assert parse_assignment(" us.rebuke = 0.1") == ("us.rebuke", 0.1)
    assert parse_assignment("name=a=b") == ("name", "a=b")


@pytest.mark.parametrize("text", ["us.reliability", "=0.4", "  =1", ""])
def test_parse_assignment_rejects_malformed_text(text):
    with pytest.raises(InputError) as info:
        parse_assignment(text)
    assert info.value.file == "--set"
    assert "\n" not in info.value.one_line()


def test_parse_assignment_rejects_unreadable_values():
    with pytest.raises(InputError) as info:
        parse_assignment("us.reliability=[0.4")
    assert info.value.field == "us.reliability"


def test_parsed_assignment_applies():
    key, value = parse_assignment("states.AUS.doctrine=balance")
    assert load_scenario("classroom_small", {key: value}).states["AUS"].doctrine == "balance"


# --------------------------------------------------------------------------- calendar


def test_time_examples():
    q = TimeSpec(start=dt.date(2026, 1, 1), step="quarter", horizon=40)
    assert q.date_of(0) == q.date_of(1) == dt.date(2026, 1, 1)
    assert q.date_of(2) == dt.date(2026, 4, 1)
    assert q.date_of(5) == dt.date(2027, 1, 1)
    assert q.end == dt.date(2036, 1, 1)
    assert q.step_of(dt.date(2026, 1, 1)) == 1
    assert q.step_of(dt.date(2026, 3, 31)) == 1
    assert q.step_of(dt.date(2026, 4, 1)) == 2
    assert q.step_of(dt.date(2027, 1, 1)) == 5
    assert q.step_of(dt.date(2035, 12, 31)) == 40
    m = TimeSpec(start=dt.date(2026, 1, 31), step="month", horizon=12)
    assert m.date_of(2) == dt.date(2026, 2, 28)
    assert m.date_of(3) == dt.date(2026, 3, 31)
    assert m.step_of(dt.date(2026, 2, 27)) == 1
    assert m.step_of(dt.date(2026, 2, 28)) == 2
    y = TimeSpec(start=dt.date(2024, 2, 29), step="year", horizon=5)
    assert y.date_of(2) == dt.date(2025, 2, 28)
    assert y.step_of(dt.date(2025, 2, 27)) == 1
    assert y.end == dt.date(2029, 2, 28)


def test_add_months():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2026, 12, 31), 12) == dt.date(2027, 12, 31)
    assert add_months(dt.date(2026, 5, 1), 0) == dt.date(2026, 5, 1)


@st.composite
def time_and_day(draw):
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
    step = draw(st.sampled_from(["month", "quarter", "year"]))
    horizon = draw(st.integers(min_value=1, max_value=240))
    spec = TimeSpec(start=start, step=step, horizon=horizon)
    offset = draw(st.integers(min_value=0, max_value=(spec.end - start).days - 1))
    return spec, start + dt.timedelta(days=offset)


@settings(max_examples=300, deadline=None)
@given(time_and_day())
def test_step_of_and_date_of_round_trip(case):
    spec, day = case
    k = spec.step_of(day)
    assert 1 <= k <= spec.horizon
    assert spec.date_of(k) <= day < spec.date_of(k + 1)


@settings(max_examples=100, deadline=None)
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["month", "quarter", "year"]),
    st.integers(min_value=1, max_value=60),
)
def test_date_of_is_increasing_and_step_of_inverts_it(start, step, horizon):
    spec = TimeSpec(start=start, step=step, horizon=horizon)
    dates = [spec.date_of(k) for k in range(1, horizon + 2)]
    assert dates[0] == start
    assert dates[-1] == spec.end
    assert all(a < b for a, b in itertools.pairwise(dates))
    for k in range(1, horizon + 1):
        assert spec.step_of(spec.date_of(k)) == k


# --------------------------------------------------------------------------- bad input

D = "date: 2027-01-01"
GOOD = "{date: 2026-06-01, bond: [GBR, JPN], by: 0.1}"


def ev(*events: str) -> str:
    """YAML of an ``events:`` list of flow-style mappings."""
    return "events:\n" + "".join(f"  - {e}\n" for e in events)


#: (id, yaml text, field, text the message must contain). ``field`` is a regex that must
#: match the whole field; ``None`` means the error names no field.
BAD_CASES = [
    ("malformed_yaml", "name: x\nus:\n  reliability: 0.4\n bad: 1\n", r"line 4", "malformed"),
    ("malformed_flow", "name: x\nus: {reliability: 0.4\ndescription: y\n", r"line 3", "YAML"),
    ("unknown_top_key", "nme: x\n", r"nme", "unknown key"),
    ("unknown_nested_key", "us:\n  reliabilty: 0.4\n", r"us\.reliabilty", "unknown key"),
    ("unknown_deep_key", "ties:\n  bundeld: false\n", r"ties\.bundeld", "unknown key"),
    ("unknown_state", "states:\n  USA:\n  CHN:\n  XYZ:\n", r"states\.XYZ", "'XYZ'"),
    ("out_of_range", "us:\n  reliability: 1.5\n", r"us\.reliability", "less than or equal"),
    ("negative_weight", "weights:\n  security: -1\n", r"weights\.security", "greater than"),
    (
        "state_out_of_range",
        "states:\n  USA:\n  GBR: {fiscal_room: 2}\n",
        r"states\.GBR\.fiscal_room",
        "less than or equal to 1",
    ),
    ("bad_step", "time:\n  step: week\n", r"time\.step", "month"),
    ("zero_horizon", "time:\n  horizon: 0\n", r"time\.horizon", "greater than"),
    ("bad_start", "time:\n  start: soon\n", r"time\.start", "date"),
    ("one_state", "states:\n  USA:\n", r"states", "two states"),
    (
        "event_after_horizon",
        ev(GOOD, "{date: 2040-01-01, set: us.reliability, value: 0.3}"),
        r"events\[1\]\.date",
        "2040-01-01",
    ),
    (
        "event_before_start",
        ev("{date: 2025-12-31, set: us.reliability, value: 0.3}"),
        r"events\[0\]\.date",
        "outside the horizon",
    ),
    (
        "event_on_end_date",
        ev("{date: 2036-01-01, set: us.reliability, value: 0.3}"),
        r"events\[0\]\.date",
        "outside",
    ),
    (
        "event_bad_date",
        ev("{date: someday, set: us.reliability, value: 0.3}"),
        r"events\[0\]\.date",
        "date",
    ),
    (
        "event_unknown_path",
        ev(f"{{{D}, set: us.reliabilty, value: 0.3}}"),
        r"events\[0\]\.set",
        "reliabilty",
    ),
    (
        "event_unknown_section",
        ev(f"{{{D}, shift: foo.bar, by: 0.1}}"),
        r"events\[0\]\.shift",
        "'foo'",
    ),
    ("event_section_path", ev(f"{{{D}, set: us, value: 0.1}}"), r"events\[0\]\.set", "'us'"),
    (
        "event_non_numeric",
        ev(f"{{{D}, shift: default_doctrine, by: 0.1}}"),
        r"events\[0\]\.shift",
        "not a numeric",
    ),
    (
        "event_state_path_unknown",
        ev(f"{{{D}, set: states.XYZ.fiscal_room, value: 0.1}}"),
        r"events\[0\]\.set",
        "XYZ",
    ),
    (
        "set_value_out_of_range",
        ev(GOOD, f"{{{D}, set: us.reliability, value: 1.3}}"),
        r"events\[1\]\.value",
        "1.3",
    ),
    (
        "set_state_value_out_of_range",
        ev(f"{{{D}, set: states.GBR.fiscal_room, value: -0.5}}"),
        r"events\[0\]\.value",
        "states.GBR.fiscal_room",
    ),
    (
        "two_kinds",
        ev(f"{{{D}, set: us.reliability, value: 0.3, tie: [GBR, JPN], level: 2}}"),
        r"events\[0\]",
        "exactly one of",
    ),
    ("no_kind", ev(f"{{{D}, note: nothing happens}}"), r"events\[0\]", "exactly one of"),
    ("event_not_a_mapping", ev("hello"), r"events\[0\]", "exactly one of"),
    (
        "event_unknown_key",
        ev(f"{{{D}, set: us.reliability, value: 0.3, valu: 2}}"),
        r"events\[0\]\.valu",
        "unknown key",
    ),
    (
        "tie_unknown_state",
        "ties:\n  set:\n    - [GBR, JPN, 2]\n    - [GBR, XYZ, 2]\n",
        r"ties\.set\[1\]",
        "'XYZ'",
    ),
    ("tie_same_state", "ties:\n  set: [[GBR, GBR, 2]]\n", r"ties\.set\[0\]", "two different"),
    ("tie_short", "ties:\n  set: [[GBR, 2]]\n", r"ties\.set\[0\]", "[STATE, STATE, LEVEL]"),
    ("tie_level", "ties:\n  set: [[GBR, JPN, 9]]\n", r"ties\.set\[0\]\.level", "less than"),
    (
        "tie_event_unknown_state",
        ev(GOOD, f"{{{D}, tie: [GBR, XYZ], level: 2}}"),
        r"events\[1\](\.tie)?",
        "'XYZ'",
    ),
    (
        "tie_event_state_not_in_scenario",
        "states: {USA: , CHN: , GBR: }\n" + ev(f"{{{D}, tie: [GBR, JPN], level: 2}}"),
        r"events\[0\](\.tie)?",
        "'JPN'",
    ),
    (
        "bond_event_unknown_state",
        ev(f"{{{D}, bond: [XYZ, GBR], by: 0.1}}"),
        r"events\[0\](\.bond)?",
        "'XYZ'",
    ),
    (
        "tie_event_level",
        ev(f"{{{D}, tie: [GBR, JPN], level: 9}}"),
        r"events\[0\]\.level",
        "less than or equal",
    ),
    (
        "bond_event_by",
        ev(f"{{{D}, bond: [GBR, JPN], by: 10}}"),
        r"events\[0\]\.by",
        "less than or equal",
    ),
    (
        "doctrine_event_state",
        ev(f"{{{D}, doctrine: hedge, state: XYZ}}"),
        r"events\[0\]\.state",
        "'XYZ'",
    ),
    (
        "doctrine_event_unknown",
        ev(f"{{{D}, doctrine: appease, state: GBR}}"),
        r"events\[0\]\.doctrine",
        "'balance'",
    ),
    (
        "set_event_path_not_text",
        ev(f"{{{D}, set: [1, 2], value: 0.3}}"),
        r"events\[0\]\.set",
        "string",
    ),
    (
        "set_int_param_fraction",
        ev(f"{{{D}, set: ladder.max_initiatives, value: 2.5}}"),
        r"events\[0\]\.value",
        "integer",
    ),
    (
        "event_sets_the_calendar",
        ev(f"{{{D}, set: time.horizon, value: 4}}"),
        r"events\[0\]\.set",
        "time",
    ),
    ("unknown_default_doctrine", "default_doctrine: appease\n", r"default_doctrine", "'hedge'"),
    (
        "unknown_state_doctrine",
        "states:\n  USA:\n  GBR: {doctrine: appease}\n",
        r"states\.GBR\.doctrine",
        "'network'",
    ),
    (
        "unknown_membership",
        "states:\n  USA:\n  GBR: {memberships: [NATO, Foo]}\n",
        r"states\.GBR\.memberships",
        "'Foo'",
    ),
    (
        "unknown_state_attribute",
        "states:\n  USA:\n  GBR: {gdp: 3}\n",
        r"states\.GBR\.gdp",
        "unknown key",
    ),
    ("missing_extends", "extends: not_there.yaml\n", r"extends", "not_there.yaml"),
    ("extends_not_text", "extends: 3\n", r"extends", "file name"),
    (
        "inherit_events_not_bool",
        "extends: classroom_small\ninherit_events: maybe\n",
        r"inherit_events",
        "true or false",
    ),
    (
        "events_not_a_list_when_extending",
        "extends: classroom_small\nevents: {a: 1}\n",
        r"events",
        "list",
    ),
    ("events_not_a_list", "events: {a: 1}\n", r"events", "list"),
    ("top_level_list", "- a\n- b\n", None, "mapping"),
    ("top_level_scalar", "just words\n", None, "mapping"),
]


@pytest.mark.parametrize(
    ("text", "field", "needle"),
    [pytest.param(t, f, n, id=i) for i, t, f, n in BAD_CASES],
)
def test_bad_input_names_the_file_and_the_field(tmp_path, text, field, needle):
    path = write(tmp_path, "bad.yaml", text)
    err = load_error(path)
    assert err.file == str(path)
    if field is None:
        assert err.field is None
    else:
        assert err.field is not None and re.fullmatch(field, err.field), err.field
    assert needle in err.message
    line = err.one_line()
    assert "\n" not in line
    assert line.startswith(f"{path}: ")
    if err.field:
        assert line.startswith(f"{path}: {err.field}: ")
    assert str(err) == line


def test_circular_extends(tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    err = load_error(a)
    assert err.file == str(a)
    assert err.field == "extends"
    assert "circular" in err.message
    assert "a.yaml -> b.yaml -> a.yaml" in err.message
    assert "\n" not in err.one_line()


def test_self_extends(tmp_path):
    a = write(tmp_path, "self.yaml", "extends: self.yaml\n")
    err = load_error(a)
    assert err.field == "extends"
    assert "circular" in err.message


def test_error_in_a_parent_names_the_parent(tmp_path):
    parent = write(tmp_path, "parent.yaml", "name: p\nus: [0.4\n")
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\n")
    err = load_error(child)
    assert err.file == str(parent)
    assert err.field is not None and err.field.startswith("line ")


def test_missing_extends_names_the_extending_file(tmp_path):
    child = write(tmp_path, "sub/child.yaml", "extends: ../nowhere.yaml\n")
    err = load_error(child)
    assert err.file == str(child)
    assert err.field == "extends"
    assert "../nowhere.yaml" in err.message


def test_a_file_that_does_not_exist(tmp_path):
    path = tmp_path / "missing.yaml"
    err = load_error(path)
    assert err.file == str(path)
    assert err.field is None
    assert "no such file" in err.message
    assert "\n" not in err.one_line()
    err = load_error("no_such_bundled_scenario")
    assert err.file == "no_such_bundled_scenario"


def test_empty_file_is_the_default_scenario(tmp_path):
    path = write(tmp_path, "empty.yaml", "# nothing here\n")
    assert load_scenario(path).digest() == Scenario().digest()


def test_a_new_state_with_the_required_fields_is_accepted(tmp_path):
    path = write(
        tmp_path,
        "new.yaml",
        """\
        states:
          USA:
          CHN:
          ZZZ: {name: Zedland, lat: 1.0, lon: 2.0, gdp_usd_bn: 30, milex_usd_bn: 1,
                population_m: 5, democracy_score: 0.6, doctrine: hedge}
        ties:
          set:
            - [ZZZ, USA, 2]
        events:
          - {date: 2026-05-01, bond: [ZZZ, CHN], by: 0.1}
          - {date: 2026-05-01, set: states.ZZZ.fiscal_room, value: 0.3}
        """,
    )
    sc = load_scenario(path)
    assert sc.codes == ("USA", "CHN", "ZZZ")
    assert sc.states["ZZZ"].name == "Zedland"
    assert sc.states["ZZZ"].doctrine == "hedge"
    assert sc.ties.set[0].a == "ZZZ" and sc.ties.set[0].level == 2


@pytest.mark.parametrize("present", [["lat", "lon", "gdp_usd_bn"], [], ["democracy_score"]])
def test_a_new_state_without_the_required_fields_is_rejected(tmp_path, present):
    spec = {k: NEW_STATE[k] for k in present}
    body = ", ".join(f"{k}: {v}" for k, v in spec.items())
    path = write(tmp_path, "new.yaml", f"states:\n  USA:\n  ZZZ: {{{body}}}\n")
    err = load_error(path)
    assert err.file == str(path)
    assert err.field == "states.ZZZ"
    assert "'ZZZ'" in err.message
    missing = [f for f in REQUIRED_FOR_NEW_STATE if f not in present]
    assert err.message.endswith(", ".join(missing))
    named = err.message.split(" give ", 1)[1].split(", ")
    assert named == missing
    assert not set(named) & set(present)


def test_new_state_as_a_bare_key_is_rejected(tmp_path):
    path = write(tmp_path, "new.yaml", "states:\n  USA:\n  ZZZ:\n")
    err = load_error(path)
    assert err.field == "states.ZZZ"
    assert ", ".join(REQUIRED_FOR_NEW_STATE) in err.message


def test_every_doctrine_and_membership_is_accepted(tmp_path):
    for d in DOCTRINE_NAMES:
        path = write(tmp_path, f"{d}.yaml", f"default_doctrine: {d}\n")
        assert load_scenario(path).default_doctrine == d
    members = ", ".join(data.MEMBERSHIPS)
    path = write(tmp_path, "m.yaml", f"states:\n  USA:\n  GBR: {{memberships: [{members}]}}\n")
    assert load_scenario(path).states["GBR"].memberships == list(data.MEMBERSHIPS)


def test_bundled_scenarios_are_loaded_once_and_files_every_time(tmp_path):
    """A bundled name hits the cache (mesa.batch_run by name); a user's file is read again."""
    assert load_scenario("classroom_small") is load_scenario("classroom_small")
    f = tmp_path / "s.yaml"
    f.write_text("name: one\n")
    assert load_scenario(f).name == "one"
    f.write_text("name: two\n")
    assert load_scenario(f).name == "two"
