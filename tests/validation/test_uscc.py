"""USCC normalisation and the MOD 31-3 check character."""

from __future__ import annotations

import pytest

from lvqi_desktop.validation.uscc import check_character
from lvqi_desktop.validation.uscc import check_uscc
from lvqi_desktop.validation.uscc import normalise_uscc


@pytest.mark.parametrize("code", ["91110108551385082Q", "91110000600037341L"])
def test_published_codes_have_the_right_check_character(code: str) -> None:
    assert check_character(code[:17]) == code[17]


def test_local_code_passes_without_issues() -> None:
    first17 = "91141102MA0K12345"
    assert check_uscc(first17 + check_character(first17)) == []


@pytest.mark.parametrize("prefix", ["N2141102MF000000", "A1141102MF000000", "Y1141102MF000000"])
def test_codes_starting_with_a_n_or_y_are_accepted(prefix: str) -> None:
    first17 = prefix + "0"
    assert check_uscc(first17 + check_character(first17)) == []


def test_wrong_check_character_names_the_expected_one() -> None:
    first17 = "91141102MA0K12345"
    good = check_character(first17)
    bad = "0" if good != "0" else "1"
    issues = check_uscc(first17 + bad)
    assert len(issues) == 1 and issues[0].blocking
    assert f"校验位应为 {good}" in issues[0].message


@pytest.mark.parametrize("length", [17, 19])
def test_wrong_length_is_refused(length: int) -> None:
    issues = check_uscc("9" * length)
    assert issues[0].blocking and f"现在是{length}位" in issues[0].message


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_not_in_the_charset_are_named(letter: str) -> None:
    issues = check_uscc("91141102MA0K1234" + letter + "0")
    assert issues[0].blocking and letter in issues[0].message


def test_full_width_spaces_and_lower_case_are_normalised() -> None:
    assert normalise_uscc(" ９１１４ 1102ma0k-12345 ") == "91141102MA0K12345"


def test_code_from_outside_luliang_is_only_a_warning() -> None:
    first17 = "91110108551385082"
    issues = check_uscc(first17 + check_character(first17))
    assert len(issues) == 1 and not issues[0].blocking and "110108" in issues[0].message


def test_empty_code_asks_for_it() -> None:
    assert "请填写" in check_uscc("")[0].message
