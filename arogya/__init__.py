"""The composition root: reads settings, opens storage, wires core, flows and channels.

Why a package of its own: docs/design.md §1 wants one place that knows every layer; putting it
inside core/ would make core import the channels. `arogya` is also the distribution's name.
"""
