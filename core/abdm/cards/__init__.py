"""ABDM's ABHA card in `abdm` mode: the user token that fetches it, and the card once fetched.

Its own tortoise app, so no existing registry's migrations move (`core.storage.APPS`).
"""
