"""Remove… on the Family, Habits, Rewards and Routines screens: one flow (habitdesk/ui/removal.py)
with each screen's own words. Driven in the real window, so the "Removed …" line a parent reads
afterwards is the window's own message bar; results checked in the database through `core`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QMessageBox, QPushButton

from habitdesk.core.appcore import AppCore
from habitdesk.core.enums import Role
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.schemas.points import RewardRead
from habitdesk.core.schemas.routines import RoutineRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.main_window import MainWindow
from habitdesk.ui.views.family import FamilyView
from habitdesk.ui.views.habits import HabitsView
from habitdesk.ui.views.rewards import RewardsView
from habitdesk.ui.views.routines import KIND_ROLE, PAYLOAD_ROLE, RoutinesView

ADMIN = Actor.local_admin()
LEFT = Qt.MouseButton.LeftButton


@dataclass
class Martins:
    family: FamilyRead
    members: list[MemberRead]
    book: RewardRead
    morning: RoutineRead
    homework: RoutineRead


async def make_martins(core: AppCore) -> Martins:
    family = (
        await core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"}, {"full_name": "Claire Martin"}
        )
    ).value
    for name, role in (("Paul Martin", Role.PARENT), ("Léa Martin", Role.CHILD)):
        await core.families.add_member(
            ADMIN, family.id, {"user": {"full_name": name}, "role": role}
        )
    members = await core.families.list_members(ADMIN, family.id)
    lea = next(m for m in members if m.full_name == "Léa Martin")
    for name in ("Gone", "Stays"):
        habit = {"family_id": family.id, "user_id": lea.user_id, "name": name}
        habit["effective_from"] = date.today() - timedelta(days=30)
        await core.habits.create_habit(ADMIN, habit)
    book = (
        await core.points.create_reward(ADMIN, family.id, {"name": "New book", "cost": 80})
    ).value
    routines = []
    for name in ("Morning routine", "Homework"):
        routine = {"family_id": family.id, "user_id": lea.user_id, "name": name}
        routine["weekdays"] = ["mon", "tue", "wed", "thu", "fri"]
        routine["steps"] = [{"title": "Start"}]
        routines.append((await core.routines.create_routine(ADMIN, routine)).value)
    return Martins(family, members, book, *routines)


@pytest.fixture
def martins(core: AppCore, run: Any) -> Martins:
    return run(make_martins(core))


@pytest.fixture
def window(db_url: str, martins: Martins, qtbot: Any, run: Any) -> Iterator[MainWindow]:
    """The app's window on its own core; `core` plays the other parent and the checker."""
    context = AppContext(AppCore.from_url(db_url))
    context.set_family(martins.family, martins.members)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield window
    run(context.tasks.drain())
    assert context.core is not None
    run(context.core.close())


def open_screen(window: MainWindow, screen_id: str, run: Any) -> Any:
    window.show_screen(screen_id)
    run(window.context.tasks.drain())
    return window.view(screen_id)


def click_at(qtbot: Any, view: QAbstractItemView, index: QModelIndex) -> None:
    view.scrollTo(index)
    centre: QPoint = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), LEFT, pos=centre)


def ask(qtbot: Any, view: Any) -> QMessageBox:
    """Press the screen's Remove… button; the box it opens."""
    qtbot.mouseClick(view.remove_button, LEFT)
    box = view.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    return box


def button(box: QMessageBox, text: str) -> QPushButton:
    return next(b for b in box.findChildren(QPushButton) if b.text() == text)


def answer(qtbot: Any, box: QMessageBox, run: Any, window: MainWindow, *, key: Any = None) -> None:
    """Press Remove (or `key`, e.g. Esc) in the box, then let the write finish."""
    if key is None:
        qtbot.mouseClick(button(box, "Remove"), LEFT)
    else:
        qtbot.keyClick(box, key)
    run(window.context.tasks.drain())


def said(window: MainWindow) -> str:
    bar = window.message_bar
    return bar.label.text() if bar.isVisible() else ""


def select_habit(qtbot: Any, view: HabitsView, name: str) -> None:
    item = next(i for i in view.model.habits() if i.habit.name == name)
    click_at(qtbot, view.tree, view.model.habit_index(item.habit.id))
    assert view.selected() is not None and view.selected().habit.name == name


def select_routine(qtbot: Any, view: RoutinesView, name: str) -> None:
    tree = view.tree
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    item = next(
        i
        for i in items
        if i.data(0, KIND_ROLE) == "routine" and i.data(0, PAYLOAD_ROLE)[0].name == name
    )
    qtbot.mouseClick(tree.viewport(), LEFT, pos=tree.visualItemRect(item).center())
    assert view.selected is not None and view.selected.routine.name == name


# --- what a parent reads --------------------------------------------------------------------------


def test_family_asks_then_says_who_was_removed(
    window: MainWindow, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    view: FamilyView = open_screen(window, "family", run)
    row = next(i for i, m in enumerate(view.model.members) if m.full_name == "Paul Martin")
    click_at(qtbot, view.table, view.model.index(row, 0))
    box = ask(qtbot, view)
    assert box.windowTitle() == "Remove member"
    assert box.icon() is QMessageBox.Icon.Question
    assert button(box, "Remove").accessibleName() == "Confirm remove"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    answer(qtbot, box, run, window)

    assert view.confirm_box is None
    assert said(window) == "Removed Paul Martin."
    names = [m.full_name for m in run(core.families.list_members(ADMIN, martins.family.id))]
    assert "Paul Martin" not in names


def test_habits_asks_says_what_was_removed_and_selects_the_habit_left(
    window: MainWindow, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    view: HabitsView = open_screen(window, "habits", run)
    select_habit(qtbot, view, "Gone")
    box = ask(qtbot, view)
    assert (box.windowTitle(), box.text()) == ("Remove habit", "Remove “Gone”?")
    assert button(box, "Remove").accessibleName() == "Confirm remove"
    answer(qtbot, box, run, window)

    assert said(window) == "Removed “Gone”."
    names = {h.name for h in run(core.habits.list_habits(ADMIN, martins.family.id))}
    assert names == {"Stays"}
    selected = view.selected()
    assert selected is not None and selected.habit.name == "Stays"


def test_habits_cancel_gives_the_keyboard_back_to_the_list(
    window: MainWindow, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    view: HabitsView = open_screen(window, "habits", run)
    select_habit(qtbot, view, "Gone")
    answer(qtbot, ask(qtbot, view), run, window, key=Qt.Key.Key_Escape)

    assert view.confirm_box is None
    # Off-screen no window manager hands the window its focus back; the widget it will hand
    # it to is the window's focus widget (the Remove button had it before the box opened).
    assert window.focusWidget() is view.tree
    assert said(window) == ""
    names = {h.name for h in run(core.habits.list_habits(ADMIN, martins.family.id))}
    assert names == {"Gone", "Stays"}


def test_rewards_asks_then_says_what_was_removed(
    window: MainWindow, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    view: RewardsView = open_screen(window, "rewards", run)
    click_at(qtbot, view.rewards_table, view.rewards_model.index(0, 1))
    box = ask(qtbot, view)
    assert (box.windowTitle(), box.text()) == ("Remove reward", "Remove “New book”?")
    answer(qtbot, box, run, window)

    assert said(window) == "Removed “New book”."
    assert run(core.points.list_rewards(ADMIN, martins.family.id, include_inactive=True)) == []


def test_a_refused_reward_removal_shows_next_to_the_list_and_says_nothing_removed(
    window: MainWindow, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    view: RewardsView = open_screen(window, "rewards", run)
    click_at(qtbot, view.rewards_table, view.rewards_model.index(0, 1))
    # The other parent changes the reward after this screen read it.
    changed = {"cost": 90, "expected_version": martins.book.version}
    run(core.points.update_reward(ADMIN, martins.book.id, changed))
    answer(qtbot, ask(qtbot, view), run, window)

    assert view.rewards_error.isVisible()
    assert "Someone else changed this reward" in view.rewards_error.text()
    assert said(window) == ""
    rewards = run(core.points.list_rewards(ADMIN, martins.family.id, include_inactive=True))
    assert [r.name for r in rewards] == ["New book"]


def test_routines_warns_and_opens_one_box_at_a_time(
    window: MainWindow, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    view: RoutinesView = open_screen(window, "routines", run)
    select_routine(qtbot, view, "Homework")
    box = ask(qtbot, view)
    assert (box.windowTitle(), box.text()) == ("Remove routine", "Remove “Homework”?")
    assert box.icon() is QMessageBox.Icon.Warning
    assert button(box, "Remove").accessibleName() == "Remove routine"
    # Asking again while the box is up opens no second box.
    assert view.remove_selected() is None
    assert [b for b in view.findChildren(QMessageBox) if b.isVisible()] == [box]
    answer(qtbot, box, run, window)

    routines = run(core.routines.list_routines(ADMIN, martins.family.id))
    assert [r.name for r in routines] == ["Morning routine"]
    assert view.selected is None or view.selected.routine.name == "Morning routine"
    assert said(window) == ""  # the routine leaving the list says it
    assert not view.action_error.isVisible()


def test_an_old_refusal_goes_when_the_parent_asks_again(
    window: MainWindow, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    """Habits: the other parent removed "Gone" meanwhile, so removing it here is refused and
    said next to the list; asking to remove "Stays" then clears that line at once."""
    view: HabitsView = open_screen(window, "habits", run)
    select_habit(qtbot, view, "Gone")
    gone = next(i.habit for i in view.model.habits() if i.habit.name == "Gone")
    run(core.habits.remove_habit(ADMIN, gone.id))
    answer(qtbot, ask(qtbot, view), run, window)
    assert view.action_error.isVisible() and view.action_error.text()
    refusal = view.action_error.text()

    run(window.context.tasks.drain())
    select_habit(qtbot, view, "Stays")
    box = ask(qtbot, view)
    assert not view.action_error.isVisible(), refusal
    answer(qtbot, box, run, window)
    assert said(window) == "Removed “Stays”."
    assert not view.action_error.isVisible()
