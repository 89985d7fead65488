"""The Health ID (ABHA) registry: who a person is to the health system, and how they prove it.

The package keeps the rules ABDM sets for an ABHA in one place so every channel applies them
alike: what a number and an address look like (`numbers`, `address`), how Aadhaar and mobile
numbers are read and protected (`aadhaar`, `mobile`), what is stored (`models`), how a person
enrols, logs in and manages their ABHA (`service`), and the card they can keep (`card`).
"""
