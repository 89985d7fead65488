"""The records' whole system (ids as long as production's) and its holder, as tests/webhooks/records
has them: the chat tests here read the same records through the engine alone."""

from tests.webhooks.records.conftest import holder, running

__all__ = ["holder", "running"]
