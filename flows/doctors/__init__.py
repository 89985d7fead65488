"""A doctor joining the Healthcare Professionals Registry, on any channel.

Reached by the `DOCTOR`/`डॉक्टर` shortcut, the "find" menu's "I am a doctor: register", or (on
Telegram) a `/start` deep link. In the order a doctor meets them: `registration` (the flow, its
questions), `mobile` (the mobile proved with the registry's own OTP), `answers` (each typed
answer read with the registry's rule and its own error message) and `check` (the answers read
back before they go to the council). Messages are catalog keys prefixed `find.reg.`.
"""
