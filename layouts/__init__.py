"""Layouts: the pages people see, built from reusable components and the configuration."""
