"""Results by seminar, region and role; item analysis on a small fixture worked by hand; the
indicators missed most; charts as SVG with text labels and as CSV; constant query counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.training import actions, results
from tanu.training.exercises import get_scenario
from tanu.training.models import (
    Attempt,
    AttemptItem,
    KnowledgeTest,
    Participant,
    Question,
    Seminar,
)
from tanu.training.tests.helpers import add_participant, make_seminar, signed_in
from tanu.training.tests.test_scoring import FIXTURE

pytestmark = pytest.mark.django_db


def _test(seminar: Seminar, trainer: object, kind: str) -> KnowledgeTest:
    return KnowledgeTest.objects.create(
        seminar=seminar,
        kind=kind,
        code=f"{kind.upper():A<8}"[:8] + str(seminar.pk),
        created_by=trainer,
    )


def _attempt(test: KnowledgeTest, participant: Participant, score: float) -> Attempt:
    now = timezone.now()
    return Attempt.objects.create(
        test=test,
        participant=participant,
        deadline=now + timedelta(minutes=20),
        submitted_at=now,
        score=score,
    )


def test_item_statistics_from_the_database_match_the_hand_computed_values(
    personas: Personas,
) -> None:
    seminar = make_seminar(personas.trainer)
    test = _test(seminar, personas.trainer, "post")
    question = Question.objects.create(kind="true_false", text_kk="a", text_ru="b", text_en="Q")
    for number, total, score in FIXTURE:
        participant = add_participant(seminar, personas.trainer, name=f"P{number}")
        attempt = _attempt(test, participant, total)
        AttemptItem.objects.create(
            attempt=attempt, question=question, position=1, order=[], score=score
        )
    [row] = results.items(Seminar.objects.all(), {})
    assert row.question == question
    assert row.stats.n == 10
    assert row.stats.facility == pytest.approx(0.6)
    assert row.stats.discrimination == pytest.approx(2 / 3)
    assert not row.stats.doubtful
    page = signed_in("trainer").get("/training/results/items/").content.decode()
    assert "60%" in page and "0.67" in page
    rows = list(
        csv.reader(
            io.StringIO(signed_in("trainer").get("/training/results/items.csv").content.decode())
        )
    )
    assert rows[0][:4] == ["question", "n", "facility", "discrimination"]
    assert rows[1][:4] == [str(question.pk), "10", "0.6", "0.6667"]


def test_means_and_normalised_gain_by_seminar_region_and_role(personas: Personas) -> None:
    almaty = make_seminar(personas.trainer, city="Almaty")
    pre, post, retest = (_test(almaty, personas.trainer, k) for k in ("pre", "post", "retest"))
    police = add_participant(almaty, personas.trainer, name="A", role="administrative_police")
    rehab = add_participant(almaty, personas.trainer, name="B", role="rehab_centre")
    for participant, scores in ((police, (50, 80, 60)), (rehab, (60, 90, None))):
        for test, score in zip((pre, post, retest), scores, strict=True):
            if score is not None:
                _attempt(test, participant, score)
    summary = results.summaries(Seminar.objects.all(), {})
    [by_seminar] = summary.by_seminar
    assert by_seminar.pre == pytest.approx(55)
    assert by_seminar.post == pytest.approx(85)
    assert by_seminar.retest == pytest.approx(60)
    assert by_seminar.gain == pytest.approx(30 / 45)
    assert by_seminar.retained_gain == pytest.approx(10 / 50)  # police only: (60 - 50) / 50
    roles = {g.key: g for g in summary.by_role}
    assert roles["rehab_centre"].gain == pytest.approx(30 / 40)
    [region] = summary.by_region
    assert region.participants == 2
    filtered = results.summaries(Seminar.objects.all(), {"role": "rehab_centre"})
    assert filtered.overall is not None and filtered.overall.participants == 1

    client = signed_in("trainer")
    page = client.get("/training/results/").content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "Pre-test: 55%" in page  # every bar carries its own text label
    assert "gain 0.67" in page
    with translation.override("ru"):
        gain_ru = _("gain %(g)s") % {"g": "0,67"}
    page_ru = signed_in("trainer", "ru").get("/training/results/").content.decode()
    assert gain_ru in page_ru
    # On a phone each results table is a list of labelled cards (no sideways table).
    with translation.override("ru"):
        pre_ru = _("Pre-test")
    assert page_ru.count('<table class="cards-on-phone">') == 3  # by seminar, region, role
    assert f'data-label="{pre_ru}"' in page_ru
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # CSP: no inline style
    rows = list(
        csv.reader(io.StringIO(client.get("/training/results/by_seminar.csv").content.decode()))
    )
    assert rows[1][0].startswith("Almaty") and rows[1][3] == "55" and rows[1][9] == "0.6667"


def test_the_indicators_missed_most_are_counted_over_exercises(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    scenario = get_scenario("wage-dispute-taraz")  # key: AL-EC-02, AL-EC-07
    assert scenario is not None
    people = [add_participant(seminar, personas.trainer, name=f"P{n}") for n in range(3)]
    marks = (["AL-EC-02"], ["AL-EC-02"], ["AL-EC-02", "AL-EC-07"])
    for person, observed in zip(people, marks, strict=True):
        actions.do_submit_exercise(
            scenario, observed=observed, outcome="no_indication", referrals=[], participant=person
        )
    [row] = results.missed_indicators(Seminar.objects.all(), {})
    assert (row.code, row.missed, row.seen) == ("AL-EC-07", 2, 3)
    assert row.rate == pytest.approx(2 / 3)
    assert row.label  # the checklist's own wording
    client = signed_in("trainer")
    assert "AL-EC-07" in client.get("/training/results/").content.decode()
    assert "AL-EC-07" in client.get("/training/results/missed.csv").content.decode()


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer, city="=HYPERLINK(1)")
    add_participant(seminar, personas.trainer)
    text = signed_in("trainer").get("/training/results/by_seminar.csv").content.decode()
    assert "'=HYPERLINK" in text


def test_csv_cells_starting_with_a_tab_are_neutralised_too(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer, city="\t=HYPERLINK(1)")
    add_participant(seminar, personas.trainer)
    text = signed_in("trainer").get("/training/results/by_seminar.csv").content.decode()
    assert "'\t=HYPERLINK" in text


def test_results_pages_run_the_same_number_of_queries_at_two_sizes(personas: Personas) -> None:
    def grow(count: int) -> None:
        for n in range(count):
            seminar = make_seminar(personas.trainer, city=f"City {Seminar.objects.count()}")
            test = _test(seminar, personas.trainer, "pre")
            question = Question.objects.create(
                kind="true_false", text_kk="a", text_ru="b", text_en=f"Q{n}"
            )
            for m in range(2):
                participant = add_participant(seminar, personas.trainer, name=f"P{n}{m}")
                attempt = _attempt(test, participant, 50)
                AttemptItem.objects.create(
                    attempt=attempt, question=question, position=1, order=[], score=0.5
                )
                actions.do_submit_exercise(
                    get_scenario("construction-almaty"),  # type: ignore[arg-type]
                    observed=["AL-DR-02"],
                    outcome="possible_victim",
                    referrals=["shelter"],
                    participant=participant,
                )

    grow(1)
    client = signed_in("trainer")
    urls = ["/training/results/", "/training/results/items/", "/training/results/by_role.csv"]
    for url in urls:
        client.get(url)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = {url: count(url) for url in urls}
    grow(4)
    assert {url: count(url) for url in urls} == small
