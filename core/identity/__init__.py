"""The identity port: what flows and channels ask of whoever issues ABHAs (see `port`)."""
