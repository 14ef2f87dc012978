"""Payouts to creators: withholding and NHI rules (tax.py, pure) and their loading (selectors)."""
