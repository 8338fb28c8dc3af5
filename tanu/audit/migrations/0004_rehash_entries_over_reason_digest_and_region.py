"""Re-chain the existing entries with the new hash formula.

The chain used to cover each entry's reason as text. It now covers a keyed digest of it (so that
retention and erasure can clear the encrypted text and the chain still verifies) and the region
of the object's case. Old entries could not be verified under the old formula once their reason
is cleared, so they are re-hashed here, once, after checking the whole chain under the old
formula: a chain that is already broken is not re-hashed (that would hide the break), unless
TANU_AUDIT_REHASH_BROKEN_CHAIN=1 says so after the break was looked into. No anchor can cover
the old hashes: anchors are introduced together with this migration.

Both formulas are frozen here, so that later changes to tanu.audit.chain do not change what this
migration does.
"""

import hashlib
import hmac
import json
import os
from datetime import UTC

from django.conf import settings
from django.db import migrations

GENESIS = "0" * 64
BATCH = 2000

# object type -> (app label, model, path from the object to its region)
REGION_PATHS = {
    "case": ("cases", "Case", "region_id"),
    "consent": ("cases", "Consent", "case__region_id"),
    "note": ("cases", "Note", "case__region_id"),
    "document": ("cases", "Document", "case__region_id"),
    "data_request": ("cases", "DataRequest", "case__region_id"),
    "screening": ("identification", "Screening", "region_id"),
    "referral": ("referrals", "Referral", "case__region_id"),
    "service_record": ("referrals", "ServiceRecord", "referral__case__region_id"),
    "identification_decision": ("referrals", "IdentificationDecision", "case__region_id"),
}


def _key():
    return hashlib.sha256(b"tanu-audit-chain:" + settings.SECRET_KEY.encode()).digest()


def _mac(key, payload):
    message = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def old_digest(key, e, prev):
    return _mac(
        key,
        {
            "seq": e.seq,
            "at": e.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": e.actor_id,
            "actor_username": e.actor_username,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "fields": list(e.fields),
            "reason": e.reason,
            "address": e.address,
            "flagged": e.flagged,
            "prev": prev,
        },
    )


def reason_digest(key, reason):
    if not reason:
        return ""
    return hmac.new(key, b"tanu-audit-reason:" + reason.encode(), hashlib.sha256).hexdigest()


def new_digest(key, e, prev):
    return _mac(
        key,
        {
            "seq": e.seq,
            "at": e.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": e.actor_id,
            "actor_username": e.actor_username,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "fields": list(e.fields),
            "reason_digest": e.reason_digest,
            "region": e.region_id,
            "address": e.address,
            "flagged": e.flagged,
            "prev": prev,
        },
    )


def _batches(entry_model):
    last = 0
    while True:
        rows = list(entry_model.objects.filter(seq__gt=last).order_by("seq")[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].seq


def _old_chain_problem(entry_model, head_model, key):
    prev, expected = GENESIS, 1
    for rows in _batches(entry_model):
        for e in rows:
            if e.seq != expected or e.prev_hash != prev or old_digest(key, e, prev) != e.entry_hash:
                return f"entry {expected}"
            prev, expected = e.entry_hash, expected + 1
    head = head_model.objects.filter(id=1).first()
    if head is not None and (head.seq != expected - 1 or head.last_hash != prev):
        return f"entries after {expected - 1}"
    return None


def _regions(apps, rows):
    """{(object_type, object_id): region id} for the rows' objects that belong to a case."""
    wanted = {}
    for e in rows:
        if e.object_id and (e.object_type in REGION_PATHS or e.object_type == "person"):
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    found = {}
    Case = apps.get_model("cases", "Case")
    for object_type, ids in wanted.items():
        numeric = [int(i) for i in ids if i.isdigit()]
        if not numeric:
            continue
        if object_type == "person":
            # A person belongs to the region of their newest case.
            for person_id, region_id in (
                Case.objects.filter(person_id__in=numeric)
                .order_by("pk")
                .values_list("person_id", "region_id")
            ):
                found[("person", str(person_id))] = region_id
            continue
        app_label, model_name, path = REGION_PATHS[object_type]
        model = apps.get_model(app_label, model_name)
        for pk, region_id in model.objects.filter(pk__in=numeric).values_list("pk", path):
            found[(object_type, str(pk))] = region_id
    return found


def rehash(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    key = _key()
    problem = _old_chain_problem(AuditEntry, AuditHead, key)
    if problem is not None and os.environ.get("TANU_AUDIT_REHASH_BROKEN_CHAIN") != "1":
        raise RuntimeError(
            f"The audit chain is broken (at {problem}) before this migration re-hashes it. "
            "Run `tanu audit verify` with the previous version, find out what happened, and "
            "only then migrate with TANU_AUDIT_REHASH_BROKEN_CHAIN=1 (re-hashing hides the break "
            "from later checks)."
        )
    prev, last_seq = GENESIS, 0
    for rows in _batches(AuditEntry):
        regions = _regions(apps, rows)
        for e in rows:
            e.reason_plain = e.reason or ""
            e.reason_digest = reason_digest(key, e.reason_plain)
            e.reason = ""
            e.region_id = regions.get((e.object_type, e.object_id))
            e.prev_hash = prev
            e.entry_hash = new_digest(key, e, prev)
            prev, last_seq = e.entry_hash, e.seq
        AuditEntry.objects.bulk_update(
            rows,
            ["reason_plain", "reason_digest", "reason", "region", "prev_hash", "entry_hash"],
            batch_size=500,
        )
    if last_seq:
        AuditHead.objects.update_or_create(id=1, defaults={"seq": last_seq, "last_hash": prev})


def unhash(apps, schema_editor):
    """Back to the old formula (reasons in clear in the hash). Reasons cleared meanwhile stay
    blank; the chain is re-hashed over them, after checking it under the new formula."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    key = _key()
    prev, last_seq = GENESIS, 0
    for rows in _batches(AuditEntry):
        for e in rows:
            if e.prev_hash != prev or new_digest(key, e, prev) != e.entry_hash:
                raise RuntimeError(f"The audit chain is broken at entry {e.seq}: not reverting.")
            prev = e.entry_hash
    prev = GENESIS
    for rows in _batches(AuditEntry):
        for e in rows:
            e.reason = e.reason_plain
            e.prev_hash = prev
            e.entry_hash = old_digest(key, e, prev)
            prev, last_seq = e.entry_hash, e.seq
        AuditEntry.objects.bulk_update(rows, ["reason", "prev_hash", "entry_hash"], batch_size=500)
    if last_seq:
        AuditHead.objects.update_or_create(id=1, defaults={"seq": last_seq, "last_hash": prev})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_entry_region_and_reason_digest"),
        ("cases", "0002_case_lists_newest_first_and_person_search_indexes"),
        ("identification", "0004_screening_lists_newest_first_indexes"),
        ("referrals", "0001_service_directory_referrals_decisions_inbox"),
    ]

    operations = [migrations.RunPython(rehash, unhash, elidable=False)]
