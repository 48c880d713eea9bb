"""The two service calls the enterprise form makes as the user types: check with the duplicate's id, size preview."""

from __future__ import annotations

from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.enterprises import YearDraft
from tests.conftest import make_uscc


def test_check_with_existing_names_the_duplicate_id(services):
    existing = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=1), name="吕梁建投集团有限公司")).id
    issues, existing_id = services.enterprises.check_with_existing(
        EnterpriseDraft(uscc=make_uscc(seed=1), name="另一家公司"))
    assert existing_id == existing
    assert any(i.field == "uscc" and "吕梁建投集团有限公司" in i.message for i in issues)
    issues, existing_id = services.enterprises.check_with_existing(
        EnterpriseDraft(uscc=make_uscc(seed=1), name="吕梁建投集团有限公司"), existing)
    assert existing_id is None and not [i for i in issues if i.blocking]


def test_size_preview_follows_the_draft_without_saving(services):
    draft = EnterpriseDraft(uscc="", name="", industry_section="C",
                            years=[YearDraft(2025, revenue="1500", employees="50")])
    assert services.enterprises.size_preview(draft) == "3"  # 小型 under 工业
    draft.industry_section = "G"
    assert services.enterprises.size_preview(draft) is None  # group not known yet
    draft.size_group = "transport"
    assert services.enterprises.size_preview(draft) is not None
    draft.years[0].revenue = "不是数字"
    assert services.enterprises.size_preview(draft) is None
    assert services.enterprises.counts() == (0, 0)
