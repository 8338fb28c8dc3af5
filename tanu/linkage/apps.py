from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """The same person across records and agencies: likely duplicates, merges, hit / no-hit."""

    name = "tanu.linkage"
    label = "linkage"
    verbose_name = _("Record linkage")

    def ready(self) -> None:
        from tanu.audit.actions import register_region_path
        from tanu.audit.models import ObjectType
        from tanu.cases import extensions
        from tanu.cases.actions import ANONYMISE_HOOKS
        from tanu.linkage import hooks, tasks
        from tanu.linkage.models import ContactRequest, MatchPair, PersonMerge

        register_region_path(ObjectType.MATCH_PAIR, MatchPair, "region_a_id")
        register_region_path(ObjectType.PERSON_MERGE, PersonMerge, "kept_case__region_id")
        register_region_path(ObjectType.CONTACT_REQUEST, ContactRequest, "region_id")
        # The case page's links, the kept case's timeline, retention and anonymising.
        if hooks.case_links not in extensions.CASE_LINKS:
            extensions.CASE_LINKS.append(hooks.case_links)
        if hooks.timeline_items not in extensions.TIMELINE_SOURCES:
            extensions.TIMELINE_SOURCES.append(hooks.timeline_items)
        if hooks.cases_held_with_their_merge not in extensions.RETENTION_HOLDS:
            extensions.RETENTION_HOLDS.append(hooks.cases_held_with_their_merge)
        if hooks.clear_free_text not in ANONYMISE_HOOKS:
            ANONYMISE_HOOKS.append(hooks.clear_free_text)
        # A new or edited person is compared with the others in the background.
        if tasks.person_changed not in extensions.PERSON_CHANGED_HOOKS:
            extensions.PERSON_CHANGED_HOOKS.append(tasks.person_changed)
        if tasks.persons_imported not in extensions.PERSONS_IMPORTED_HOOKS:
            extensions.PERSONS_IMPORTED_HOOKS.append(tasks.persons_imported)
