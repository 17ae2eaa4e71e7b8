"""Figures: Axes-level plots (``axes_run``, ``axes_sweep``), the run and sweep figure
sets with their offline HTML index, and the text report."""
