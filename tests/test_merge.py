"""The three-way merge of a section save with saves made since its page was loaded."""

import pytest

from workbook.answers.rules import fingerprint, fingerprints, merge_changes

BASE = {"a": "old", "b": "old", "c": None}


@pytest.mark.parametrize(
    ("mine", "current", "undecided", "apply", "conflicts"),
    [
        # Nobody changed anything: nothing to write.
        ({"a": "old"}, {"a": "old"}, (), {}, []),
        # Only I changed it: written.
        ({"a": "mine"}, {"a": "old"}, (), {"a": "mine"}, []),
        # Only they changed it: their value stands, nothing written.
        ({"a": "old"}, {"a": "theirs"}, (), {}, []),
        # Both changed it to the same value: no conflict.
        ({"a": "same"}, {"a": "same"}, (), {"a": "same"}, []),
        # Both changed it differently: a conflict.
        ({"a": "mine"}, {"a": "theirs"}, (), {}, ["a"]),
        # They cleared it and I did not touch it: stays cleared.
        ({"a": "old"}, {}, (), {}, []),
        # I cleared it, they left it: cleared.
        ({"a": None}, {"a": "old"}, (), {"a": None}, []),
        # An empty string and no answer are the same thing.
        ({"c": ""}, {}, (), {}, []),
        # A question the page did not know about: nothing assumed.
        ({"d": "mine"}, {"d": "theirs"}, (), {}, ["d"]),
        ({"d": "mine"}, {"d": "mine"}, (), {"d": "mine"}, []),
        # A question the conflict page asked about stays a conflict until chosen.
        ({"a": "mine"}, {"a": "old"}, ("a",), {}, ["a"]),
        # Several at once.
        (
            {"a": "mine", "b": "old", "c": "new"},
            {"a": "old", "b": "theirs"},
            (),
            {"a": "mine", "c": "new"},
            [],
        ),
    ],
)
def test_merge_changes(mine, current, undecided, apply, conflicts):
    merge = merge_changes(mine, fingerprints(BASE), current, undecided)
    assert merge.apply == apply
    assert merge.conflicts == conflicts


def test_fingerprints_ignore_key_order_and_agree_on_empty_values():
    assert fingerprint({"selected": ["x"], "other": ""}) == fingerprint(
        {"other": "", "selected": ["x"]}
    )
    assert fingerprint(None) == fingerprint("") == fingerprint([]) == fingerprint({"selected": []})
    assert fingerprint(3) != fingerprint("3")
