"""The run's masker: every secret in each of its encodings, in text, values, bytes and logs."""

import base64
import logging
from urllib.parse import quote_plus

import pytest
from celery.signals import after_setup_logger, after_setup_task_logger

from apps.core.log_masking import RunSecretsFilter, masking_logs
from apps.executions.engine.masking import MASK, Masker
from tests.security.leaks import SECRET, encoded_forms


def b64(text: str, *, urlsafe: bool = False) -> str:
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    return encode(text.encode()).decode()


ENCODINGS = list(encoded_forms().items())


@pytest.fixture
def masker():
    masker = Masker()
    masker.add(SECRET, username="admin")
    return masker


@pytest.mark.parametrize(("_case", "encoded"), ENCODINGS)
def test_each_encoding_of_a_secret_is_masked_in_text(masker, _case, encoded):
    masked = masker.mask(f"before {encoded} after")

    assert masked == f"before {MASK} after"


@pytest.mark.parametrize(("_case", "encoded"), ENCODINGS)
def test_each_encoding_of_a_secret_is_masked_in_utf8_bytes(masker, _case, encoded):
    masked = masker.mask_bytes(b"\x00\xff " + encoded.encode() + b" \x89PNG")

    assert masked == b"\x00\xff " + MASK.encode() + b" \x89PNG"


def test_add_without_a_username_masks_the_secret_but_not_a_basic_auth_pair():
    masker = Masker()

    masker.add(SECRET)

    assert masker.mask(f"{SECRET} {b64(SECRET)}") == f"{MASK} {MASK}"
    assert masker.mask(b64(f"root:{SECRET}")) == b64(f"root:{SECRET}")


def test_values_shorter_than_four_characters_are_left_alone():
    masker = Masker()

    masker.add("abc")
    masker.add("")
    masker.add(None)
    masker.add("wxyz")

    assert masker.mask("abc wxyz YWJj") == f"abc {MASK} YWJj"
    assert masker.mask_bytes(b"abc wxyz") == b"abc " + MASK.encode()


def test_an_empty_masker_returns_values_unchanged():
    masker = Masker()
    value = {"a": [SECRET]}

    assert masker.mask(value) is value
    assert masker.mask_bytes(SECRET.encode()) == SECRET.encode()


def test_a_secret_containing_another_is_masked_whole():
    masker = Masker()
    masker.add("hunter2")
    masker.add("hunter2-long")

    assert masker.mask("x hunter2-long y hunter2") == f"x {MASK} y {MASK}"


def test_overlapping_secrets_leave_neither_in_clear():
    masker = Masker()
    masker.add("abcdef")
    masker.add("cdefgh")

    masked = masker.mask("abcdefgh and cdefghij")

    assert "abcdef" not in masked
    assert "cdefgh" not in masked
    assert masked == f"{MASK}gh and {MASK}ij"


def test_nested_values_and_keys_are_masked():
    masker = Masker()
    masker.add("hunter2")

    masked = masker.mask({"a": ["x hunter2 y", ("hunter2",)], "n": 3, "hunter2": True})

    assert masked == {"a": [f"x {MASK} y", [MASK]], "n": 3, MASK: True}


def test_adding_the_same_secret_twice_changes_nothing():
    masker = Masker()
    masker.add("hunter2")
    masker.add("hunter2")

    assert masker.mask("hunter2") == MASK


def record(message: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, message, args, exc_info)


def test_log_records_of_a_running_execution_are_masked(masker):
    try:
        raise ValueError(f"refused {quote_plus(SECRET)}")
    except ValueError as exc:
        failure = (ValueError, exc, exc.__traceback__)
    line = record(
        "HTTP Request: GET %s %r", f"/x?pw={quote_plus(SECRET)}", SECRET, exc_info=failure
    )

    with masking_logs(masker):
        kept = RunSecretsFilter().filter(line)

    assert kept is True
    assert line.getMessage() == f"HTTP Request: GET /x?pw={MASK} '{MASK}'"
    assert quote_plus(SECRET) not in line.exc_text
    assert f"ValueError: refused {MASK}" in line.exc_text


def test_log_records_outside_a_run_are_left_as_they_are(masker):
    with masking_logs(masker):
        pass
    line = record("password %s", SECRET)

    RunSecretsFilter().filter(line)

    assert line.getMessage() == f"password {SECRET}"


def test_the_filter_is_on_the_root_handlers_and_http_clients_log_no_requests():
    root_handlers = logging.getLogger().handlers

    configured = [h for h in root_handlers if type(h) is logging.StreamHandler]

    assert configured
    assert all(any(isinstance(f, RunSecretsFilter) for f in h.filters) for h in configured)
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING


@pytest.mark.parametrize("signal", [after_setup_logger, after_setup_task_logger])
def test_the_handlers_a_celery_worker_sets_up_get_the_filter(signal):
    logger = logging.getLogger(f"tests.worker.{signal.name}")
    handler = logging.StreamHandler()
    logger.addHandler(handler)

    try:
        signal.send(sender=None, logger=logger, loglevel=logging.INFO, logfile=None)
    finally:
        logger.removeHandler(handler)

    # Once (the log context filter is added beside it).
    assert [type(f) for f in handler.filters].count(RunSecretsFilter) == 1
