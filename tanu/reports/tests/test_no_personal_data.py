"""Analysts see no personal data anywhere: every statistics page, download, PDF, API answer
and export, after a case for the canary person (Zhanar Kanaryeva, N12345678) was opened."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tanu.accounts.tests.personas import Personas
from tanu.cases import actions as case_actions
from tanu.cases.tests.helpers import CANARY, finalised_screening, open_case
from tanu.reports.models import ExportJob
from tanu.reports.stats import TABLE_NAMES
from tanu.reports.tests.helpers import signed_in

pytestmark = pytest.mark.django_db

SECRETS = ["Канарьева", "Жанар", "Kanaryeva", "Zhanar", "N12345678", "+7 701 000 0000", "Примерная"]


def _text(response) -> str:  # type: ignore[no-untyped-def]
    content = response.content
    kind = response.get("Content-Type", "")
    if kind == "application/pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if kind.startswith(("application/vnd.openxml", "application/zip")):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


def _urls(query: str = "") -> list[str]:
    urls = ["/reports/", "/reports/panel/indicators/", "/reports/exports/", "/reports/tables.xlsx"]
    for name in TABLE_NAMES:
        urls += [f"/reports/table/{name}.csv", f"/reports/table/{name}.xlsx"]
        urls += [f"/reports/chart/{name}.csv", f"/reports/chart/{name}.svg"]
        urls.append(f"/api/v1/stats/{name}/")
    urls += [f"/reports/quarterly.pdf?lang={lang}" for lang in ("kk", "ru", "en")]
    urls.append("/api/v1/stats/")
    if not query:
        return urls
    return [u + ("&" if "?" in u else "?") + query for u in urls]


@pytest.mark.parametrize("who", ["analyst", "coordinator"])
def test_no_statistics_page_download_or_answer_shows_the_canary(
    personas: Personas, who: str, django_capture_on_commit_callbacks
) -> None:
    open_case(personas.screener)
    case_actions.do_record_decline(
        finalised_screening(personas.screener),
        actor=personas.screener,
        sex="female",
        citizenship=CANARY["family_name"],  # typed by mistake into the citizenship field
    )
    client = signed_in(getattr(personas, who))
    checked = 0
    filtered = ["/reports/", "/api/v1/stats/", "/reports/tables.xlsx", "/reports/quarterly.pdf"]
    urls = _urls() + [
        f"{url}?{query}"
        for query in ("sex=female", "region=KZ-75&form=labour&age_group=adult")
        for url in filtered
    ]
    for url in urls:
        response = client.get(url, HTTP_HX_REQUEST="true") if "panel" in url else client.get(url)
        if response.status_code == 404:
            continue  # optional tables of apps without figures
        assert response.status_code == 200, (url, response.status_code)
        text = _text(response)
        for secret in SECRETS:
            assert secret not in text, (url, secret)
        checked += 1
    assert checked > 50
    # The anonymised export as well.
    client.post("/reports/exports/", {"k": "11"})
    job = ExportJob.objects.get(requested_by=getattr(personas, who))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_download", args=[job.pk]))
    text = _text(response)
    assert "year_of_registration" in text
    for secret in SECRETS:
        assert secret not in text
