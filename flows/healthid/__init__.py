"""The Health ID conversations: creating a Health ID (`enrol`) and "My Health ID" (`myid`).

Written once, run by the engine on USSD, SMS and Telegram alike; see each module's docstring
for its transcript. The main menu that leads here is `flows.menu`; every flow is registered with
the engine in `flows.registry`; proving a mobile and logging in are `flows.proof` and
`flows.login`, which other conversations share.
"""
