"""Finding care: conversations on every channel.

- `find` (the main menu's "Find a doctor or hospital"): a small menu leading to
- `facilities`: type, then state and district (or a PIN code), then VERIFIED facilities
  with their address and phone (`flows.find.facility`);
- `doctors`: specialisation, then the area, then VERIFIED doctors with their facility and
  its phone (`flows.find.doctor`);
- and, for doctors, registering with the registry (`flows.doctors`).

Searching needs no login: both registries' lists are public. Messages are catalog keys
prefixed `find.` (locales/*/LC_MESSAGES/find.po). The flows are registered with the engine in
`flows.registry`.
"""
