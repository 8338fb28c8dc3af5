"""Charts are drawn for a 360 px phone: horizontal bars, and no text that would be drawn smaller
than 12 px once the drawing is shrunk to the page's width on such a phone."""

from __future__ import annotations

import re

from tanu.lib import charts

#: The page's width on a 360 px phone: the screen less the page's padding (12 px each side).
PHONE_CONTENT_WIDTH = 360 - 2 * 12


def _viewbox_width(svg: str) -> float:
    match = re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg)
    assert match, svg[:200]
    return float(match.group(1))


def _font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]


def _smallest_text_on_a_phone(svg: str) -> float:
    scale = min(1.0, PHONE_CONTENT_WIDTH / _viewbox_width(svg))
    return min(_font_sizes(svg)) * scale


def test_the_published_figures_chart_keeps_its_text_at_12_px_on_a_phone() -> None:
    svg = charts.published_bar_chart(
        "by_region",
        "Screenings by region",
        [("Алматы", 120), ("Мангистауская область", 35), ("Абайская область", "<5")],
    )
    assert _viewbox_width(svg) == 360
    assert _smallest_text_on_a_phone(svg) >= 12


def test_the_published_figures_chart_draws_horizontal_bars_under_their_labels() -> None:
    svg = charts.published_bar_chart("by_region", "T", [("Алматы", 120), ("Актау", 60)])
    bars = re.findall(
        r'<rect x="0" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#0b5394"', svg
    )
    assert len(bars) == 2
    for _y, width, height in bars:
        assert float(width) > float(height)  # longer than high: the bar lies along the text
    assert float(bars[0][1]) == 2 * float(bars[1][1])  # length is proportional to the figure
    assert "Алматы" in svg and ">120<" in svg and ">60<" in svg


def test_a_standalone_chart_file_still_says_its_title() -> None:
    svg = charts.published_bar_chart(
        "by_region", "Screenings by region", [("A", 10)], standalone=True
    )
    assert svg.startswith("<?xml")
    assert ">Screenings by region</text>" in svg
    assert _smallest_text_on_a_phone(svg) >= 12


def test_the_training_chart_keeps_its_text_at_12_px_on_a_phone() -> None:
    svg = charts.bar_chart(
        "Mean scores by seminar",
        ["Pre-test", "Post-test", "Retest"],
        [charts.Group("Алматы 03.03.2026", [55, 85, None], note="gain 0.67")],
    )
    assert _viewbox_width(svg) == 360
    assert _smallest_text_on_a_phone(svg) >= 12
    empty = charts.bar_chart("T", ["A"], [], empty_text="No results yet.")
    assert _smallest_text_on_a_phone(empty) >= 12


def test_a_csv_download_ends_with_its_notes_after_an_empty_line() -> None:
    response = charts.csv_response("x.csv", ["a"], [[1]], notes=[["note", charts.ROUNDING_NOTE]])
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["a", "1"]
    assert lines[2] == ""
    assert lines[3].startswith("note,") and "rounded separately" in lines[3]
