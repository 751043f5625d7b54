"""Access expectations of the resident blueprint.

Owner-only routes (editing or withdrawing a plan, editing a comment) allow nobody here:
the matrix's users never own the world's initiative or comment, so every role must be
refused. That the owner can use them is tested in tests/test_initiatives.py and
tests/test_dialogue.py.
"""

from . import ANYONE, LOGGED_IN, RESIDENT

NOBODY: frozenset[str] = frozenset()

EXPECT = {
    "resident.new": {"GET": RESIDENT, "POST": RESIDENT},
    "resident.mine": {"GET": RESIDENT},
    "resident.edit": {"GET": NOBODY, "POST": NOBODY},
    "resident.withdraw": {"GET": NOBODY, "POST": NOBODY},
    "resident.support": {"POST": RESIDENT},
    "resident.unsupport": {"POST": RESIDENT},
    "resident.comment": {"POST": LOGGED_IN},
    "resident.edit_comment": {"GET": NOBODY, "POST": NOBODY},
    "resident.report_comment": {"GET": ANYONE, "POST": ANYONE},
}
