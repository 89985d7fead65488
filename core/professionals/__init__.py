"""The Healthcare Professionals Registry (HPR, "Digi Doctor") and its council officers.

Entry point: `core.professionals.service.ProfessionalService`; the console in
`webhooks/council` and the admin CLI (`arogya admin add-officer`) use its `officers` and
`sessions`.
"""
