"""`timeline check`, run as users and CI run it: a separate process, exit codes, output formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

VALID = (EXAMPLES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
WITH_WARNING = VALID.replace(
    "events:", "  unused:\n    title: Never cited\n    publisher: Nobody\n"
               "    published: \"2016\"\nevents:", 1)
WITH_ERROR = VALID.replace("status: confirmed", "status: confirmd")


def timeline_check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "builder", "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def assert_no_traceback(run: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr


# -- exit codes ----------------------------------------------------------------------------------

def test_a_valid_file_exits_0_and_says_so(tmp_path):
    write(tmp_path, "events.yaml", VALID)
    run = timeline_check("events.yaml", cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "events.yaml: no problems found\n")


def test_the_default_file_is_events_yaml(tmp_path):
    write(tmp_path, "events.yaml", WITH_ERROR)
    run = timeline_check(cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith("events.yaml:14:13: error: event "
                                 "'un-security-council-meets-on-aleppo': 'confirmd' is not a "
                                 "status")


def test_errors_exit_1_with_one_line_per_problem_and_a_summary(tmp_path):
    write(tmp_path, "events.yaml", WITH_ERROR.replace('published: "2016-09-25"',
                                                      "published: 2016-02-30"))
    run = timeline_check("events.yaml", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "events.yaml:8:16: error: source 'reuters-2016-09-25': the publication date: "
        "'2016-02-30' has the day 30, but February 2016 has 29 days (invalid-date)",
        "events.yaml:14:13: error: event 'un-security-council-meets-on-aleppo': 'confirmd' is "
        "not a status; use one of confirmed, reported, claimed, disputed; did you mean "
        "'confirmed'? (invalid-status)"]
    assert run.stderr == "events.yaml: 2 error(s), 0 warning(s)\n"


def test_warnings_exit_0_and_1_with_strict(tmp_path):
    write(tmp_path, "events.yaml", WITH_WARNING)
    run = timeline_check("events.yaml", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout == ("events.yaml:9:3: warning: source 'unused' is listed but no event "
                          "cites it (unused-source)\n")
    strict = timeline_check("--strict", "events.yaml", cwd=tmp_path)
    assert (strict.returncode, strict.stdout) == (1, run.stdout)


def test_strict_changes_nothing_for_a_clean_file(tmp_path):
    write(tmp_path, "events.yaml", VALID)
    assert timeline_check("--strict", "events.yaml", cwd=tmp_path).returncode == 0


def test_a_missing_file_exits_2_with_one_line_and_no_traceback(tmp_path):
    run = timeline_check("nowhere.yaml", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "timeline: cannot read nowhere.yaml: No such file or directory\n"


def test_a_directory_exits_2_without_a_traceback(tmp_path):
    (tmp_path / "records").mkdir()
    run = timeline_check("records", cwd=tmp_path)
    assert run.returncode == 2
    assert "records" in run.stderr and "directory" in run.stderr
    assert_no_traceback(run)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read any file")
def test_an_unreadable_file_exits_2(tmp_path):
    path = write(tmp_path, "events.yaml", VALID)
    path.chmod(0)
    run = timeline_check("events.yaml", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == "timeline: cannot read events.yaml: Permission denied\n"


def test_an_unknown_format_is_a_usage_error(tmp_path):
    write(tmp_path, "events.yaml", VALID)
    run = timeline_check("--format", "xml", "events.yaml", cwd=tmp_path)
    assert run.returncode == 2
    assert "xml" in run.stderr
    assert_no_traceback(run)


# -- formats -------------------------------------------------------------------------------------

def test_github_format_escapes_percent_newline_and_property_separators(tmp_path):
    text = WITH_WARNING.replace("status: confirmed", 'status: "100%\\nsure"')
    write(tmp_path, "a:b,c%.yaml", text)
    run = timeline_check("--format", "github", "a:b,c%.yaml", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "::warning file=a%3Ab%2Cc%25.yaml,line=9,col=3,title=unused-source::source 'unused' is "
        "listed but no event cites it",
        "::error file=a%3Ab%2Cc%25.yaml,line=18,col=13,title=invalid-status::event "
        "'un-security-council-meets-on-aleppo': '100%25%0Asure' is not a status; use one of "
        "confirmed, reported, claimed, disputed"]
    assert run.stderr == ""  # no summary line among the annotations


def test_json_format_parses(tmp_path):
    write(tmp_path, "events.yaml", WITH_WARNING.replace("status: confirmed", "status: done"))
    run = timeline_check("--format", "json", "events.yaml", cwd=tmp_path)
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert [(p["line"], p["column"], p["level"], p["rule"]) for p in data] == [
        (9, 3, "warning", "unused-source"), (18, 13, "error", "invalid-status")]
    assert all(p["path"] == "events.yaml" and p["message"] for p in data)


def test_json_format_of_a_clean_file_is_an_empty_list(tmp_path):
    write(tmp_path, "events.yaml", VALID)
    run = timeline_check("--format", "json", "events.yaml", cwd=tmp_path)
    assert run.returncode == 0 and json.loads(run.stdout) == []


# -- bad input never shows a traceback -------------------------------------------------------------

BAD_INPUTS = {
    "empty.yaml": b"",
    "binary.yaml": bytes(range(256)) * 4,
    "utf16.yaml": "timeline:\n  title: x\n".encode("utf-16"),
    "latin1.yaml": "timeline:\n  title: Caf\xe9\n".encode("latin-1"),
    "nul.yaml": b"timeline:\n  title: a\x00b\n",
    "deep.yaml": b"[" * 5000 + b"]" * 5000,
    "laughs.yaml": b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    "python.yaml": b"timeline: !!python/object/apply:os.system ['echo pwned']\n",
    "tabs.yaml": b"timeline:\n\ttitle: x\n",
    "unclosed.yaml": b'timeline:\n  title: "x\n',
    "surrogates.yaml": b"timeline: \xed\xa0\x80\n",
    "separator.yaml": "timeline:\n  title: a\u2028b\n".encode("utf-8"),
    "controls.yaml": 'timeline:\n  "\\e[31mtitle\\n": x\n'.encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_reported_without_a_traceback(tmp_path, name):
    write(tmp_path, name, BAD_INPUTS[name])
    run = timeline_check(name, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert_no_traceback(run)
    lines = run.stdout.splitlines()
    assert lines and all(line.startswith(f"{name}:") for line in lines), run.stdout
    assert "\x1b" not in run.stdout
    assert run.stderr.endswith("warning(s)\n") and run.stderr.count("\n") == 1

