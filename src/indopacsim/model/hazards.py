"""Moving along the tie ladder: the consent rule and the hazards of agreement.

Functions over arrays with a leading run axis, like :mod:`indopacsim.model.kernel`, which
computes the values these functions turn into moves (``docs/model.md``, section 7.8).

A deal's hazard rises with its value (:func:`hazard`): zero for a deal not worth making,
proportional to its value while that is small, and saturating at the top rate (the
diplomatic calendar: a negotiation takes time however much both sides want it). A
summit (a scheduled meeting of leaders or a 2+2, :func:`choose_moves`'s ``summit``) is
the occasion at which negotiations conclude: there the top rate is the summit's own.
The values of a move a rung up or down that these hazards act on are taken here too, from
what the ties alone decide (:func:`ladder_terms`, :func:`value_steps`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from indopacsim.caching import frozen
from indopacsim.model.kernel import ValueTerms, ladder, rungs, value_at
from indopacsim.tiescale import DEPTH, MAX_LEVEL


def agreement(up: np.ndarray, side_payments: float, out: np.ndarray | None = None) -> np.ndarray:
    """M_ij = (1 - beta) min(up_ij, up_ji) + beta (up_ij + up_ji) / 2: a deal's value to the pair.

    Both sides must consent to an upgrade. With ``beta = 0`` the side that gains less
    decides (no transfers); with ``beta = 1`` the joint gain decides, as if the side that
    gains more could compensate the other in full (issue linkage and side payments:
    asymmetric alliances trade security for autonomy, Morrow 1991). ``out``: an array to
    write ``M`` into (the products and sums are the same, in place).
    """
    other = up.swapaxes(1, 2)
    if side_payments >= 1.0:
        return np.multiply(0.5, up + other, out=out)
    low = np.minimum(up, other, out=out)
    if side_payments <= 0.0:
        return low
    mean = np.add(up, other)
    mean *= 0.5  # 0.5 (up + other) and beta times it: a product's order is its own
    mean *= side_payments
    low *= 1.0 - side_payments
    low += mean
    return low


def hazard(value: np.ndarray, top: float | np.ndarray, scale: float) -> np.ndarray:
    """h(M) = top x (1 - exp(-max(M, 0) / s)): the chance per step that a move of value M happens.

    A move is made only if it is worth making (M > 0, after the step's random shock to
    the value: a random-utility rule, McFadden 1974). Its chance then rises with its
    value, in proportion while ``M`` is small against ``s`` (bargaining: the larger the
    surplus, the sooner the deal; Rubinstein 1982), and saturates at ``top``, the rate the
    diplomatic calendar allows. ``s`` is the value at which a move happens at 63% of
    ``top``. A value of ``-inf`` (a move not allowed) gives 0.
    """
    gain = np.maximum(np.where(np.isfinite(value), value, 0.0), 0.0)
    return top * -np.expm1(-gain / scale)


def top_rates(ties: np.ndarray, h_up: float, decay: float) -> np.ndarray:
    """h_up e^(-lambda L): the top chance per step of an upgrade from level ``L``.

    Deeper agreements take longer to negotiate: a strategic partnership or a 2+2 is
    agreed at a summit, an access agreement or a co-development programme takes years
    of talks and ratification (Japan's RAA with Australia: talks from 2014, signed in
    2022). ``lambda`` (``ladder.depth_decay``) is calibrated on 2013-2019, when 22 of 31
    upgrades started from a dialogue (level 1) and none from level 4 or above.
    """
    if decay == 0.0:
        return np.full(ties.shape, h_up)
    return h_up * np.exp(-decay * ties)


#: The hazard scale of :func:`choose_moves`: one for both moves, or an upgrade's and a cut's.
Scale = float | tuple[float, float]


def choose_moves(
    up: np.ndarray,
    down: np.ndarray,
    ties: np.ndarray,
    caps: np.ndarray,
    draws: np.ndarray,
    initiatives: int,
    hazards: tuple[float, float, Scale, float],
    side_payments: float = 0.0,
    summit: tuple[np.ndarray, float] | None = None,
    gates: tuple[Any, ...] | None = None,
    feasible: bool = False,
) -> np.ndarray:
    """The change of every tie this step (R, N, N) in {-1, 0, +1}, symmetric.

    A state pursues its ``initiatives`` best upgrades (diplomatic bandwidth), by its own
    gain; with ``feasible`` only among the deals worth making to the pair (``M > 0``:
    prenegotiation, Zartman 1989, Stein 1989: a state sounds out a partner before it
    spends its bandwidth on a negotiation the partner would refuse); a pursued
    upgrade from level ``L`` is agreed with chance :func:`hazard` ``(M, h_up e^(-lambda L),
    s)``, with ``M`` the deal's value to the pair (:func:`agreement`: the smaller of the
    two sides' gains, moved towards their mean by side payments) and ``lambda`` the
    depth decay (:func:`top_rates`). Each state may also thin its most wanted
    downgrade, with chance :func:`hazard` ``(gain, h_down, s_down)`` (the larger the loss,
    the sooner the cut; Leeds & Savun 2007); ``hazards`` = ``(h_up, h_down, s, lambda)``,
    ``s`` one scale or ``(s_up, s_down)``. ``summit``: an (N, N) mask of pairs meeting
    this step and the top rate there: the pair's upgrade is on the table at ``h_summit``.
    ``draws`` holds uniform numbers (R, N, N) from the model's generator; ``gates`` are
    :func:`move_gates` of the ties, caps and hazards when the caller keeps them.
    """
    _, h_down, given, _ = hazards
    scale = _scales(*given) if isinstance(given, tuple) else given  # (2, 1, 1, 1): the stack
    can_up, has_tie, rate, tops = move_gates(ties, caps, hazards) if gates is None else gates
    n = up.shape[1]
    up = np.where(can_up, up, -np.inf)
    # the hazards of the deals and of the downgrades as one stack (elementwise: same numbers)
    value = np.empty((2, *up.shape))
    mutual = agreement(up, side_payments, out=value[0])
    pursued = pursuits(up, mutual, initiatives, feasible)
    open_ = np.isfinite(mutual)
    propose = (pursued | pursued.transpose(0, 2, 1)) & open_
    if summit is not None:
        met, h_summit = summit
        propose |= met[None] & open_
        tops = -_tops(np.where(met, h_summit, rate), h_down, up.shape)
    down = np.where(has_tie, down, -np.inf)
    want = wanted_cuts(down)
    value[1] = down
    h = _hazard(value, tops, scale)
    p_up = np.where(propose, h[0], 0.0)
    p_own = np.where(want, h[1], 0.0)
    stay = 1.0 - p_own  # 1 - p_own transposed is this transposed: the same numbers
    p_dn = 1.0 - stay * stay.transpose(0, 2, 1)
    go_up = _upper(n) & (draws < p_up)
    go_dn = _upper(n) & ~go_up & (draws > 1.0 - p_dn)
    delta = go_up.view(np.int8) - go_dn.view(np.int8)
    return delta + delta.transpose(0, 2, 1)


def pursuits(up: np.ndarray, mutual: np.ndarray, initiatives: int, feasible: bool) -> np.ndarray:
    """(R, N, N) mask of the upgrades each state pursues: its ``initiatives`` best by its
    own gain ``up`` (``-inf``: not allowed), with ``feasible`` only among the deals worth
    making to the pair (``mutual`` > 0; :func:`choose_moves`)."""
    k = min(initiatives, up.shape[2] - 1)
    aim = np.where(mutual > 0.0, up, -np.inf) if feasible else up
    if k == 1:  # the one best: the largest gain (argpartition's pick, where it is unique)
        pursued = aim.argmax(axis=2)[..., None] == _columns(up.shape[2])
    else:
        pursued = _chosen((-aim).argpartition(k - 1, axis=2)[:, :, :k], up.shape)
    pursued &= np.isfinite(aim)
    return pursued


def wanted_cuts(down: np.ndarray) -> np.ndarray:
    """(R, N, N) mask of the cut each state wants most (``down``: ``-inf`` where no tie)."""
    return _chosen(down.argmax(axis=2)[..., None], down.shape) & np.isfinite(down)


@functools.cache
def _scales(up: float, down: float) -> np.ndarray:
    """The scales of an upgrade and of a cut, stacked (2, 1, 1, 1) (read-only)."""
    return frozen(np.array([up, down]).reshape(2, 1, 1, 1))[0]


def _hazard(value: np.ndarray, neg_tops: np.ndarray, scale: float | np.ndarray) -> np.ndarray:
    """:func:`hazard` with the top rates negated (``move_gates``' stack), in place: the same
    numbers (a sign moved from one factor to another, or to the divisor, is exact)."""
    h = np.maximum(np.where(np.isfinite(value), value, 0.0), 0.0)
    h /= -scale
    np.expm1(h, out=h)
    h *= neg_tops
    return h


def move_gates(
    ties: np.ndarray,
    caps: np.ndarray,
    hazards: tuple[float, float, Scale, float],
    floor: np.ndarray | None = None,
) -> tuple[Any, ...]:
    """What :func:`choose_moves` reads of the ties alone (read-only): the pairs below both
    sides' caps, the pairs that may be cut (a tie above the pair's ``floor``, (N, N):
    :func:`~indopacsim.model.world.treaty_floor`; 0 when ``None``), the top rate of an
    upgrade (:func:`top_rates`; a float without depth decay) and the top rates of an
    upgrade and a downgrade stacked, negated (for :func:`_hazard`)."""
    h_up, h_down, _, decay = hazards
    rate: float | np.ndarray = h_up
    if decay == 0.0:
        tops = -_tops(rate, h_down, ties.shape)
    else:  # looked up by level: the same numbers (:func:`_gate_table`)
        looked = _gate_table(h_up, h_down, decay).take(ties, axis=1)
        tops, rate = looked[:2], looked[2]
    cuttable = ties > 0 if floor is None else ties > floor
    out = frozen(ties < _pair_caps(caps), cuttable, tops)
    if not isinstance(rate, float):
        frozen(rate)
    return out[0], out[1], rate, tops


@functools.lru_cache(maxsize=64)
def _gate_table(h_up: float, h_down: float, decay: float) -> np.ndarray:
    """(3, 9) per level: the negated top rates of an upgrade and a downgrade (the stack of
    :func:`move_gates`) and the top rate of an upgrade (:func:`top_rates`), each by the
    expression :func:`move_gates` applies to the levels (read-only)."""
    rate = top_rates(np.arange(MAX_LEVEL + 1, dtype=np.int8), h_up, decay)
    return frozen(np.array([-rate, np.full(rate.shape, -h_down), rate]))[0]


def _tops(rate: float | np.ndarray, h_down: float, shape: tuple[int, ...]) -> np.ndarray:
    """The top rates of an upgrade and a downgrade, stacked (2, R, N, N) or (2, 1, 1, 1)."""
    if isinstance(rate, float):
        return np.array([rate, h_down]).reshape(2, 1, 1, 1)
    tops = np.empty((2, *shape))
    tops[0], tops[1] = rate, h_down
    return tops


def _chosen(picks: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Boolean (R, N, N) mask of the columns ``picks`` (R, N, k) names in each row."""
    if picks.shape[2] == 1:  # one pick a row: one comparison
        return picks == _columns(shape[2])
    out = np.zeros(shape, dtype=bool)
    out.reshape(-1)[(picks + _row_starts(shape)).reshape(-1)] = True
    return out


@functools.cache
def _columns(n: int) -> np.ndarray:
    """``np.arange(n)``, kept for each ``n`` (read-only)."""
    return frozen(np.arange(n))[0]


@functools.cache
def _row_starts(shape: tuple[int, ...]) -> np.ndarray:
    """(R, N, 1) flat index of the start of each row of an (R, N, N) array (read-only)."""
    starts = (np.arange(shape[0] * shape[1]) * shape[2]).reshape(shape[0], shape[1], 1)
    starts.flags.writeable = False
    return starts


_PAIR_CAPS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _pair_caps(caps: np.ndarray) -> np.ndarray:
    """min(caps_ij, caps_ji): kept for a read-only ``caps`` (the engine's)."""
    if caps.flags.writeable:
        return np.minimum(caps, np.swapaxes(caps, 1, 2))
    hit = _PAIR_CAPS.get(id(caps))
    if hit is None or hit[0] is not caps:
        if len(_PAIR_CAPS) > 64:
            _PAIR_CAPS.clear()
        pair = np.minimum(caps, np.swapaxes(caps, 1, 2))
        hit = _PAIR_CAPS[id(caps)] = (caps, pair)
    return hit[1]


#: Pairs (R x N x N) up to which the three levels are valued as one stack: a third of the
#: calls for small networks; level by level beyond (small temporaries for large N).
STACK_PAIRS = 20_000


#: The ladder of every level (3, 9): the level, a rung up and a rung down; and the anchors
#: of those levels (5, 3, 9): looked up, the stacked levels and their anchors are the same
#: numbers as :func:`~indopacsim.model.kernel.ladder` and :func:`~indopacsim.model.kernel.rungs`.
_RUNGS = ladder(np.arange(MAX_LEVEL + 1)[None, None])[:, 0, 0]
_ANCHORS = np.array(rungs(_RUNGS))


def ladder_terms(
    ties: np.ndarray, opening: float, fit: tuple[np.ndarray, ...] | None = None
) -> tuple[Any, ...]:
    """What the step's values read from the ties alone (read-only): the levels one rung up
    and down (:func:`~indopacsim.model.kernel.ladder`) and their anchors, the opening cost
    of each tie not yet open, the depth a rung up and a rung down adds, and the status-quo
    terms ``fit`` = (ties0, up, down) of a move up and down (``None`` without a fit).
    Beyond :data:`STACK_PAIRS` the anchors are not kept (``None``: small temporaries)."""
    lv = ties.astype(np.intp)
    stack = _RUNGS.take(lv, axis=1)
    if lv.size > STACK_PAIRS:
        anchors = None
        depth = [DEPTH[lv] for lv in stack]
        out = [opening * (stack[0] == 0), depth[1] - depth[0], depth[2] - depth[0]]
    else:  # the anchors, the opening cost and the two rungs' depths in one take
        looked = _level_table(opening).take(lv, axis=1)
        anchors = tuple(looked[:15].reshape(5, 3, *lv.shape))
        out = list(looked[15:])
    if fit is not None:
        out.extend(_fit_terms(ties, lv, fit, anchors is not None))
    frozen(stack, *(anchors or ()), *out)
    return stack, anchors, *out[:3], (tuple(out[3:]) if fit is not None else None)


@functools.lru_cache(maxsize=64)
def _level_table(opening: float) -> np.ndarray:
    """(18, 9) per level: the anchors of the level and its two rungs (the 5 x 3 rows of
    ``_ANCHORS``), then the opening cost, the depth a rung up adds and the depth a rung
    down adds, each by the expression :func:`ladder_terms` applies to the levels (one
    lookup gives the same numbers; read-only)."""
    depth = _ANCHORS[0]
    rows = [opening * (_RUNGS[0] == 0), depth[1] - depth[0], depth[2] - depth[0]]
    return frozen(np.concatenate([_ANCHORS.reshape(15, -1), rows]))[0]


_FIT_TABLES: dict[int, tuple[tuple[np.ndarray, ...], np.ndarray]] = {}


def _fit_terms(
    ties: np.ndarray, lv: np.ndarray, fit: tuple[np.ndarray, ...], looked: bool
) -> tuple[np.ndarray, ...]:
    """The status-quo terms of a move up and down (R, N, N) of ``fit`` = (ties0, up, down):
    ``down`` below the start and ``-up`` from it on, ``up`` above it and ``-down`` up to it;
    with ``looked``, taken from each pair's terms at every level (kept per fit: selections,
    the same numbers)."""
    ties0, up, down = fit
    if not looked:
        return (
            np.where(ties < ties0[None], down[None], -up[None]),
            np.where(ties > ties0[None], up[None], -down[None]),
        )
    hit = _FIT_TABLES.get(id(ties0))
    if hit is None or hit[0][0] is not ties0 or hit[0][1] is not up or hit[0][2] is not down:
        if len(_FIT_TABLES) > 16:
            _FIT_TABLES.clear()
        levels = np.arange(MAX_LEVEL + 1)[:, None, None]
        table = np.array([np.where(levels < ties0, down, -up), np.where(levels > ties0, up, -down)])
        hit = _FIT_TABLES[id(ties0)] = (fit, table.reshape(2, -1))
    cells = ties0.size
    index = lv.reshape(len(lv), cells) * cells + _columns(cells)
    return tuple(hit[1].take(index, axis=1).reshape(2, *lv.shape))


def value_steps(
    stack: np.ndarray, vt: ValueTerms, us: int, anchors: tuple[np.ndarray, ...] | None
) -> tuple[np.ndarray, np.ndarray]:
    """V(L+1) - V(L) and V(L-1) - V(L) from the kept :func:`ladder_terms` (the same
    elementwise operations whether the levels are valued together or one by one)."""
    if anchors is not None:
        v = value_at(stack, vt, us, anchors)
        return v[1] - v[0], v[2] - v[0]
    here, higher, lower = (value_at(lv, vt, us) for lv in stack)
    return higher - here, lower - here


@functools.cache
def _upper(n: int) -> np.ndarray:
    """(N, N) read-only mask of the pairs above the diagonal."""
    mask = np.triu(np.ones((n, n), dtype=bool), 1)
    mask.flags.writeable = False
    return mask


__all__ = [
    "agreement",
    "choose_moves",
    "hazard",
    "ladder_terms",
    "move_gates",
    "pursuits",
    "top_rates",
    "value_steps",
    "wanted_cuts",
]
