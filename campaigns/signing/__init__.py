"""Documents to sign — the contract and each installment's service remuneration receipt
(勞務報酬單) — issued as frozen versions, signed by typed name with an audit trail, and printed
with an audit page.

services: issuing and signing; selectors: reads; audit: the signed PDF; texts: what the
contract and the receipt say and the fingerprint of their terms.
"""
