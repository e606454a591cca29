"""Every conversation module, assembled into one dispatcher; a new module adds one line here."""
from __future__ import annotations

from application.services import Services
from domain.ports import Store
from handlers import account, account_link, corrections, exports, figures, joining, links, people, phases, quota
from handlers import reminders, reporting
from handlers.context import Command, Feature
from handlers.dispatch import Dispatcher

FEATURES: list[Feature] = [
    joining.FEATURE,
    reporting.FEATURE,
    corrections.FEATURE,
    figures.SUMMARY,
    account.FEATURE,
    account_link.FEATURE,
    reminders.FEATURE,
    links.FEATURE,
    quota.FEATURE,
    phases.FEATURE,
    figures.PROGRESS,
    exports.FEATURE,
    people.FEATURE,
]


def build_dispatcher(store: Store, services: Services) -> Dispatcher:
    dispatcher: Dispatcher | None = None

    def commands() -> list[Command]:
        seen, out = set(), []
        for c in dispatcher.commands.values():
            if c.name not in seen:
                seen.add(c.name)
                out.append(c)
        return out

    help_feature = Feature(commands=(
        Command("help", account.help_command(commands), "help.help", aliases=("trogiup",), outsiders=True),))
    dispatcher = Dispatcher(store, services, [*FEATURES, help_feature], free_text=reporting.free_text)
    return dispatcher
