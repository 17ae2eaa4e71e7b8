"""Geography: great-circle distances and the loss-of-strength gradient.

The loss-of-strength gradient (Boulding, *Conflict and Defense*, 1962) says a state's
military strength declines with the distance over which it must be projected. We use
the exponential form common in the quantitative literature (e.g. Lemke, *Regions of War
and Peace*, 2002, discusses the alternatives): strength at distance ``d`` is
``0.5 ** (d / half)``, so ``half`` is the distance at which half the strength remains.
The paper's "9,000 km of logistics" between the UK and Japan (§6) enters through this
gradient (in threat and security value) and through the distance cost of ties.
"""

from __future__ import annotations

import numpy as np

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distances between all pairs of points (haversine formula).

    Args:
        lat: Latitudes in decimal degrees, shape (n,).
        lon: Longitudes in decimal degrees, shape (n,).

    Returns:
        Symmetric (n, n) matrix of distances in km with a zero diagonal.
    """
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    np.fill_diagonal(d, 0.0)
    return d


def loss_of_strength(distance_km: np.ndarray, half_distance_km: float | np.ndarray) -> np.ndarray:
    """Share of strength that remains after projection over ``distance_km``.

    Args:
        distance_km: Distances (any shape).
        half_distance_km: Distance at which half the strength remains (> 0).

    Returns:
        Values in (0, 1], equal to 1 at distance 0.
    """
    return np.exp2(-np.asarray(distance_km, dtype=float) / half_distance_km)
