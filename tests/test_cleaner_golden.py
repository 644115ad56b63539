"""Golden files: every case in tests/golden/cases cleans to its expected Markdown, exactly.

After a deliberate output change, regenerate with ``python -m tests.golden --regenerate``
and review the diff.
"""

import pytest

from tests.golden import cases


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_output_matches_golden_file(case):
    assert case.expected_path.exists(), f"run: python -m tests.golden --regenerate ({case.name})"
    assert case.render() == case.expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_must_keep_and_must_remove_strings(case):
    output = case.render()
    for text in case.must_keep:
        assert text in output, f"{case.name}: lost {text!r}"
    for text in case.must_remove:
        assert text not in output, f"{case.name}: kept boilerplate {text!r}"
