"""Health records (PHR/EMR): FHIR documents from facilities, kept sealed, read back as text.

A verified facility links a care context to a person and pushes FHIR R4 document bundles for it
(`service`); each is validated (`fhir`, `hitypes`, `checks`), sealed at rest (`vault`, `models`,
`rotation`), listed without being opened, and opened only with an audit event. A person's own
photo or PDF is wrapped as a HealthDocumentRecord (`own`). `summary` turns a bundle into short
English or Hindi text a phone can show.
"""
