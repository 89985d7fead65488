"""settings.example.env documents every setting, and the embedded defaults need no server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.settings import Settings

EXAMPLE = Path(__file__).parents[3] / "settings.example.env"


def env_names(field_name: str) -> set[str]:
    field = Settings.model_fields[field_name]
    alias = field.validation_alias
    if alias is not None and hasattr(alias, "choices"):
        return {str(choice) for choice in alias.choices}
    return {f"AROGYA_{field_name.upper()}"}


def documented_keys() -> set[str]:
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), flags=re.MULTILINE))


@pytest.mark.parametrize("field_name", sorted(Settings.model_fields))
def test_every_setting_is_documented(field_name: str) -> None:
    assert env_names(field_name) & documented_keys(), f"{field_name} missing from {EXAMPLE.name}"


def test_no_documented_key_is_unknown() -> None:
    known = set().union(*(env_names(name) for name in Settings.model_fields))
    assert documented_keys() - known == set()


def test_embedded_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(documented_keys()):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url.startswith("sqlite://")
    assert settings.redis_url is None
    assert settings.uses_dev_secret


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/arogya")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("AROGYA_MAX_ABHAS_PER_MOBILE", "3")
    monkeypatch.setenv("AROGYA_DLT_TEMPLATES", '{"sms.otp": "1107000000000000001"}')
    settings = Settings()
    assert settings.database_url == "postgres://u:p@db:5432/arogya"
    assert settings.redis_url == "redis://cache:6379/0"
    assert settings.max_abhas_per_mobile == 3
    assert settings.dlt_templates == {"sms.otp": "1107000000000000001"}
