"""Area scope by division code: an area contains every area whose code starts with its prefix."""

from __future__ import annotations


def scope_prefix(code: str) -> str:
    """The code prefix shared by an area and everything inside it.

    A prefecture-level city such as 321200 covers 3212xx districts and their 3212xxyyy streets, so trailing
    "00" pairs of a 6-digit code are dropped; a county-level code (321202) or a street code is its own prefix.
    """
    if len(code) == 6:
        while code.endswith("00") and len(code) > 2:
            code = code[:-2]
    return code


def contains(scope_code: str, area_code: str) -> bool:
    """Whether the area `area_code` lies inside (or is) the area `scope_code`."""
    return area_code.startswith(scope_prefix(scope_code))
