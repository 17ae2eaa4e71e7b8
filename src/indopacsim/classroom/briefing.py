"""Private briefings: what a state's player should know before choosing moves.

Written from the model's own numbers at the current step, so a briefing is always in step
with the game: the state's doctrine, trust in the US, alignment and hedging, its ties,
its trade exposure to China and the US, its budget headroom, and the partners whose tie
it could still deepen. Read by the student page only for the player's own state.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from indopacsim.tiescale import LEVEL_NAMES, MAX_LEVEL


def state_name(model: Any, iso3: str) -> str:
    """The state's full name (its ISO3 code when the model's world has no names)."""
    table = getattr(getattr(model, "world", None), "table", None)
    if table is not None and "name" in table and iso3 in table.index:
        return str(table.loc[iso3, "name"])
    return iso3


def briefing(model: Any, iso3: str) -> list[str]:
    """The briefing of ``iso3`` as short paragraphs (plain text, one per item)."""
    i = list(model.codes).index(iso3)
    lines = [
        f"You are {state_name(model, iso3)} ({iso3}), playing the {model.doctrine_names[i]} "
        f"doctrine unless you switch. Date: {model.date}."
    ]
    lines.append(_stance(model, i))
    ties = np.asarray(model.ties[i])
    order = [j for j in np.argsort(-ties, kind="stable") if ties[j] > 0 and j != i]
    if order:
        parts = [f"{model.codes[j]} {int(ties[j])} ({LEVEL_NAMES[int(ties[j])]})" for j in order]
        lines.append("Your ties: " + "; ".join(parts) + ".")
    else:
        lines.append("You have no security ties yet.")
    room = [model.codes[j] for j in range(len(model.codes)) if j != i and ties[j] < MAX_LEVEL]
    lines.append("You can propose one-rung upgrades to: " + ", ".join(room) + ".")
    lines.extend(_economy(model, iso3, i))
    return lines


def _stance(model: Any, i: int) -> str:
    trust = float(model.trust[i])
    align = float(model.alignment[i])
    camp = "the US camp" if align > 0.2 else "China's camp" if align < -0.2 else "neither camp"
    return (
        f"Your trust in the United States is {trust:.2f} (0 none, 1 full). Your ties lean "
        f"towards {camp} (alignment {align:+.2f}); your hedging index is "
        f"{float(model.hedging[i]):.2f}."
    )


def _economy(model: Any, iso3: str, i: int) -> list[str]:
    out = []
    table = getattr(getattr(model, "world", None), "table", None)
    if table is not None and "trade_share_china" in table and iso3 in table.index:
        cn = float(table.loc[iso3, "trade_share_china"])
        us = float(table.loc[iso3, "trade_share_us"])
        out.append(
            f"China takes {cn:.0%} of your trade, the US {us:.0%}: distancing from China "
            "risks retaliation in proportion; engaging China may draw a US rebuke."
        )
    budget, spend = getattr(model, "budget", None), getattr(model, "spend", None)
    if budget is not None and spend is not None:
        head = float(budget[i] - spend[i])
        out.append(
            f"Defence budget headroom: {head:.2f} (ties cost more the higher and the farther "
            "they are; a negative headroom forces cuts)."
        )
    return out
