"""The partner API over real HTTP (issue 5)."""
