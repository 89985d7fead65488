"""The partner API over real HTTP: facilities, HIP record push, HIU consent, doctors."""
