"""Small-cell protection: what is shown, and that totals and differences give small counts
away neither exactly nor by simple subtraction."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from tanu.reports.suppression import (
    KEY_MODULUS,
    Count,
    noise,
    publish,
    record_key,
    total,
)

keys = st.integers(min_value=0, max_value=KEY_MODULUS - 1)


def test_zero_is_shown_as_zero() -> None:
    assert publish(Count(0, 12345)) == 0


@given(n=st.integers(min_value=1, max_value=4), key=keys)
def test_counts_from_one_to_four_read_less_than_five(n: int, key: int) -> None:
    assert publish(Count(n, key)) == "<5"


@given(n=st.integers(min_value=5, max_value=10**7), key=keys)
def test_figures_of_five_or_more_are_multiples_of_five_never_shown_as_small(
    n: int, key: int
) -> None:
    shown = publish(Count(n, key))
    assert isinstance(shown, int)
    assert shown >= 5
    assert shown % 5 == 0


def test_the_same_group_of_records_always_gets_the_same_figure() -> None:
    ids = range(100, 137)
    once = total(Count(1, record_key("screening", pk)) for pk in ids)
    again = total(Count(1, record_key("screening", pk)) for pk in reversed(ids))
    assert once == again
    assert publish(once) == publish(again)


def test_cell_keys_add_up_like_counts() -> None:
    left = total(Count(1, record_key("case", pk)) for pk in range(1, 20))
    right = total(Count(1, record_key("case", pk)) for pk in range(20, 45))
    both = total(Count(1, record_key("case", pk)) for pk in range(1, 45))
    assert left + right == both


def test_record_keys_differ_between_sources() -> None:
    assert record_key("screening", 7) != record_key("case", 7)


def test_the_adjustment_is_usually_small_and_centred_but_has_no_fixed_bound() -> None:
    rng = random.Random(5)
    values = [noise(rng.randrange(KEY_MODULUS)) for _ in range(20_000)]
    share_small = sum(1 for v in values if abs(v) <= 2) / len(values)
    assert share_small > 0.8
    assert abs(sum(values) / len(values)) < 0.1
    # The tail goes on: an attacker can never rule out a large adjustment.
    assert max(abs(v) for v in values) >= 8


@given(
    hidden=st.integers(min_value=1, max_value=4),
    visible=st.lists(st.integers(min_value=5, max_value=5000), min_size=1, max_size=6),
    key_seed=st.integers(min_value=0, max_value=2**32),
)
def test_a_total_minus_the_visible_cells_never_gives_the_hidden_cell(
    hidden: int, visible: list[int], key_seed: int
) -> None:
    rng = random.Random(key_seed)
    cells = [Count(hidden, rng.randrange(KEY_MODULUS))] + [
        Count(n, rng.randrange(KEY_MODULUS)) for n in visible
    ]
    shown = [publish(c) for c in cells]
    assert shown[0] == "<5"
    row_total = publish(total(cells))
    assert isinstance(row_total, int)
    recovered = row_total - sum(v for v in shown[1:] if isinstance(v, int))
    assert recovered not in (1, 2, 3, 4)


@given(
    figures=st.lists(
        st.tuples(st.integers(min_value=0, max_value=10**6), keys), min_size=1, max_size=12
    ),
    coefficients=st.lists(st.integers(min_value=-3, max_value=3), min_size=12, max_size=12),
)
def test_no_sum_or_difference_of_published_figures_equals_a_count_below_five(
    figures: list[tuple[int, int]], coefficients: list[int]
) -> None:
    shown = [publish(Count(n, key)) for n, key in figures]
    combination = sum(
        c * v for c, v in zip(coefficients, shown, strict=False) if isinstance(v, int)
    )
    assert combination not in (1, 2, 3, 4, -1, -2, -3, -4)


def test_a_differencing_attack_across_two_filters_cannot_pin_the_hidden_count() -> None:
    """Region X: many screenings, of which 1 to 4 are of men. The attacker subtracts what the
    "women" filter shows from what the unfiltered row shows. Across many regions and every
    hidden count, the result is a multiple of 5 and tells the hidden count no better than a
    guess: each difference is seen for several hidden counts."""
    rng = random.Random(11)
    seen: dict[int, Counter[int]] = {}
    for _ in range(2000):
        women = rng.randint(5, 150)
        men = rng.randint(1, 4)
        women_ids = rng.sample(range(1, 10**6), women)
        men_ids = rng.sample(range(10**6, 2 * 10**6), men)
        everyone = total(Count(1, record_key("screening", pk)) for pk in women_ids + men_ids)
        women_only = total(Count(1, record_key("screening", pk)) for pk in women_ids)
        unfiltered, filtered = publish(everyone), publish(women_only)
        assert isinstance(unfiltered, int)
        assert isinstance(filtered, int)
        difference = unfiltered - filtered
        assert difference % 5 == 0
        seen.setdefault(difference, Counter())[men] += 1
    # The differences that occur often are each consistent with every hidden count 1 to 4.
    common = [d for d, hidden in seen.items() if sum(hidden.values()) >= 100]
    assert common
    for difference in common:
        assert set(seen[difference]) == {1, 2, 3, 4}, (difference, seen[difference])


def test_a_higher_threshold_is_named_in_the_label_of_the_counts_below_it() -> None:
    # Views with a higher threshold (the training figures, a sparse report) say "<10", not
    # "<5": a reader must not take a hidden 7 for a count below five.
    assert publish(Count(7, 4242), limit=10) == "<10"
    shown = publish(Count(12, 4242), limit=10)
    assert isinstance(shown, int) and shown >= 10 and shown % 5 == 0


def test_a_figure_moves_with_its_cells_adjustment() -> None:
    # The figure shown is the count plus the cell's own adjustment, rounded to five: a cell
    # whose adjustment is at least +3 is shown above the count, one of -3 or less below it.
    rng = random.Random(11)
    keys_up: list[int] = []
    keys_down: list[int] = []
    while len(keys_up) < 20 or len(keys_down) < 20:
        key = rng.randrange(KEY_MODULUS)
        adjustment = noise(key)
        if adjustment >= 3:
            keys_up.append(key)
        elif adjustment <= -3:
            keys_down.append(key)
    assert all(publish(Count(1000, key)) > 1000 for key in keys_up)
    assert all(publish(Count(1000, key)) < 1000 for key in keys_down)
