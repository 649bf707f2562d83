"""Briefings (日报 · 周报 · 月报) and the 晾晒台 ranking board, generated from what the cockpit already holds."""
