"""Value parsers: exact results for the forms exporters write, exact messages for the rest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from orderctl.domain.field_parsers import (
    ISO_4217,
    amount_currency,
    check_order_id,
    minor_units,
    parse_amount,
    parse_attributes,
    parse_currency,
    parse_date,
    parse_platform,
    parse_quantity,
    parse_url,
)

KNOWN = ("aliexpress", "amazon", "ebay", "temu")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-21", date(2026, 2, 21)),
        ("  2026-02-21  ", date(2026, 2, 21)),
        ("2026-02-21T10:00:00", date(2026, 2, 21)),
        ("2026-02-21T23:30:00-05:00", date(2026, 2, 21)),  # the date as written, not UTC
        ("2026-02-21 08:00:00Z", date(2026, 2, 21)),
        ("Feb 21, 2026", date(2026, 2, 21)),
        ("February 21 2026", date(2026, 2, 21)),
        ("Sept 3, 2025", date(2025, 9, 3)),
        ("21 Feb 2026", date(2026, 2, 21)),
        ("21 february, 2026", date(2026, 2, 21)),
        ("2026/02/21", date(2026, 2, 21)),
        ("2026/2/1", date(2026, 2, 1)),
        ("21.02.2026", date(2026, 2, 21)),
        ("1.2.2026", date(2026, 2, 1)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("02/03/2026", '"02/03/2026" is ambiguous (day/month order); write it as YYYY-MM-DD'),
        ("21/02/2026", '"21/02/2026" is ambiguous (day/month order); write it as YYYY-MM-DD'),
        ("02-03-2026", '"02-03-2026" is ambiguous (day/month order); write it as YYYY-MM-DD'),
        ("2/3/26", '"2/3/26" is ambiguous (day/month order); write it as YYYY-MM-DD'),
        ("2026-02-30", '"2026-02-30" is not a valid date (no such day)'),
        ("Feb 30, 2026", '"Feb 30, 2026" is not a valid date (no such day)'),
        ("Fob 3, 2026", '"Fob 3, 2026" is not a valid date (unknown month "Fob")'),
        ("2026-02-21Tnoon", '"2026-02-21Tnoon" is not a valid date or time'),
        ("yesterday", '"yesterday" is not a valid date (use YYYY-MM-DD)'),
        ("", "empty date"),
        ("２０２６-02-21", '"２０２６-02-21" is not a valid date (use YYYY-MM-DD)'),
    ],
)
def test_parse_date_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("12.34", "12.34", None),
        ("12", "12", None),
        ("0", "0", None),
        ("0,5", "0.5", None),
        ("US $120.95", "120.95", "USD"),
        ("US$120.95", "120.95", "USD"),
        ("129,46zł", "129.46", "PLN"),
        ("129,46 zł", "129.46", "PLN"),
        ("€12,34", "12.34", "EUR"),
        ("1.234,56 €", "1234.56", "EUR"),
        ("1\u00a0234,56\u00a0€", "1234.56", "EUR"),
        ("1,234.56", "1234.56", None),
        ("1,234", "1234", None),
        ("12.345 USD", "12345", "USD"),  # one mark + 3 digits is grouping (German "12.345")
        ("1.234.567,89", "1234567.89", None),
        ("1'234.50 CHF", "1234.50", "CHF"),
        ("£7.99", "7.99", "GBP"),
        ("R$ 50,00", "50.00", "BRL"),
        ("C$ 10", "10", "CAD"),
        ("A$ 10", "10", "AUD"),
        ("12.34 USD", "12.34", "USD"),
        ("usd 12.34", "12.34", "USD"),
        ("+5", "5", None),
        ("150 ₽", "150", "RUB"),
        ("150 руб.", "150", "RUB"),
        ("99 ₴", "99", "UAH"),
        ("₺45,90", "45.90", "TRY"),
        ("250 Kč", "250", "CZK"),
        ("₩12000", "12000", "KRW"),
        ("¥100", "100", None),
        ("$5", "5", None),
        ("12.345 KWD", "12.345", "KWD"),
        ("1,234 KWD", "1.234", "KWD"),  # 3-decimal currency: one mark + 3 digits is decimals
    ],
)
def test_parse_amount_accepts(text: str, amount: str, currency: str | None) -> None:
    value, code = parse_amount(text)
    assert (value, code) == (Decimal(amount), currency)
    assert str(value) == amount  # no rounding, no exponent


def test_parse_amount_explicit_currency_wins_and_resolves_ambiguous_symbols() -> None:
    assert parse_amount("¥100", "JPY") == (Decimal("100"), "JPY")
    assert parse_amount("¥100", "cny") == (Decimal("100"), "CNY")
    assert parse_amount("US $1.50", "EUR") == (Decimal("1.50"), "EUR")
    assert parse_amount("12.345", "BHD") == (Decimal("12.345"), "BHD")
    assert amount_currency("US $1.50") == "USD"
    assert amount_currency("$1.50") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12,3,4", '"12,3,4" is not a valid amount (check the separators)'),
        ("1,2.5", '"1,2.5" is not a valid amount (check the separators)'),
        ("1.234.56", '"1.234.56" is not a valid amount (check the separators)'),
        ("-5", '"-5" is negative; amounts must be zero or more'),
        ("US $-1.00", '"US $-1.00" is negative; amounts must be zero or more'),
        ("(5.00)", '"(5.00)" is negative; amounts must be zero or more'),
        ("−5", '"−5" is negative; amounts must be zero or more'),
        ("NaN", '"NaN" is not a valid amount'),
        ("Infinity", '"Infinity" is not a valid amount'),
        ("1e5", '"1e5" is not a valid amount'),
        ("1.2345", '"1.2345" has too many decimals'),
        ("12.3456 USD", '"12.3456 USD" has too many decimals'),
        ("0.001", '"0.001" has too many decimals'),
        ("12 apples", '"12 apples" is not a valid amount (unknown currency "apples")'),
        ("€12 EUR", '"€12 EUR" is not a valid amount (text on both sides of the number)'),
        ("free", '"free" is not a valid amount'),
        ("", "empty amount"),
        ("١٢", '"١٢" is not a valid amount'),
        ("1000000000000", '"1000000000000" is too large to be a price'),
    ],
)
def test_parse_amount_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_amount(text)
    assert str(info.value) == message


def test_parse_amount_refuses_unknown_explicit_currency() -> None:
    with pytest.raises(ValueError, match=r'"XYZ" is not an ISO 4217 currency code'):
        parse_amount("12", "XYZ")


def test_parse_currency() -> None:
    assert parse_currency(" usd ") == "USD"
    assert parse_currency("PLN") == "PLN"
    assert {"USD", "EUR", "PLN", "BRL", "CAD", "AUD", "RUB", "UAH", "TRY", "CZK"} <= ISO_4217
    assert not {"XXX", "XTS", "HRK", "XAU"} & ISO_4217
    for bad in ("$", "US", "EURO", "HRK", ""):
        with pytest.raises(ValueError, match="is not an ISO 4217 currency code"):
            parse_currency(bad)


def test_minor_units() -> None:
    assert (minor_units("JPY"), minor_units("KWD"), minor_units("EUR"), minor_units(None)) == (
        0,
        3,
        2,
        2,
    )


@pytest.mark.parametrize(("text", "expected"), [("1", 1), (" 12 ", 12), ("100000", 100000)])
def test_parse_quantity_accepts(text: str, expected: int) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text", ["0", "100001", "-1", "1.5", "two", "", "1e3", "２"])
def test_parse_quantity_refuses(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_quantity(text)
    assert str(info.value) == (
        f'"{text.strip()}" is not a valid quantity (use a whole number from 1 to 100000)'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.aliexpress.com/item/1005006543210987.html", None),
        ("http://example.com", None),
        ("HTTPS://EXAMPLE.COM/x", None),
        (
            "//www.aliexpress.com/item/1005006543210987.html",
            "https://www.aliexpress.com/item/1005006543210987.html",
        ),
        ("  https://a.example/p?q=1#f  ", "https://a.example/p?q=1#f"),
    ],
)
def test_parse_url_accepts(text: str, expected: str | None) -> None:
    assert parse_url(text) == (expected or text.strip())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("javascript:alert(1)", "it must start with https:// or http://"),
        ("www.aliexpress.com/item/1.html", "it must start with https:// or http://"),
        ("ftp://example.com/file", "it must start with https:// or http://"),
        ("https://exa mple.com", "it contains spaces or control characters"),
        ("https://example.com/\x07", "it contains spaces or control characters"),
        ("https:///path", "no host name"),
        ("http://[::1", "is not a valid URL"),
        ("http://example.com:99999/", "is not a valid URL"),
        ("", "empty URL"),
    ],
)
def test_parse_url_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("/", "/")):
        parse_url(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AliExpress", "aliexpress"),
        ("ali", "aliexpress"),
        (" Ali Express ", "aliexpress"),
        ("www.aliexpress.com", "aliexpress"),
        ("aliexpress.ru", "aliexpress"),
        ("eBay", "ebay"),
        ("amazon.co.uk", "amazon"),
        ("AMZN", "amazon"),
        ("Temu", "temu"),
    ],
)
def test_parse_platform_accepts(text: str, expected: str) -> None:
    assert parse_platform(text, KNOWN) == expected


def test_parse_platform_refuses_unknown_and_lists_known() -> None:
    with pytest.raises(ValueError) as info:
        parse_platform("Wallapop", KNOWN)
    assert str(info.value) == 'unknown platform "Wallapop" (known: aliexpress, amazon, ebay, temu)'


@pytest.mark.parametrize(
    ("order_id", "platform"),
    [
        ("8208460785972844", "aliexpress"),
        ("30025745255804", "aliexpress"),
        ("27-11068-77489", "ebay"),
        ("123-1234567-1234567", "amazon"),
        ("D01-1234567-1234567", "amazon"),
        ("PO-162-21726517842553634", "temu"),
        ("anything", "etsy"),
        ("anything", "other"),
    ],
)
def test_check_order_id_accepts(order_id: str, platform: str) -> None:
    assert check_order_id(order_id, platform) is None


@pytest.mark.parametrize(
    ("order_id", "platform", "message"),
    [
        (
            "12345",
            "aliexpress",
            'order id "12345" does not match AliExpress order ids (12 to 20 digits)',
        ),
        (
            "8208460785972844",
            "ebay",
            'order id "8208460785972844" does not match eBay order ids (like 27-11068-77489)',
        ),
        (
            "123-123-123",
            "amazon",
            'order id "123-123-123" does not match Amazon order ids (like 123-1234567-1234567)',
        ),
        (
            "PO-1-2",
            "temu",
            'order id "PO-1-2" does not match Temu order ids (like PO-162-21726517842553634)',
        ),
    ],
)
def test_check_order_id_warns(order_id: str, platform: str, message: str) -> None:
    assert check_order_id(order_id, platform) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Color: 6L, Ships From: GERMANY", {"Color": "6L", "Ships From": "GERMANY"}),
        ("Color:Red;Size:XL", {"Color": "Red", "Size": "XL"}),
        ("Color: Black, White, Size: XL", {"Color": "Black, White", "Size": "XL"}),
        ("Plug: EU: 220V", {"Plug": "EU: 220V"}),
        ("6L", {"Option": "6L"}),
        ("Color: Red, Color: Blue", {"Color": "Red, Blue"}),
        ("", {}),
        (" , ; ", {}),
    ],
)
def test_parse_attributes(text: str, expected: dict[str, str]) -> None:
    assert parse_attributes(text) == expected
