"""Field encryption: tokens, tampering, unknown keys, rotation and the keyring."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from tanu.lib import crypto
from tanu.lib.crypto import DecryptionError, decrypt, decrypt_bytes, encrypt

CONTEXT = "cases.Person.family_name"


def key(byte: int) -> str:
    return base64.urlsafe_b64encode(bytes([byte]) * 32).decode()


def use_keys(monkeypatch: pytest.MonkeyPatch, *kids: str, active: str | None = None) -> None:
    """Configure TANU_FIELD_KEYS with one key per kid (key bytes derived from the kid)."""
    spec = ",".join(f"{kid}:{key(sum(kid.encode()) % 256)}" for kid in kids)
    monkeypatch.setenv("TANU_FIELD_KEYS", spec)
    if active:
        monkeypatch.setenv("TANU_FIELD_ACTIVE_KEY", active)
    else:
        monkeypatch.delenv("TANU_FIELD_ACTIVE_KEY", raising=False)
    crypto.reset_keyring()


def replace_body_char(token: str) -> str:
    head, body = token.rsplit(".", 1)
    middle = len(body) // 2
    swapped = "A" if body[middle] != "A" else "B"
    return f"{head}.{body[:middle]}{swapped}{body[middle + 1 :]}"


# Round trips


@pytest.mark.parametrize(
    "plaintext",
    ["Айгерим", "Канарьева Әлия Нұрсұлтанқызы", "Aigerim", "N12345678", "🙂 ünïcödé", "x" * 5000],
)
def test_text_survives_a_round_trip(plaintext: str) -> None:
    assert decrypt(encrypt(plaintext, context=CONTEXT), context=CONTEXT) == plaintext


def test_bytes_survive_a_round_trip_including_trailing_zeros_and_padding_marks() -> None:
    for data in [b"", b"\x00", b"\x80", b"abc\x80\x00\x00", bytes(range(256))]:
        assert decrypt_bytes(encrypt(data, context=CONTEXT), context=CONTEXT) == data


def test_a_token_is_compact_ascii_with_version_and_key_id() -> None:
    token = encrypt("Айгерим", context=CONTEXT)
    assert re.fullmatch(r"v2\.dev\.[A-Za-z0-9_-]+", token)
    assert crypto.key_id_of(token) == "dev"


def test_encrypting_the_same_value_twice_gives_different_tokens() -> None:
    assert encrypt("Айгерим", context=CONTEXT) != encrypt("Айгерим", context=CONTEXT)


def test_a_token_hides_the_length_of_a_short_name() -> None:
    short, longer = encrypt("Ан", context=CONTEXT), encrypt("Aigerim K.", context=CONTEXT)
    assert len(short) == len(longer)


def test_an_empty_context_is_refused() -> None:
    with pytest.raises(ValueError, match="context"):
        encrypt("Айгерим", context="")


# Failures


def test_a_ciphertext_moved_to_another_field_does_not_decrypt() -> None:
    token = encrypt("Айгерим", context="cases.Person.given_name")
    with pytest.raises(DecryptionError, match="another field"):
        decrypt(token, context="cases.Person.family_name")


def test_an_altered_ciphertext_does_not_decrypt() -> None:
    token = encrypt("Айгерим", context=CONTEXT)
    with pytest.raises(DecryptionError):
        decrypt(replace_body_char(token), context=CONTEXT)


def test_a_truncated_ciphertext_does_not_decrypt() -> None:
    token = encrypt("Айгерим", context=CONTEXT)
    with pytest.raises(DecryptionError):
        decrypt(token[:-4], context=CONTEXT)


def test_a_token_relabelled_with_another_key_id_does_not_decrypt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_keys(monkeypatch, "k1", "k2", active="k2")
    token = encrypt("Айгерим", context=CONTEXT)
    with pytest.raises(DecryptionError):
        decrypt(token.replace("v2.k2.", "v2.k1."), context=CONTEXT)


def test_a_token_of_an_unknown_key_does_not_decrypt_and_names_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_keys(monkeypatch, "k1")
    token = encrypt("Айгерим", context=CONTEXT)
    use_keys(monkeypatch, "k2")
    with pytest.raises(DecryptionError, match="'k1'"):
        decrypt(token, context=CONTEXT)


def test_a_development_token_does_not_decrypt_once_real_keys_are_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = encrypt("Айгерим", context=CONTEXT)
    use_keys(monkeypatch, "k1")
    with pytest.raises(DecryptionError, match="Unknown key"):
        decrypt(token, context=CONTEXT)


@pytest.mark.parametrize(
    "token", ["", "Айгерим", "v1.dev", "v1.dev.", "v2.dev.AAAA", "v1.d.e.v.AAAA", "v1.dev.!!!!"]
)
def test_something_that_is_not_a_token_raises_a_decryption_error(token: str) -> None:
    with pytest.raises(DecryptionError):
        decrypt(token, context=CONTEXT)


def test_a_decryption_error_never_shows_the_plaintext() -> None:
    token = encrypt("Канарьева", context=CONTEXT)
    with pytest.raises(DecryptionError) as info:
        decrypt(token, context="cases.Person.given_name")
    assert "Канарьева" not in str(info.value)


# Rotation


def test_rotation_changes_the_key_id_and_keeps_the_plaintext(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_keys(monkeypatch, "k1")
    old = encrypt("Айгерим", context=CONTEXT)
    use_keys(monkeypatch, "k1", "k2")
    assert crypto.needs_rotation(old)

    new = crypto.rotate_value(old, CONTEXT)

    assert crypto.key_id_of(new) == "k2"
    assert not crypto.needs_rotation(new)
    assert decrypt(new, context=CONTEXT) == "Айгерим"
    assert decrypt(old, context=CONTEXT) == "Айгерим"


def test_rotating_a_value_already_under_the_active_key_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_keys(monkeypatch, "k1", "k2")
    token = encrypt("Айгерим", context=CONTEXT)
    assert crypto.rotate_value(token, CONTEXT) == token


def test_rotation_refuses_a_value_of_another_field(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keys(monkeypatch, "k1")
    token = encrypt("Айгерим", context="cases.Person.given_name")
    use_keys(monkeypatch, "k1", "k2")
    with pytest.raises(DecryptionError):
        crypto.rotate_value(token, CONTEXT)


# The keyring


def test_without_keys_tests_use_the_development_key() -> None:
    ring = crypto.get_keyring()
    assert ring.is_development
    assert list(ring.keys) == ["dev"]


def test_keys_from_the_environment_make_the_last_one_active(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TANU_FIELD_KEYS", f" 2025a:{key(1)} , 2026a:{key(2)} ")
    ring = crypto.get_keyring()
    assert list(ring.keys) == ["2025a", "2026a"]
    assert ring.active == "2026a"
    assert ring.keys["2025a"] == bytes([1]) * 32
    assert ring.source == "env"


def test_the_active_key_can_be_named(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keys(monkeypatch, "k1", "k2", active="k1")
    assert crypto.key_id_of(encrypt("x", context=CONTEXT)) == "k1"


def test_keys_in_standard_base64_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    standard = base64.b64encode(bytes([0xFB, 0xFF]) * 16).decode()
    assert "+" in standard or "/" in standard
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{standard}")
    assert crypto.get_keyring().keys["k1"] == bytes([0xFB, 0xFF]) * 16


def test_the_repr_of_a_keyring_shows_no_key_material(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keys(monkeypatch, "k1")
    ring = crypto.get_keyring()
    assert repr(ring) == "Keyring(kids=['k1'], active='k1', source='env')"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (f"k1{key(1)}", "kid:BASE64KEY"),
        ("k1:not*base64", "32 bytes|base64"),
        (f"k1:{base64.urlsafe_b64encode(b'short').decode()}", "32 bytes"),
        (f"k.1:{key(1)}", "letters, digits"),
        (f"dev:{key(1)}", "reserved"),
        (f"k1:{key(1)},k1:{key(2)}", "twice"),
        (",", "empty"),
    ],
)
def test_a_malformed_key_list_is_refused(
    monkeypatch: pytest.MonkeyPatch, spec: str, message: str
) -> None:
    monkeypatch.setenv("TANU_FIELD_KEYS", spec)
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.load_keyring()


def test_an_active_key_that_is_not_in_the_ring_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    monkeypatch.setenv("TANU_FIELD_ACTIVE_KEY", "k9")
    with pytest.raises(ImproperlyConfigured, match="k9"):
        crypto.load_keyring()


def write_key_file(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "field-keys.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_keys_can_come_from_a_key_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_key_file(tmp_path, {"active": "k1", "keys": {"k1": key(1), "k2": key(2)}})
    monkeypatch.setenv("TANU_FIELD_KEY_FILE", str(path))
    ring = crypto.get_keyring()
    assert list(ring.keys) == ["k1", "k2"]
    assert ring.active == "k1"
    assert ring.source == "file"
    token = encrypt("Айгерим", context=CONTEXT)
    assert crypto.key_id_of(token) == "k1"
    assert decrypt(token, context=CONTEXT) == "Айгерим"


def test_a_key_file_without_active_uses_its_last_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_key_file(tmp_path, {"keys": {"k1": key(1), "k2": key(2)}})
    monkeypatch.setenv("TANU_FIELD_KEY_FILE", str(path))
    assert crypto.get_keyring().active == "k2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["k1"]', "must hold"),
        ('{"keys": {"k1": 7}}', "base64 string"),
        (f'{{"active": "k2", "keys": {{"k1": "{key(1)}"}}}}', "not in the keyring"),
    ],
)
def test_a_malformed_key_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "keys.json"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("TANU_FIELD_KEY_FILE", str(path))
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.load_keyring()


def test_a_missing_key_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TANU_FIELD_KEY_FILE", str(tmp_path / "nowhere.json"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        crypto.load_keyring()


def test_keys_from_both_the_environment_and_a_file_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_key_file(tmp_path, {"keys": {"k1": key(1)}})
    monkeypatch.setenv("TANU_FIELD_KEY_FILE", str(path))
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        crypto.load_keyring()


def test_reset_keyring_makes_the_next_use_read_the_environment_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert crypto.get_keyring().active == "dev"
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    assert crypto.get_keyring().active == "dev"
    crypto.reset_keyring()
    assert crypto.get_keyring().active == "k1"


def test_a_generated_key_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{crypto.generate_key()}")
    assert len(crypto.get_keyring().keys["k1"]) == 32


# Production safety


@pytest.fixture
def production(settings: Settings) -> None:
    settings.DEBUG = False
    settings.DEMO = False
    settings.TESTING = False


@pytest.mark.usefixtures("production")
def test_production_refuses_to_encrypt_without_keys() -> None:
    with pytest.raises(ImproperlyConfigured, match="No field encryption keys"):
        encrypt("Айгерим", context=CONTEXT)


@pytest.mark.usefixtures("production")
def test_the_deploy_check_reports_missing_keys_in_production() -> None:
    assert [error.id for error in crypto.check_field_keys(None)] == ["tanu.E010"]


def test_the_deploy_check_reports_the_development_key() -> None:
    assert [error.id for error in crypto.check_field_keys(None)] == ["tanu.E010"]


@pytest.mark.usefixtures("production")
def test_the_deploy_check_reports_malformed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    almost = base64.urlsafe_b64encode(bytes([7]) * 31).decode()
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{almost}")
    [error] = crypto.check_field_keys(None)
    assert error.id == "tanu.E011"
    assert "32 bytes" in error.msg
    assert almost not in error.msg


@pytest.mark.usefixtures("production")
def test_the_deploy_check_passes_with_real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    assert crypto.check_field_keys(None) == []


# Row binding (v2) and legacy v1 tokens


def test_a_token_bound_to_one_row_does_not_decrypt_for_another_row_or_no_row() -> None:
    token = encrypt("Айгерим", context=CONTEXT, row=12)
    assert decrypt(token, context=CONTEXT, row=12) == "Айгерим"
    assert decrypt(token, context=CONTEXT, row="12") == "Айгерим"
    for other in (13, 1, None, "12 "):
        with pytest.raises(DecryptionError):
            decrypt(token, context=CONTEXT, row=other)


def test_a_v2_token_relabelled_as_v1_does_not_decrypt() -> None:
    token = encrypt("Айгерим", context=CONTEXT)
    with pytest.raises(DecryptionError):
        decrypt("v1." + token.removeprefix("v2."), context=CONTEXT)


def test_a_legacy_v1_token_decrypts_in_its_context_and_needs_rotation() -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ring = crypto.get_keyring()
    nonce = b"\x01" * 12
    sealed = AESGCM(ring.keys["dev"]).encrypt(nonce, crypto._pad(b"Aigerim"), CONTEXT.encode())
    legacy = "v1.dev." + crypto._b64encode(nonce + sealed)
    assert decrypt(legacy, context=CONTEXT, row=5) == "Aigerim"
    assert crypto.version_of(legacy) == "v1"
    assert crypto.needs_rotation(legacy)
    upgraded = crypto.rotate_value(legacy, CONTEXT, row=5)
    assert crypto.version_of(upgraded) == "v2"
    assert decrypt(upgraded, context=CONTEXT, row=5) == "Aigerim"
    with pytest.raises(DecryptionError):
        decrypt(upgraded, context=CONTEXT, row=6)
    with pytest.raises(DecryptionError):
        decrypt(legacy, context="cases.Person.given_name")
