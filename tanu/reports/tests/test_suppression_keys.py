"""The arithmetic the small-cell protection rests on: a cell key is the sum of its records' keys
(and subtracts like a count); the helpers that decide what is drawn and summarised."""

from __future__ import annotations

from tanu.reports import suppression
from tanu.reports.suppression import KEY_MODULUS, Count, cell_key, noise, publish, record_key


def test_the_cell_key_of_records_is_the_sum_of_their_record_keys() -> None:
    ids = [3, 17, 250, 9_999]

    summed = sum(record_key("case", pk) for pk in ids) % KEY_MODULUS

    assert cell_key("case", len(ids), sum(ids)) == summed
    assert all(cell_key("case", 1, pk) == record_key("case", pk) for pk in ids)
    assert Count.of("case", len(ids), sum(ids)).key == summed


def test_counts_subtract_back_to_the_group_they_came_from() -> None:
    group = Count.of("screening", 3, 3 + 8 + 40)
    other = Count.of("screening", 2, 11 + 12)

    assert (group + other) - other == group
    assert (group - group) == Count(0, 0)


def test_only_shown_numbers_are_drawn() -> None:
    assert suppression.numeric(15) == 15
    assert suppression.numeric(0) == 0
    assert suppression.numeric("<5") is None


def test_a_median_or_mean_needs_twice_the_threshold() -> None:
    assert suppression.enough_for_summary(10, limit=5)
    assert not suppression.enough_for_summary(9, limit=5)
    assert suppression.enough_for_summary(Count(10, 1), limit=5)
    assert not suppression.enough_for_summary(Count(9, 1), limit=5)
    assert suppression.enough_for_summary(6, limit=3)


def test_a_group_without_records_counts_zero_with_the_key_zero() -> None:
    # What the database gives for an empty group: COUNT 0 (or NULL) and SUM NULL.
    assert Count.of("case", 0, None) == Count(0, 0)
    assert Count.of("case", None, None) == Count(0, 0)
    assert suppression.publish(Count.of("case", None, None)) == 0


def test_the_small_label_names_the_threshold_in_force(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TANU_STATS_THRESHOLD = 5

    assert suppression.small_label() == "<5"
    assert suppression.small_label(3) == "<3"


def test_the_threshold_comes_from_the_setting_then_the_environment(
    settings,  # type: ignore[no-untyped-def]
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("TANU_STATS_THRESHOLD", "7")
    settings.TANU_STATS_THRESHOLD = 10
    assert suppression.threshold() == 10
    assert suppression.publish(Count(9, 1)) == "<10"

    del settings.TANU_STATS_THRESHOLD
    assert suppression.threshold() == 7
    monkeypatch.delenv("TANU_STATS_THRESHOLD")
    assert suppression.threshold() == 5
    settings.TANU_STATS_THRESHOLD = 1  # never below 2: a 1 would hide nothing
    assert suppression.threshold() == 2


def test_different_cells_get_different_noise() -> None:
    # One noise for every cell would let a differencing attack cancel it out.
    assert len({noise(key) for key in range(200)}) >= 4
    assert len({publish(Count(1000, key)) for key in range(200)}) >= 3


def test_published_figures_are_unbiased_on_average() -> None:
    # A count of 1,000 in many cells: the noise and the rounding to 5 must not push the
    # published figures up or down on average (rounding one step up would add 5 each time).
    figures = [publish(Count(1000, key)) for key in range(2000)]
    mean = sum(f for f in figures if isinstance(f, int)) / len(figures)
    assert abs(mean - 1000) < 1.5
