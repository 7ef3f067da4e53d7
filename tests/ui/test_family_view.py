"""The Family screen, driven as a parent would: clicks and keys on real widgets, results checked
in the database through the `core` fixture."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QToolButton, QWidget

from habitdesk.core.appcore import AppCore
from habitdesk.core.enums import Role, WeekStart
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.views.family import FamilyView

W = TypeVar("W", bound=QWidget)
ADMIN = Actor.local_admin()


@dataclass
class Martins:
    family: FamilyRead
    owner: MemberRead
    parent: MemberRead
    child: MemberRead
    viewer: MemberRead

    @property
    def members(self) -> list[MemberRead]:
        return [self.owner, self.parent, self.child, self.viewer]


async def make_martins(core: AppCore) -> Martins:
    family = (
        await core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"},
            {"full_name": "Claire Martin", "email": "claire@example.com", "avatar_emoji": "🦊"},
        )
    ).value
    owner = (await core.families.list_members(ADMIN, family.id))[0]
    added = []
    for name, role, extra in (
        ("Paul Martin", Role.PARENT, {"email": "paul@example.com"}),
        ("Léa Martin", Role.CHILD, {"birth_date": date(2015, 9, 12), "avatar_emoji": "🦄"}),
        ("Grand-mère", Role.VIEWER, {}),
    ):
        result = await core.families.add_member(
            ADMIN, family.id, {"user": {"full_name": name, **extra}, "role": role}
        )
        added.append(result.value)
    return Martins(family, owner, *added)


@pytest.fixture
def martins(core: AppCore, run: Any) -> Martins:
    return run(make_martins(core))


@pytest.fixture
def context(db_url: str, run: Any, martins: Martins) -> Iterator[AppContext]:
    """The app's own core (apart from `core`, which plays the other parent and the checker)."""
    app_core = AppCore.from_url(db_url)
    context = AppContext(app_core)
    context.set_family(martins.family, martins.members)
    yield context
    run(context.tasks.drain())
    run(app_core.close())


@pytest.fixture
def view(context: AppContext, qtbot: Any, run: Any) -> FamilyView:
    view = FamilyView(context)
    qtbot.addWidget(view)
    view.resize(1100, 680)
    view.show()
    run(context.tasks.drain())
    return view


def by_name(parent: QWidget, kind: type[W], name: str) -> W:
    return next(w for w in parent.findChildren(kind) if w.accessibleName() == name)


def click_row(qtbot: Any, view: FamilyView, full_name: str, *, double: bool = False) -> None:
    row = next(i for i, m in enumerate(view.model.members) if m.full_name == full_name)
    centre = view.table.visualRect(view.model.index(row, 0)).center()
    click = qtbot.mouseDClick if double else qtbot.mouseClick
    click(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def members_in_db(core: AppCore, run: Any, martins: Martins) -> dict[str, MemberRead]:
    return {m.full_name: m for m in run(core.families.list_members(ADMIN, martins.family.id))}


def message_box(view: FamilyView) -> QMessageBox:
    box = view.confirm_box
    assert box is not None and box.isVisible()
    return box


def box_button(box: QMessageBox, text: str) -> QPushButton:
    return next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == text)


# --- the table ---------------------------------------------------------------------------------


def test_members_table_shows_avatar_name_role_email_and_age(view: FamilyView) -> None:
    model = view.model
    assert [m.full_name for m in model.members] == [
        "Claire Martin",
        "Paul Martin",
        "Léa Martin",
        "Grand-mère",
    ]
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Birth date / age"
    lea = model.index(2, 0)
    assert model.data(lea) == "Léa Martin"
    assert model.data(lea, Qt.ItemDataRole.ForegroundRole).name().upper() == (
        view.model.members[2].colour
    )
    assert not model.data(lea, Qt.ItemDataRole.DecorationRole).isNull()
    assert model.data(model.index(2, 1)) == "Child"
    assert model.data(model.index(2, 2)) == "—"
    assert model.data(model.index(0, 2)) == "claire@example.com"
    assert model.data(model.index(2, 3)).startswith("12 Sep 2015  ·  ")
    assert "years" in model.data(model.index(2, 3))
    assert view.selected_member() == view.model.members[0]


def test_a_missing_value_is_a_muted_dash_read_out_as_none(view: FamilyView) -> None:
    model = view.model
    no_email = model.index(2, 2)  # Léa has no e-mail address
    assert model.data(no_email) == "—"
    assert model.data(no_email, Qt.ItemDataRole.AccessibleTextRole) == "none"
    muted = QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    assert model.data(no_email, Qt.ItemDataRole.ForegroundRole) == muted
    email = model.index(0, 2)
    assert model.data(email, Qt.ItemDataRole.AccessibleTextRole) == "claire@example.com"
    assert model.data(email, Qt.ItemDataRole.ForegroundRole) is None  # the theme's text colour


# --- add ---------------------------------------------------------------------------------------


def test_add_a_member_with_clicks_and_keys(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    dialog = view.member_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.current_role() is Role.CHILD  # the usual case
    qtbot.keyClicks(dialog.name, "Zoe Martin")
    qtbot.keyClick(dialog.role, Qt.Key.Key_Up)  # Child → Parent
    qtbot.mouseClick(by_name(dialog, QToolButton, "Colour Green"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.avatar.buttons["🐼"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.email, "Zoe@Example.com")
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return)  # Enter saves
    run(context.tasks.drain())

    assert view.member_dialog is None
    zoe = members_in_db(core, run, martins)["Zoe Martin"]
    assert (zoe.role, zoe.colour, zoe.avatar_emoji, zoe.email, zoe.birth_date) == (
        Role.PARENT,
        "#3FA66B",
        "🐼",
        "zoe@example.com",
        None,
    )
    assert zoe in view.model.members
    assert view.selected_member() == zoe
    # The header's member lists read the context: it has the new member too.
    assert zoe in context.members


def test_a_child_is_added_with_a_birth_date_and_no_email(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.member_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name, "Tom")
    qtbot.mouseClick(dialog.has_birth, Qt.MouseButton.LeftButton)
    assert dialog.birth.isEnabled()
    dialog.birth.setDate(date(2019, 4, 3))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())
    tom = members_in_db(core, run, martins)["Tom"]
    assert (tom.role, tom.email, tom.birth_date) == (Role.CHILD, None, date(2019, 4, 3))


def test_bad_input_shows_the_message_next_to_the_field_and_writes_nothing(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    dialog = view.member_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.email, "zoe@")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())

    assert dialog.isVisible()
    assert dialog.errors["name"].isVisible()
    assert dialog.errors["name"].text() == "Must not be empty"
    assert dialog.errors["email"].isVisible()
    assert dialog.errors["email"].text().startswith("Value is not a valid email address")
    assert not dialog.errors["general"].isVisible()
    assert dialog.save_button.isEnabled()
    assert len(members_in_db(core, run, martins)) == 4

    # An e-mail someone else has: the service's message, next to the field.
    qtbot.keyClicks(dialog.name, "Zoe")
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "PAUL@example.com")
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    run(context.tasks.drain())
    assert not dialog.errors["name"].isVisible()
    assert dialog.errors["email"].text() == ("Paul@example.com is already used by another person.")
    assert len(members_in_db(core, run, martins)) == 4

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert view.member_dialog is None
    assert len(members_in_db(core, run, martins)) == 4


# --- edit --------------------------------------------------------------------------------------


def test_edit_colour_emoji_and_role(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    click_row(qtbot, view, "Léa Martin")
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # Enter edits
    dialog = view.member_dialog
    assert dialog is not None
    assert dialog.name.text() == "Léa Martin"
    assert dialog.avatar.emoji() == "🦄"
    assert dialog.has_birth.isChecked()
    qtbot.mouseClick(by_name(dialog, QToolButton, "Colour Purple"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.avatar.buttons["🐢"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.role, Qt.Key.Key_Down)  # Child → Viewer
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())

    assert view.member_dialog is None
    lea = members_in_db(core, run, martins)["Léa Martin"]
    assert (lea.colour, lea.avatar_emoji, lea.role, lea.birth_date) == (
        "#9B59B6",
        "🐢",
        Role.VIEWER,
        date(2015, 9, 12),
    )
    assert view.model.members[2] == lea
    assert context.member(lea.user_id) == lea


def test_edit_opens_on_double_click_and_can_clear_the_email(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    click_row(qtbot, view, "Paul Martin")
    click_row(qtbot, view, "Paul Martin", double=True)
    dialog = view.member_dialog
    assert dialog is not None and dialog.email.text() == "paul@example.com"
    dialog.email.selectAll()
    qtbot.keyClick(dialog.email, Qt.Key.Key_Delete)
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    run(context.tasks.drain())
    assert members_in_db(core, run, martins)["Paul Martin"].email is None


def test_member_edited_by_someone_else_meanwhile_offers_reload(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    click_row(qtbot, view, "Léa Martin")
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.member_dialog
    assert dialog is not None
    # The other parent changes Léa's emoji from their computer.
    run(
        core.families.update_member_details(
            ADMIN,
            martins.child.membership_id,
            {"avatar_emoji": "🐙"},
            {"expected_version": martins.child.version},
        )
    )
    qtbot.mouseClick(dialog.avatar.buttons["🐸"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())

    assert dialog.conflict.isVisible()
    assert dialog.conflict_text.text().startswith("Someone else changed this member")
    assert members_in_db(core, run, martins)["Léa Martin"].avatar_emoji == "🐙"

    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())
    assert not dialog.conflict.isVisible()
    assert dialog.avatar.emoji() == "🐙"
    qtbot.mouseClick(dialog.avatar.buttons["🐸"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())
    assert view.member_dialog is None
    assert members_in_db(core, run, martins)["Léa Martin"].avatar_emoji == "🐸"


# --- remove ------------------------------------------------------------------------------------


def test_remove_asks_first_and_soft_removes(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    click_row(qtbot, view, "Paul Martin")
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    box = message_box(view)
    assert box.text() == "Remove Paul Martin from the family?"
    qtbot.mouseClick(box_button(box, "Cancel"), Qt.MouseButton.LeftButton)
    run(context.tasks.drain())
    assert view.confirm_box is None
    assert "Paul Martin" in members_in_db(core, run, martins)

    click_row(qtbot, view, "Paul Martin")
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)  # Delete asks too
    box = message_box(view)
    qtbot.mouseClick(box_button(box, "Remove"), Qt.MouseButton.LeftButton)
    run(context.tasks.drain())

    assert "Paul Martin" not in members_in_db(core, run, martins)
    assert "Paul Martin" not in [m.full_name for m in view.model.members]
    assert context.member(martins.parent.user_id) is None
    # Soft: the person and their history are still there.
    assert run(core.users.get_user(martins.parent.user_id)).full_name == "Paul Martin"


def test_the_last_owner_cannot_be_removed_and_the_screen_says_why(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    click_row(qtbot, view, "Claire Martin")
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(box_button(message_box(view), "Remove"), Qt.MouseButton.LeftButton)
    run(context.tasks.drain())

    assert view.members_error.isVisible()
    assert view.members_error.text() == (
        "A family needs at least one owner; make someone else owner first."
    )
    assert "Claire Martin" in members_in_db(core, run, martins)
    assert len(view.model.members) == 4


# --- who may change things ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["child", "viewer"])
def test_a_child_or_viewer_acting_cannot_change_anything(
    view: FamilyView, context: AppContext, martins: Martins, qtbot: Any, run: Any, who: str
) -> None:
    acting: MemberRead = getattr(martins, who)
    context.set_acting(acting.user_id)
    run(context.tasks.drain())

    assert view.read_only_note.isVisible()
    assert acting.full_name in view.read_only_note.text()
    click_row(qtbot, view, "Paul Martin")
    for widget in (
        view.add_button,
        view.edit_button,
        view.remove_button,
        view.family_name,
        view.time_zone,
        view.week_start,
        view.day_end,
        view.save_settings_button,
    ):
        assert not widget.isEnabled(), widget.accessibleName()
    # Keys and double clicks open nothing either.
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    click_row(qtbot, view, "Paul Martin", double=True)
    assert view.member_dialog is None and view.confirm_box is None

    # A parent takes the keyboard back: everything is enabled again.
    context.set_acting(martins.parent.user_id)
    run(context.tasks.drain())
    assert not view.read_only_note.isVisible()
    assert view.add_button.isEnabled() and view.remove_button.isEnabled()
    assert view.family_name.isEnabled()


# --- family settings ---------------------------------------------------------------------------


def test_family_settings_are_edited_and_saved(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    assert not view.save_settings_button.isEnabled()  # nothing changed yet
    view.family_name.selectAll()
    qtbot.keyClicks(view.family_name, "Martin-Durand")
    line = view.time_zone.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "America/New_York")
    qtbot.keyClick(view.week_start, Qt.Key.Key_Down)  # Monday → Sunday
    for _ in range(3):
        qtbot.keyClick(view.day_end, Qt.Key.Key_Down)  # Midnight → 3 am
    assert view.day_end.currentText() == "3 am"
    assert view.save_settings_button.isEnabled()
    qtbot.mouseClick(view.save_settings_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())

    family = run(core.families.get_family(martins.family.id))
    assert (family.name, family.time_zone, family.week_start, family.day_start_hour) == (
        "Martin-Durand",
        "America/New_York",
        WeekStart.SUNDAY,
        3,
    )
    assert family.version == martins.family.version + 1
    assert view.settings_status.text() == "Saved."
    assert not view.save_settings_button.isEnabled()
    assert context.family == family  # the header and "today" follow


def test_time_zone_completion_searches_inside_names(view: FamilyView, qtbot: Any) -> None:
    completer = view.time_zone.completer()
    assert completer.filterMode() == Qt.MatchFlag.MatchContains
    assert completer.caseSensitivity() == Qt.CaseSensitivity.CaseInsensitive
    line = view.time_zone.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "new_y")
    assert completer.completionCount() >= 1
    assert completer.currentCompletion() == "America/New_York"
    completer.popup().hide()


def test_unknown_time_zone_is_refused_next_to_the_field(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    line = view.time_zone.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "Europe/Atlantis")
    view.time_zone.completer().popup().hide()
    qtbot.keyClick(line, Qt.Key.Key_Return)  # Enter saves
    run(context.tasks.drain())
    error = view.settings_errors["time_zone"]
    assert error.isVisible()
    assert error.text().startswith("'Europe/Atlantis' is not a known time zone")
    assert run(core.families.get_family(martins.family.id)).time_zone == "Europe/Paris"


def test_family_settings_conflict_prompts_reload_instead_of_overwriting(
    view: FamilyView, context: AppContext, core: AppCore, martins: Martins, qtbot: Any, run: Any
) -> None:
    qtbot.mouseClick(view.family_name, Qt.MouseButton.LeftButton)
    view.family_name.selectAll()
    qtbot.keyClicks(view.family_name, "Les Martin")
    # Meanwhile the other parent moves the day start on their computer.
    run(
        core.families.update_family(
            Actor.member(martins.parent.user_id),
            martins.family.id,
            {"day_start_hour": 4, "expected_version": martins.family.version},
        )
    )
    qtbot.keyClick(view.family_name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    run(context.tasks.drain())

    assert view.settings_conflict.isVisible()
    assert view.conflict_text.text().startswith("Someone else changed the family settings")
    assert not view.save_settings_button.isEnabled()
    family = run(core.families.get_family(martins.family.id))
    assert (family.name, family.day_start_hour) == ("Martin", 4)  # their change stands

    qtbot.mouseClick(view.reload_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())
    assert not view.settings_conflict.isVisible()
    assert view.family_name.text() == "Martin"
    assert view.day_end.currentText() == "4 am"

    view.family_name.selectAll()
    qtbot.keyClicks(view.family_name, "Les Martin")
    qtbot.keyClick(view.family_name, Qt.Key.Key_Return)
    run(context.tasks.drain())
    family = run(core.families.get_family(martins.family.id))
    assert (family.name, family.day_start_hour) == ("Les Martin", 4)


def test_revert_puts_the_saved_settings_back(view: FamilyView, qtbot: Any) -> None:
    view.family_name.selectAll()
    qtbot.keyClicks(view.family_name, "Oops")
    assert view.revert_button.isEnabled()
    qtbot.mouseClick(view.revert_button, Qt.MouseButton.LeftButton)
    assert view.family_name.text() == "Martin"
    assert not view.save_settings_button.isEnabled()


# --- empty states ------------------------------------------------------------------------------


def test_a_family_without_members_says_what_to_do(
    db_url: str, core: AppCore, qtbot: Any, run: Any
) -> None:
    family = run(core.families.create_empty_family({"name": "Nouveaux"})).value
    app_core = AppCore.from_url(db_url)
    context = AppContext(app_core)
    context.set_family(family, [])
    view = FamilyView(context)
    qtbot.addWidget(view)
    view.show()
    run(context.tasks.drain())
    try:
        assert view.members_stack.currentWidget() is view.no_members
        assert "add the first one" in view.no_members.text()
        assert view.add_button.isEnabled()
    finally:
        view.close()
        run(context.tasks.drain())
        run(app_core.close())


def test_no_family_yet(db_url: str, qtbot: Any, run: Any) -> None:
    app_core = AppCore.from_url(db_url)
    context = AppContext(app_core)
    context.set_family(None, [])  # as the shell does when the open database has none
    view = FamilyView(context)
    qtbot.addWidget(view)
    view.show()
    QApplication.processEvents()
    try:
        assert view.pages.currentWidget() is view.no_family
        assert view.no_family.text().startswith("No family yet — create one")
        assert not view.add_button.isEnabled()
    finally:
        view.close()
        run(app_core.close())


def test_the_dialog_is_usable_from_the_keyboard(view: FamilyView, qtbot: Any) -> None:
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    dialog = view.member_dialog
    assert dialog is not None
    # The emoji grid is one Tab stop; arrow keys move inside it and Space picks.
    first = dialog.avatar.buttons["🦄"]
    tab_stops = [b for b in dialog.avatar.buttons.values() if b.focusPolicy() & Qt.TabFocus]
    assert tab_stops == [first]
    qtbot.keyClick(first, Qt.Key.Key_Right)
    qtbot.keyClick(dialog.avatar.buttons["🐻"], Qt.Key.Key_Down)
    qtbot.keyClick(dialog.avatar.buttons["🐱"], Qt.Key.Key_Space)
    assert dialog.avatar.emoji() == "🐱"
    # Swatches too: arrows move, Enter chooses.
    blue = by_name(dialog, QToolButton, "Colour Blue")
    qtbot.keyClick(blue, Qt.Key.Key_Right)
    qtbot.keyClick(by_name(dialog, QToolButton, "Colour Coral"), Qt.Key.Key_Return)
    assert dialog.colour.colour() == "#E0674B"
    assert dialog.isVisible()  # Enter on a swatch picks it; it does not save
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert view.member_dialog is None


def test_showing_the_screen_costs_a_handful_of_statements(
    view: FamilyView, context: AppContext, run: Any
) -> None:
    from sqlalchemy import event

    assert context.core is not None
    engine = context.core._db.engine.sync_engine
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        run(view.refresh())
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 6, statements
