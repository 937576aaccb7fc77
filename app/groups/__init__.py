"""Organisations, their groups (classes, wards, teams), join codes, assignments and the counting rules."""
