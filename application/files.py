"""What a reply or a scheduled message orders of leaders' files: the workbook and charts of a unit over a period,
as attachments made after the message is committed (domain.ports.Files)."""
from __future__ import annotations

from datetime import date, datetime

from domain.cutoffs import cutoff_at
from domain.exports import FileKind, FileOrder, Period, chart_kinds
from domain.messages import Attachment
from domain.model import Unit
from domain.settings import CampaignRules, Cutoff


def attachments(rules: CampaignRules, unit: Unit | None, period: Period, language: str, made_at: datetime,
                kinds: tuple[FileKind, ...]) -> tuple[Attachment, ...]:
    """The files ordered for `unit` (None: everything) over `period`, in `language`, saying they were made at
    `made_at` (to the second: everyone sent the same order shares one file)."""
    code = unit.code if unit is not None else ""
    made = made_at.astimezone(rules.campaign.tz).replace(microsecond=0)
    return tuple(Attachment.of(FileOrder(kind, code, period, language, made)) for kind in kinds)


def charts_for(rules: CampaignRules, unit: Unit | None, period: Period) -> tuple[FileKind, ...]:
    """The charts the period has something to draw for (a team alone has no ranking)."""
    return chart_kinds(period, unit is None or unit.kind != rules.campaign.team_kind)


def report_files(rules: CampaignRules, unit: Unit | None, period: Period, language: str,
                 made_at: datetime) -> tuple[Attachment, ...]:
    """A report's files: its workbook, then its charts."""
    return attachments(rules, unit, period, language, made_at, (FileKind.WORKBOOK, *charts_for(rules, unit, period)))


def cutoff_files(rules: CampaignRules, cutoff: Cutoff, day: date, unit: Unit, first: date, last: date,
                 language: str) -> tuple[Attachment, ...]:
    """What a cut-off's summary on `day` carries for `unit`: with `files = true` (the 08:00 recap, the monthly
    report), the workbook and charts of the days it covers, made at the cut-off's time (a run caught up after a
    restart orders the very same files); otherwise nothing."""
    if not cutoff.files:
        return ()
    period = Period.month(first.year, first.month) if cutoff.monthly else Period.between(first, last)
    return report_files(rules, unit, period, language, cutoff_at(rules, cutoff, day))
