#!/usr/bin/env python3
"""Pins finsent's CSV/TSV record splitting to Python's csv module.

Writes tests/fixtures/data/python_csv_reference.json: for each tricky input (quoted fields, doubled
quotes, embedded line breaks, CRLF and lone CR, a quote inside an unquoted field, text after a
closing quote, empty lines, a quote left open, ...), the rows csv.reader yields with the excel
dialect (',') and the excel-tab dialect ('\\t') from a file opened with newline='' and
encoding='utf-8-sig'. The test feeds the same bytes to finsent's reader and compares. Stdlib only;
tests never run it. Usage: .venv-ref/bin/python tools/make_csv_fixtures.py
"""
import csv
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each case is written with ',' as the delimiter; the excel-tab variant swaps ',' and '\t'.
CASES = {
    "plain": "text,label\nProfit rose,positive\n",
    "quote_inside_unquoted": 'text,label\nProfit "rose" sharply .,positive\n',
    "quoted_with_delimiter": 'text,label\n"Profit, up",positive\n',
    "doubled_quotes": 'text,label\n"He said ""up"" twice",neutral\n',
    "embedded_lf": 'text,label\n"two\nlines",neutral\n',
    "embedded_crlf": 'text,label\n"two\r\nlines",neutral\r\n',
    "embedded_cr": 'text,label\n"two\rlines",neutral\n',
    "crlf_records": "text,label\r\na,positive\r\nb,negative\r\n",
    "lone_cr_ends_record": "text,label\ra,positive\rb,negative",
    "text_after_closing_quote": 'text,label\n"abc"def,positive\n',
    "quote_after_closing_quote": 'text,label\n"a"b"c",positive\n',
    "space_then_quote": 'text,label\n "quoted" ,positive\n',
    "space_after_closing_quote": 'text,label\n"abc" ,positive\n',
    "empty_quoted_field": 'text,label\n"",positive\n',
    "lone_doubled_quote_unquoted": 'text,label\na""b,positive\n',
    "empty_lines": "text,label\n\na,positive\n\r\n\nb,negative\n\n",
    "trailing_delimiter": "text,label,\na,positive,\n",
    "empty_fields": "text,label\n,\n,,\n",
    "no_final_newline": "text,label\na,positive",
    "only_quote_open_at_end": 'text,label\n"open,positive\nb,negative\n',
    "quote_closed_at_eof": 'text,label\na,"positive"',
    "quoted_line_break_then_more": 'text,label\n"x\n\ny",positive\n"z",negative\n',
    "bom": "\ufefftext,label\na,positive\n",
    "bom_quoted_header": '\ufeff"text",label\na,positive\n',
    "unicode": 'text,label\n"café ""€""",positive\n',
    "nul_in_field": "text,label\na\0b,positive\n",
    "tab_and_comma_mix": "text,label\na\tb,c\td\n",
    "quote_then_newline_in_unquoted": 'text,label\nab"\ncd",positive\n',
    "whitespace_only_line": "text,label\n   \na,positive\n",
    "many_quotes": 'text,label\n"""""",positive\n""""",x\n',
}


def swap(text):
    return text.translate(str.maketrans({",": "\t", "\t": ","}))


def read(raw, dialect):
    """csv.reader over the bytes as `open(path, newline="", encoding="utf-8-sig")` gives them."""
    with io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, dialect=dialect))


def main():
    out = {"python": sys.version.split()[0], "cases": {}}
    for name, text in CASES.items():
        entry = {}
        for dialect, delimiter, source in (("excel", ",", text), ("excel-tab", "\t", swap(text))):
            raw = source.encode("utf-8")
            rows = read(raw, dialect)
            assert rows, f"{name}/{dialect}: csv read no rows"
            entry[dialect] = {"input": source, "delimiter": delimiter, "rows": rows}
        out["cases"][name] = entry
    # What the generator must have made: the row read with its quotes kept, the doubled quote
    # undone, the quoted line break kept, blank lines yielding [] (kept here so the test sees them).
    cases = out["cases"]
    assert cases["quote_inside_unquoted"]["excel"]["rows"][1] == ['Profit "rose" sharply .', "positive"]
    assert cases["doubled_quotes"]["excel"]["rows"][1][0] == 'He said "up" twice'
    assert cases["embedded_crlf"]["excel"]["rows"][1][0] == "two\r\nlines"
    assert [] in cases["empty_lines"]["excel"]["rows"]
    assert cases["bom"]["excel"]["rows"][0] == ["text", "label"]
    assert len(cases) == len(CASES) and len(cases) >= 30
    target = ROOT / "tests/fixtures/data/python_csv_reference.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
