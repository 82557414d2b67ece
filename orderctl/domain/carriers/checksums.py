"""Check-digit algorithms used by carrier number formats.

The semantics follow jkeen/tracking_number_data's ``CHECKSUM_ALGORITHMS.md`` (MIT),
re-implemented here, because its published test numbers are what we verify
against. Every function takes the serial part and the check character as strings
and returns whether they agree; none of them raises on well-formed digit strings.
"""

from __future__ import annotations

from collections.abc import Sequence

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_ALNUM36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _char_value(ch: str) -> int:
    """Digit value; letters map to ``(ord - 3) % 10`` as UPS defines for 1Z numbers."""
    return int(ch) if ch.isdigit() else (ord(ch) - 3) % 10


def mod10(serial: str, check: str, *, evens: int = 1, odds: int = 1) -> bool:
    """Weighted mod 10: positions counted from the left, index 0 is "even".

    Used with (evens=3, odds=1) by USPS, Canada Post and SSCC-18, (1, 3) by FedEx
    Ground and (1, 2) by UPS and OnTrac. Note the products are summed as they
    are (no digit sum), unlike Luhn.
    """
    if not check.isdigit():
        return False
    total = 0
    for index, ch in enumerate(serial):
        total += _char_value(ch) * (odds if index % 2 else evens)
    expected = (10 - total % 10) % 10
    return expected == int(check)


def mod7(serial: str, check: str) -> bool:
    """DHL Express air waybill: the serial as an integer, modulo 7."""
    return check.isdigit() and serial.isdigit() and int(serial) % 7 == int(check)


def s10_check_digit(serial: str) -> int:
    """UPU S10 check digit of an 8-digit serial (weights 8,6,4,2,3,5,9,7, mod 11)."""
    total = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True))
    remainder = total % 11
    if remainder == 0:
        return 5
    if remainder == 1:
        return 0
    return 11 - remainder


def s10(serial: str, check: str) -> bool:
    """UPU S10: eight digits followed by their mod-11 check digit."""
    return len(serial) == 8 and check.isdigit() and s10_check_digit(serial) == int(check)


def weighted_mod(serial: str, check: str, weights: Sequence[int], mod1: int, mod2: int) -> bool:
    """``sum_product_with_weightings_and_modulo``: Σ dᵢ·wᵢ mod ``mod1`` mod ``mod2``.

    FedEx Express 12/34/ASTRA and Ground GSN use weights 3,1,7 (or 1,7,3) with 11, 10.
    """
    if not check.isdigit() or len(serial) != len(weights):
        return False
    total = sum(int(d) * w for d, w in zip(serial, weights, strict=True))
    return total % mod1 % mod2 == int(check)


def luhn(serial: str, check: str) -> bool:
    """Luhn (ISO/IEC 7812) over serial + check: Purolator, Old Dominion."""
    if not check.isdigit():
        return False
    total = 0
    for index, ch in enumerate(reversed(serial + check)):
        digit = int(ch)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def mod37_36(serial: str, check: str) -> bool:
    """ISO 7064 MOD 37,36 hybrid over 0-9A-Z, as printed on DPD parcel labels."""
    modulus = 36
    product = modulus
    for ch in serial:
        value = _ALNUM36.find(ch)
        if value < 0:
            return False
        product += value
        if product > modulus:
            product -= modulus
        product *= 2
        if product > modulus:
            product -= modulus + 1
    result = (modulus + 1) - product
    if result == modulus:
        result = 0
    return _ALNUM36[result] == check
