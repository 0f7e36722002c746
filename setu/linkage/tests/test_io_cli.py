from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from setu.linkage import LinkageInputError, read_records
from setu.linkage.cli import main

HEADER = (
    "record_id,org,given_name,family_name,sex,age,birth_date,recorded_on,district,state,phone\n"
)
ROWS = (
    "A1,CWC,Puja,Mondal,F,14,,2019-06-01,Murshidabad,WB,+91 98300 12345\n"
    "A2,AHTU,पूजा,मंडल,F,19,,2024-06-01,Murshidabad,West Bengal,098300-12345\n"
    "A3,AHTU,Rekha,Mondal,F,16,,2019-06-01,Murshidabad,WB,9830012345\n"
)


def write(tmp_path: Path, text: str, name: str = "in.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_read_records_types_and_missing_columns(tmp_path: Path) -> None:
    recs = read_records(write(tmp_path, "record_id,given_name,age\nX,Puja,14\nY,,\n"))
    assert [r.record_id for r in recs] == ["X", "Y"]
    assert recs[0].age == 14 and recs[1].age is None and recs[0].district == ""


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        (HEADER + "A1,x,Puja,,F,14,2005-13-45,,,,\n", 2, "birth_date"),
        (HEADER + ROWS + "A4,x,Puja,,F,14,,01/02/2020,,,\n", 5, "recorded_on"),
        (HEADER + "A1,x,Puja,,F,fourteen,,,,,\n", 2, "age"),
        (HEADER + ROWS + "A1,x,Puja,,F,,,,,,\n", 5, "record_id"),
        ("id,given_name\n1,Puja\n", 1, "record_id"),
    ],
)
def test_read_records_errors_name_row_and_column(
    tmp_path: Path, text: str, row: int, column: str
) -> None:
    with pytest.raises(LinkageInputError) as info:
        read_records(write(tmp_path, text))
    assert info.value.row == row and info.value.column == column
    assert f"in.csv, line {row}" in str(info.value) and column in str(info.value)


def test_bad_encoding_names_row_and_column(tmp_path: Path) -> None:
    p = write(tmp_path, "record_id,given_name\n1,Puja\n2,Pérvin\n", encoding="latin-1")
    with pytest.raises(LinkageInputError) as info:
        read_records(p)
    assert info.value.row == 3 and info.value.column == "given_name"
    assert "UTF-8" in str(info.value)


def test_missing_file() -> None:
    with pytest.raises(LinkageInputError, match="not found"):
        read_records("/nonexistent/records.csv")


def test_cli_dedupe_writes_every_row(tmp_path: Path) -> None:
    out = tmp_path / "clusters.csv"
    assert main(["dedupe", str(write(tmp_path, HEADER + ROWS)), "--output", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    got = {r["record_id"]: r["cluster_id"] for r in rows}
    assert got == {"A1": "A1", "A2": "A1", "A3": "A3"}


def test_cli_link_and_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    left = write(tmp_path, HEADER + ROWS.splitlines(True)[0], "a.csv")
    right = write(tmp_path, HEADER + "".join(ROWS.splitlines(True)[1:]), "b.csv")
    out = tmp_path / "pairs.csv"
    assert main(["link", str(left), str(right), "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["left_id"], r["right_id"]) for r in rows] == [("A1", "A2")]
    assert 0.95 <= float(rows[0]["probability"]) <= 1
    assert main(["explain", str(write(tmp_path, HEADER + ROWS)), "A1", "A3"]) == 0
    text = capsys.readouterr().out
    assert "non-match" in text and "Given names are different" in text
    assert "families share phones" in text


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        (None, "not found"),
        ("id,name\n1,x\n", "record_id"),
        (HEADER + "A1,x,Puja,,F,14,2005-31-12,,,,\n", "line 2, column 'birth_date'"),
    ],
)
def test_cli_errors_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, expect: str
) -> None:
    path = tmp_path / "missing.csv" if content is None else write(tmp_path, content)
    code = main(["dedupe", str(path), "--output", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert expect in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_explain_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(write(tmp_path, HEADER + ROWS)), "A1", "ZZ"]) == 2
    assert "ZZ" in capsys.readouterr().err


def test_python_dash_m_runs(tmp_path: Path) -> None:
    p = write(tmp_path, "record_id,birth_date\n1,20x5\n")
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "setu.linkage", "dedupe", str(p), "-o", str(tmp_path / "o.csv")],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.returncode == 2
    assert "line 2, column 'birth_date'" in proc.stderr and "Traceback" not in proc.stderr


def _two_hundred_rows() -> list[str]:
    return [f"R{i},x,Name{i},Fam{i},F,20,,,,,\n" for i in range(200)]


@pytest.mark.parametrize(
    ("damage", "line", "problem"),
    [
        (lambda rows: rows.__setitem__(0, 'R0,x,"Puja,Mondal,F,20,,,,,\n'), 2, "unclosed quote"),
        (lambda rows: rows.__setitem__(5, "R5,x,Puja,Mondal\n"), 7, "too few fields: 4"),
        (lambda rows: rows.__setitem__(9, "R9,x,Puja,Mondal,F,20,,,,,,extra\n"), 11, "too many"),
        (lambda rows: rows.__setitem__(3, "R3,x,Pu\x00ja,Mondal,F,20,,,,,\n"), 5, "NUL byte"),
        (lambda rows: rows.__setitem__(7, 'R7,x,"Puja"M,Mondal,F,20,,,,,\n'), 9, "not valid CSV"),
    ],
)
def test_broken_csv_is_refused_naming_file_line_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: Any, line: int, problem: str
) -> None:
    rows = _two_hundred_rows()
    damage(rows)
    path = write(tmp_path, HEADER + "".join(rows), "broken.csv")
    out = tmp_path / "clusters.csv"
    code = main(["dedupe", str(path), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"broken.csv, line {line}" in err and problem in err, err
    assert "\x00" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_utf16_without_a_byte_order_mark_is_named_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes((HEADER + ROWS).encode("utf-16-le"))
    assert main(["dedupe", str(path), "--output", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "UTF-16" in err and "u16.csv, line 1" in err
    assert err.rstrip("\n").isprintable()  # no NUL or other control character reaches the terminal
    assert len(err.strip().splitlines()) == 1
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes((HEADER + ROWS).encode("utf-16"))
    assert main(["dedupe", str(with_bom), "--output", str(tmp_path / "o.csv")]) == 2
    assert "UTF-16" in capsys.readouterr().err


def test_a_failed_write_leaves_no_half_written_output(tmp_path: Path, monkeypatch: Any) -> None:
    from setu.linkage import cli

    out = tmp_path / "clusters.csv"
    out.write_text("previous result\n", encoding="utf-8")

    class Exploding:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def writerow(self, row: Any) -> None:
            pass

        def writerows(self, rows: Any) -> None:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli.csv, "writer", Exploding)
    assert main(["dedupe", str(write(tmp_path, HEADER + ROWS)), "--output", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert not list(tmp_path.glob("*.part"))
