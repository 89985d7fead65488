"""The health worker registry: ASHAs, ANMs and CHOs who enrol people on their behalf."""
