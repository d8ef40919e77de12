"""When to hand off (every trigger of issue 6), priorities and waits from config/handoff.yml."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from frontdoor.handoff.config import (
    DEV_SECRET,
    HandoffConfigError,
    delivery_settings,
    load_config,
    parse_config,
    webhook_secret,
)
from frontdoor.handoff.triggers import (
    AGENT_ONLY,
    Signals,
    compliance_review_overdue,
    handoff_reason,
    kyc_retries_exhausted,
    transfer_overdue,
)
from frontdoor.taxonomy import load_taxonomy

CONFIG = load_config()
TRIGGERS = CONFIG.triggers
TAXONOMY = load_taxonomy()


@pytest.mark.parametrize("intent", ["fraud_report", "complaint", "request_human", "close_account"])
def test_reasons_of_kind_handoff_always_go_to_a_human(intent: str) -> None:
    assert handoff_reason(Signals(user_intents=["greet", intent]), TAXONOMY, TRIGGERS) == "handoff_topic"


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        (Signals(user_intents=["fees"]), None),
        (Signals(user_intents=["nlu_fallback"]), None),
        (Signals(user_intents=["nlu_fallback", "nlu_fallback"]), "repeated_fallback"),
        (Signals(user_intents=["nlu_fallback", "fees", "nlu_fallback"]), None),
        (Signals(user_intents=["fees"], not_helpful_votes=1), None),
        (Signals(user_intents=["fees"], not_helpful_votes=2), "not_helpful"),
        (Signals(user_intents=["transfer_status"], identity_failures=2), None),
        (Signals(user_intents=["transfer_status"], identity_failures=3), "identity_check_failed"),
        (Signals(user_intents=["fees"], backend_error=True), "backend_error"),
        (Signals(user_intents=["fraud_report"], identity_failures=3), "identity_check_failed"),
    ],
)
def test_triggers_follow_the_configured_thresholds(signals: Signals, expected: str) -> None:
    assert handoff_reason(signals, TAXONOMY, TRIGGERS) == expected


@pytest.mark.parametrize("reason", AGENT_ONLY)
def test_handbook_agent_only_cases_hand_off_with_their_reason(reason: str) -> None:
    assert handoff_reason(Signals(user_intents=["transfer_status"], agent_only=reason), TAXONOMY, TRIGGERS) == reason


def test_unknown_agent_only_reason_is_an_error() -> None:
    with pytest.raises(ValueError, match="agent_only"):
        handoff_reason(Signals(agent_only="bored"), TAXONOMY, TRIGGERS)


def test_handbook_time_rules() -> None:
    promised = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    assert not transfer_overdue("mobile_money", promised, promised + timedelta(hours=2))
    assert transfer_overdue("mobile_money", promised, promised + timedelta(hours=2, minutes=1))
    assert not transfer_overdue("bank_deposit", promised, promised + timedelta(hours=13))
    assert transfer_overdue("bank_deposit", promised, promised + timedelta(days=1))
    assert not compliance_review_overdue(promised, promised + timedelta(hours=48), TRIGGERS)
    assert compliance_review_overdue(promised, promised + timedelta(hours=49), TRIGGERS)
    assert not kyc_retries_exhausted(2, TRIGGERS) and kyc_retries_exhausted(3, TRIGGERS)


@pytest.mark.parametrize(
    ("category", "reason", "priority"),
    [
        ("fraud_report", "handoff_topic", "urgent"),
        ("fraud_report", "backend_error", "urgent"),
        ("complaint", "handoff_topic", "high"),
        ("request_human", "handoff_topic", "normal"),
        ("close_account", "handoff_topic", "normal"),
        ("fees", "not_helpful", "normal"),
        ("transfer_status", "identity_check_failed", "high"),
        ("transfer_status", "overdue_transfer", "high"),
    ],
)
def test_priority_is_the_more_urgent_of_category_and_reason(category: str, reason: str, priority: str) -> None:
    assert CONFIG.priority(category, reason) == priority


def test_bad_config_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "handoff.yml"
    path.write_text("priority:\n  categories:\n    fraud_report: asap\n")
    with pytest.raises(HandoffConfigError, match=r"handoff.yml: priority.categories.fraud_report is 'asap'"):
        parse_config(path)
    path.write_text("triggers:\n  two_fallbacks: 2\n")
    with pytest.raises(HandoffConfigError, match="two_fallbacks"):
        parse_config(path)


def test_delivery_settings_come_from_config_with_environment_overrides() -> None:
    assert CONFIG.delivery.retry_window == timedelta(hours=24)
    settings = delivery_settings(
        CONFIG.delivery,
        {
            "HANDOFF_WEBHOOK_URL": "http://127.0.0.1:9/x",
            "HANDOFF_RETRY_WINDOW_SECONDS": "30",
            "HANDOFF_LEASE_SECONDS": "2",
        },
    )
    assert (settings.webhook_url, settings.retry_window, settings.lease_seconds) == (
        "http://127.0.0.1:9/x",
        timedelta(seconds=30),
        2.0,
    )
    assert settings.timeout_seconds == CONFIG.delivery.timeout_seconds


def test_secret_comes_from_the_environment_and_the_dev_default_warns(caplog: pytest.LogCaptureFixture) -> None:
    assert webhook_secret({"HANDOFF_WEBHOOK_SECRET": "s3cret"}) == b"s3cret"
    assert not caplog.records
    assert webhook_secret({}) == DEV_SECRET.encode()
    assert "HANDOFF_WEBHOOK_SECRET is not set" in caplog.text
