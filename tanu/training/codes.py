"""Short codes people type on a phone: test access codes, personal codes, certificate codes.

The alphabet leaves out letters and digits that are easily confused (0/O, 1/I/L): 31 symbols,
about 4.95 bits each. Lengths:

* a test's access code: 8 symbols (about 40 bits); it is shown in the room and typed at
  ``/t/``. Alone it lets nobody in, unless the trainer made the test anonymous (then nobody's
  name is linked to the answers): a participant also needs their personal code;
* a participant's personal code: 12 symbols (about 59 bits), printed on their slip;
* a certificate's verification code: 12 symbols (about 59 bits).

Codes are compared after :func:`normalise` (case, spaces and dashes do not matter).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEST_CODE_LENGTH = 8
PERSONAL_CODE_LENGTH = 12
CERTIFICATE_CODE_LENGTH = 12

_STRIP = re.compile(r"[\s\-_.]+")


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(raw: object) -> str:
    """Upper case without spaces and dashes; '' when the text cannot be a code at all."""
    if not isinstance(raw, str) or len(raw) > 64:
        return ""
    text = _STRIP.sub("", raw).upper()
    if not text or any(ch not in ALPHABET for ch in text):
        return ""
    return text


def grouped(code: str, size: int = 4) -> str:
    """``ABCDEFGHJKMN`` -> ``ABCD-EFGH-JKMN``, easier to read aloud and type."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))
