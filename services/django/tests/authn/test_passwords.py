"""Password hashing: argon2id through Django's hashers, salted, verified; unknown users fail."""

from __future__ import annotations

from argon2 import PasswordHasher
from usersapi.authn.hashers import Argon2idHasher
from usersapi.authn.passwords import password_hash, password_verify


def test_a_hash_verifies_its_password_and_nothing_else() -> None:
    encoded = password_hash("correct-horse")
    assert "correct-horse" not in encoded
    assert password_verify("correct-horse", encoded)
    assert not password_verify("correct-horsf", encoded)
    assert not password_verify("", encoded)


def test_hashes_are_salted_argon2id() -> None:
    first, second = password_hash("same-password"), password_hash("same-password")
    assert first != second
    assert first.startswith("argon2$argon2id$")


def test_no_user_never_verifies() -> None:
    assert not password_verify("anything", None)
    assert not password_verify("not-a-real-password-only-for-timing", None)


def test_the_service_hasher_writes_hashes_argon2_cffi_verifies() -> None:
    """The production hasher (not the tests' cheap one) writes a standard argon2id PHC string."""
    encoded = Argon2idHasher().encode("correct-horse", Argon2idHasher().salt())
    algorithm, phc = encoded.split("$", 1)
    assert algorithm == "argon2"
    assert PasswordHasher().verify("$" + phc, "correct-horse")
