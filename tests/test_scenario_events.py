"""Contract tests every registered event kind inherits (:data:`indopacsim.scenario.events.EVENTS`).

As the Axelrod library does for strategies: a new kind registered in
:mod:`indopacsim.scenario.events` is tested here without a line of its own.
"""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from indopacsim.errors import InputError
from indopacsim.scenario.events import EVENT_KINDS, EVENTS, ScenarioEvent
from indopacsim.scenario.io import validate
from indopacsim.scenario.schema import Scenario

KINDS = sorted(EVENTS)
#: The kinds that name a state (a ``crisis`` names a theatre, checked by its own test).
STATE_KINDS = [k for k in KINDS if EVENTS[k].state_field]


def _scenario_with(event: dict) -> Scenario:
    return validate({"events": [event]}, file="contract.yaml")


def test_registry_is_the_discriminated_union():
    assert tuple(EVENTS) == EVENT_KINDS
    assert set(EVENT_KINDS) == {"set", "shift", "tie", "bond", "summit", "doctrine", "crisis"}
    kinds = "set, shift, tie, bond, summit, doctrine, crisis"
    with pytest.raises(InputError, match=f"exactly one of: {kinds}"):
        _scenario_with({"date": "2026-06-30", "set": "us.reliability", "tie": ["GBR", "JPN"]})


@pytest.mark.parametrize("kind", KINDS)
def test_kind_is_registered_under_its_key(kind):
    cls = EVENTS[kind]
    assert issubclass(cls, ScenarioEvent)
    assert cls.kind == kind and kind in cls.model_fields
    assert not cls.state_field or cls.state_field in cls.model_fields
    assert cls.__doc__


@pytest.mark.parametrize("kind", KINDS)
def test_example_validates_as_its_kind(kind):
    sc = _scenario_with(EVENTS[kind].example())
    (ev,) = sc.events
    assert type(ev) is EVENTS[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_round_trips_through_yaml(kind):
    (ev,) = _scenario_with(EVENTS[kind].example()).events
    text = yaml.safe_dump(ev.model_dump(mode="json"))
    (again,) = _scenario_with(yaml.safe_load(text)).events
    assert again == ev


@pytest.mark.parametrize("kind", KINDS)
def test_describes_itself_in_one_line(kind):
    (ev,) = _scenario_with(EVENTS[kind].example()).events
    text = ev.describe()
    assert isinstance(text, str) and text.startswith(kind + " ") and "\n" not in text


@pytest.mark.parametrize("kind", STATE_KINDS)
def test_unknown_state_is_refused_with_the_field_named(kind):
    with pytest.raises(InputError) as err:
        _scenario_with(EVENTS[kind].example(state="ZZZ"))
    assert err.value.field == f"events[0].{EVENTS[kind].state_field}"
    assert "ZZZ" in err.value.message


@pytest.mark.parametrize("kind", KINDS)
def test_date_outside_the_horizon_is_refused(kind):
    event = {**EVENTS[kind].example(), "date": "2040-01-01"}
    with pytest.raises(InputError) as err:
        _scenario_with(event)
    assert err.value.field == "events[0].date"


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_key_is_refused(kind):
    with pytest.raises(ValidationError):
        Scenario.model_validate({"events": [{**EVENTS[kind].example(), "colour": "red"}]})


def test_unknown_crisis_theatre_is_refused_with_the_field_named():
    with pytest.raises(InputError) as err:
        _scenario_with({"date": "2026-06-30", "crisis": "Baltic"})
    assert err.value.field.startswith("events[0]")
    assert "Taiwan Strait" in err.value.message
