"""HabitDesk: family routines and habits on the desktop."""

__version__ = "0.1.0"
