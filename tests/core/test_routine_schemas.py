"""Routine input rules and the version-history sentences (pure: no database)."""

from __future__ import annotations

from datetime import time

import pytest

from habitdesk.core.domain.routine_diff import (
    StepSpec,
    VersionSpec,
    describe_changes,
    describe_weekdays,
)
from habitdesk.core.errors import InvalidInputError
from habitdesk.core.schemas.routines import RoutineUpdate, parse_routine_input

MORNING = ("Wake up", "Brush teeth", "Get dressed", "Breakfast")


def version(*titles: str, weekdays: int = 0b0011111, **kwargs: object) -> VersionSpec:
    steps = tuple(StepSpec(t) if isinstance(t, str) else t for t in titles)
    return VersionSpec(
        weekdays=weekdays,
        start_time=kwargs.get("start_time"),  # type: ignore[arg-type]
        finish_by=kwargs.get("finish_by"),  # type: ignore[arg-type]
        steps=steps,
    )


def test_same_version_has_no_changes() -> None:
    assert describe_changes(version(*MORNING), version(*MORNING)) == []


def test_a_moved_step_is_one_move_not_a_shuffle() -> None:
    new = version("Wake up", "Breakfast", "Brush teeth", "Get dressed")
    assert describe_changes(version(*MORNING), new) == ["Moved 'Breakfast' from 4 to 2"]


def test_inserting_a_step_does_not_report_the_later_ones_as_moved() -> None:
    new = version("Wake up", "Feed the cat", "Brush teeth", "Get dressed", "Breakfast")
    assert describe_changes(version(*MORNING), new) == ["Added step 'Feed the cat'"]


def test_removing_the_first_step_reports_only_the_removal() -> None:
    new = version("Brush teeth", "Get dressed", "Breakfast")
    assert describe_changes(version(*MORNING), new) == ["Removed step 'Wake up'"]


def test_a_new_title_in_the_same_place_is_a_rename() -> None:
    new = version("Wake up", "Brush teeth and floss", "Get dressed", "Breakfast")
    assert describe_changes(version(*MORNING), new) == [
        "Renamed step 2 'Brush teeth' → 'Brush teeth and floss'"
    ]


def test_a_change_of_spelling_is_a_rename_even_when_moved() -> None:
    new = version("breakfast", "Wake up", "Brush teeth", "Get dressed")
    assert describe_changes(version(*MORNING), new) == [
        "Renamed step 1 'Breakfast' → 'breakfast'",
        "Moved 'breakfast' from 4 to 1",
    ]


def test_swapping_two_steps_reports_one_move() -> None:
    assert describe_changes(version("A", "B"), version("B", "A")) == ["Moved 'B' from 2 to 1"]


def test_repeated_titles_pair_up_in_order() -> None:
    old = version("Stretch", "Run", "Stretch")
    assert describe_changes(old, version("Stretch", "Run", "Stretch", "Shower")) == [
        "Added step 'Shower'"
    ]
    assert describe_changes(old, version("Stretch", "Run")) == ["Removed step 'Stretch'"]


def test_duration_and_points_changes_name_the_step() -> None:
    old = version(StepSpec("Brush teeth", 2, 1), StepSpec("Read", None, None))
    new = version(StepSpec("Brush teeth", 3, 1), StepSpec("Read", 20, 10))
    assert describe_changes(old, new) == [
        "'Brush teeth': 2 min → 3 min",
        "'Read': no duration → 20 min",
        "'Read': no points → 10 points",
    ]
    assert describe_changes(new, old)[-1] == "'Read': 10 points → no points"
    assert describe_changes(version(StepSpec("A", None, 1)), version("A")) == [
        "'A': 1 point → no points"
    ]


def test_schedule_changes_come_after_step_changes() -> None:
    old = version(*MORNING, start_time=time(7, 0), finish_by=time(7, 45))
    new = version(
        *MORNING, "Feed the cat", weekdays=0b1111111, start_time=None, finish_by=time(8, 0)
    )
    assert describe_changes(old, new) == [
        "Added step 'Feed the cat'",
        "Weekdays: Mon–Fri → every day",
        "Start time 07:00 → not set",
        "Finish by 07:45 → 08:00",
    ]


@pytest.mark.parametrize(
    ("mask", "text"),
    [
        (0b1111111, "every day"),
        (0b0011111, "Mon–Fri"),
        (0b1100000, "Sat, Sun"),
        (0b1010101, "Mon, Wed, Fri, Sun"),
        (0b1100111, "Mon–Wed, Sat, Sun"),
        (0b0000100, "Wed"),
    ],
)
def test_weekday_sets_read_naturally(mask: int, text: str) -> None:
    assert describe_weekdays(mask) == text


def test_update_tells_given_none_from_not_given() -> None:
    cleared = parse_routine_input(RoutineUpdate, {"start_time": None})
    assert cleared.touches_schedule_or_steps
    assert "start_time" in cleared.model_fields_set
    renamed = parse_routine_input(RoutineUpdate, {"name": "  Evening  "})
    assert renamed.name == "Evening"
    assert not renamed.touches_schedule_or_steps


def test_errors_name_the_step_by_its_number() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_routine_input(
            RoutineUpdate,
            {"steps": [{"title": "Ok"}, {"title": "", "points": 2000}], "finish_by": "25:00"},
        )
    message = caught.value.message
    assert "Step 2 title: must not be empty" in message
    assert "Step 2 points: must be between 0 and 1000" in message
    assert "Finish by: " in message
