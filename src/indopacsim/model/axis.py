"""Threat pooled along an axis: a source carries the threats of the sources aligned with it.

Balance of threat counts a source's aggregate power with its partners' (Walt, *The
Origins of Alliances*, 1987): an axis is seen as one threat, so a state threatened by
``m`` sees ``m``'s aligned partner ``k`` as a threat too, in proportion to the depth of
their tie, where ``k`` has intentions against it of its own (its general hostility, or
a dispute or rivalry with the state): North Korea carries China's threat to Japan and
Korea, Pakistan China's to India (the two-front threat), China and Russia each other's;
Pakistan does not carry China's threat to the Philippines, with which it has no quarrel.
This is the link the source paper draws from Russia's war to Asia (§1: the invasion of
Ukraine "catalyzed a rethinking of collective security across Europe and the
Indo-Pacific"; §3: "across the Euro-Atlantic and in the Indo-Pacific"), and the reading
of the China-Russia partnership in NATO's 2022 Strategic Concept and Japan's 2022
National Security Strategy. ``threat.pooling`` sets its weight (calibrated on 2013-2019:
``docs/validation.md``, "Calibration"; 0 switches the axis off).
"""

from __future__ import annotations

import numpy as np

from indopacsim.caching import derived
from indopacsim.model.terms import Terms
from indopacsim.tiescale import DEPTH


def pooled(tm: Terms, ties: np.ndarray, direct: np.ndarray) -> np.ndarray:
    """X_ik = 1[T0_ik > 0] sum_m DEPTH[L_km] T_im (R, N, K): the threats of the sources
    aligned with ``k``, toward the states ``k`` has intentions against itself.

    ``direct``: the sources' own threats T (R, N, K) after growth and the ally discount;
    ``ties``: the levels (R, N, N). A source is not threatened by its own partners this
    way (its own cells are 0, as they are in ``T0``).
    """
    return pooled_by(tm, direct, source_depths(tm, ties))


def source_depths(tm: Terms, ties: np.ndarray) -> np.ndarray:
    """D_mk = DEPTH[L_km] (R, K, K): the depths among the sources, as :func:`pooled_by`
    multiplies by them (a transposed view; the engine keeps it while the ties hold)."""
    cells = _static(tm)[0]
    k = len(tm.src)
    depth = DEPTH.take(ties.reshape(len(ties), -1).take(cells, axis=1)).reshape(-1, k, k)  # D_km
    return np.swapaxes(depth, 1, 2)


def pooled_by(tm: Terms, direct: np.ndarray, depth_t: np.ndarray) -> np.ndarray:
    """X_ik of :func:`pooled` from the depths among the sources (:func:`source_depths`)."""
    out = np.matmul(direct, depth_t)  # sum over m of T_im D_km
    out *= _static(tm)[1]  # no intent of its own: no inherited threat
    return out


def _static(tm: Terms) -> tuple[np.ndarray, np.ndarray]:
    """The flat indices of the source-source cells of an (N, N) tie matrix, and the
    (N, K) indicator of ``T0_ik > 0``, kept per terms."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        n = tm.base_threat.shape[0]
        cells = (tm.src[:, None] * n + tm.src[None, :]).ravel()
        return cells, (tm.base_threat > 0).astype(float)

    return derived(tm, "axis cells", build)


def with_axis(tm: Terms, ties: np.ndarray, direct: np.ndarray, free: np.ndarray) -> np.ndarray:
    """T_ik + p (1 - DEPTH[L_ik]) X_ik: the threats with the axis pooled (before alarm).

    ``free`` is ``1 - DEPTH[L_ik]``: a state's own tie with the source discounts the pooled
    threat as it discounts the source's own.
    """
    return direct + tm.pooling * free * pooled(tm, ties, direct)


__all__ = ["pooled", "pooled_by", "source_depths", "with_axis"]
