"""The Health Facility Registry (HFR): which hospitals, clinics and labs exist, and which of
them an administrator has verified.

Verification is what lets a facility act as a partner: push records for its patients (HIP) and,
later, ask for consent (HIU). The package holds the rules for that: what a facility declares
(`draft`), its id (`ids`), its partner API keys (`keys`), the places it can be in (`lgd`), what
is stored (`models`) and the service every door goes through (`service`).
"""
