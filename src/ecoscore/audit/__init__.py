"""Auditing a published table: recompute, compare figure by figure, and say why one differs.

``verify`` compares a published table with the results and returns every difference at
its cell; ``divergence`` tries the explanations auditors meet (a rounding, an unrounded
sum, a rank style) and words each one that fits.
"""
