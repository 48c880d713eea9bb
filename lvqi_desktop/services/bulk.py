"""Changes to many enterprises at once (批量修改), each one transaction and one undoable batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import codes
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.text import clean_line

# These need a per-enterprise detail (迁入地, 合并去向), so they are set one by one in the form.
NOT_IN_BULK = frozenset({"moved_out", "merged"})


@dataclass(frozen=True)
class BulkResult:
    """How many records changed, and how many already had the value (left untouched)."""

    label: str
    changed: int
    unchanged: int


class BulkService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def set_business_status(self, ids: Sequence[int], status: str, note: str = "") -> BulkResult:
        """批量修改经营状态 of current (not archived) enterprises; raises ValidationFailed, then nothing changes."""
        note = clean_line(note)[:100]
        if status not in codes.BUSINESS_STATUSES:
            raise ValidationFailed([Issue("business_status", f"经营状态“{status}”不在可选范围内")])
        label_text = codes.BUSINESS_STATUSES[status]
        if status in NOT_IN_BULK:
            raise ValidationFailed([Issue("business_status", f"“{label_text}”需逐户填写去向，不能批量设置，"
                                                             "请在企业信息中逐一修改。")])
        unique = list(dict.fromkeys(ids))
        with self._db.unit_of_work() as uow:
            found = uow.history.load_many("enterprise", unique)
            missing = [i for i in unique if i not in found]
            archived = [e.name for e in found.values() if e.is_archived]
            if missing or archived:
                what = f"{len(missing)}家已不存在" if missing else f"“{archived[0]}”等{len(archived)}家已归档"
                raise ValidationFailed([Issue("ids", f"所选企业中{what}，请刷新列表后重新选择。")])
            targets = [found[i] for i in unique if found[i].business_status != status]
            label = f"批量修改经营状态为“{label_text}”（{len(targets)}家）" + (f"：{note}" if note else "")
            uow.begin_batch(label, "enterprise", {"business_status": status, "note": note, "count": len(targets)})
            for e in targets:
                e.business_status = status
            uow.commit()
        return BulkResult(label, len(targets), len(unique) - len(targets))
