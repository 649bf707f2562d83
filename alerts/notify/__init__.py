"""Notifications: warning transitions and task events → routing tree → grouped, recorded, retried sends.

See alerts/notify/README.md for the stages, the events consumed and the tables written.
"""
