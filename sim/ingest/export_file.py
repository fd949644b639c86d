"""An Al Kamel Systems CSV export read defensively: one table of text cells with its file line numbers.

Timing sites publish these files (ACO series and IMSA alike), and users download, rename, open and
re-save them; so every way the file can be broken becomes one InputError naming the file and the row or
column: an HTML page saved instead of the CSV, another encoding, a spreadsheet's `;` separators, a
missing or doubled column, a row with more fields than the header. Accepted as they come from the sites:
a UTF-8 byte-order mark, Windows line endings, columns in any order, extra columns, nameless trailing
columns (a trailing comma), rows shorter than the header (their missing trailing fields are empty).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError

UTF8_BOM = b"\xef\xbb\xbf"
# Byte-order marks of encodings that are not UTF-8 (a spreadsheet's "Unicode text" save).
FOREIGN_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def normalise_column(name: str) -> str:
    """Header name as matched: trimmed, upper case, inner spaces collapsed (the qualifying export
    spells a column ` LAPS`)."""
    return re.sub(r"\s+", " ", name.strip()).upper()


@dataclass(frozen=True)
class ExportTable:
    """The rows of one export as text cells (each padded to the header's width)."""

    path: Path
    header: tuple[str, ...]            # column names as written
    columns: dict[str, int]            # normalised name -> position (nameless columns left out)
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]             # file line of each row (the header is row 1)

    def has(self, column: str) -> bool:
        return column in self.columns

    def cell(self, index: int, column: str) -> str:
        """The stripped text of a row's cell ('' when the export has no such column)."""
        position = self.columns.get(column)
        return self.rows[index][position].strip() if position is not None else ""

    def where(self, index: int, column: str | None = None) -> str:
        """`row N, column X` for an error message (N is the line of the file)."""
        row = f"row {self.lines[index]}"
        return f"{row}, column {self.header[self.columns[column]].strip()}" if column in self.columns else row

    def error(self, index: int, column: str | None, reason: str) -> InputError:
        return InputError(self.path, self.where(index, column), reason)

    def __len__(self) -> int:
        return len(self.rows)


def read_export(path: str | Path) -> ExportTable:
    """Read and check one CSV export (see the module docstring for what is refused and what is accepted)."""
    path = Path(path)
    text = _decode(path, _read_bytes(path))
    first = text.lstrip()
    if not first:
        raise InputError(path, None, "the file is empty")
    if first.startswith("<"):
        raise InputError(path, None, "this is an HTML/XML page, not a CSV export (a saved error or login page? "
                                     "download the CSV again)")
    stray = text.find("\ufeff")
    if stray >= 0:
        line = text.count("\n", 0, stray) + 1
        raise InputError(path, f"row {line}", "a byte-order mark inside the file (two exports joined together?)")
    header_line = first.splitlines()[0]
    _check_separator(path, header_line)
    try:
        records = list(_records(text))
    except csv.Error as error:
        raise InputError(path, None, f"not a readable CSV file ({error})") from None
    records = [(line, record) for line, record in records if any(cell.strip() for cell in record)]
    if not records:
        raise InputError(path, None, "the file is empty")
    header_line_number, header = records[0]
    columns = _columns(path, header)
    if not columns:
        raise InputError(path, f"row {header_line_number}", "the header has no column names")
    rows, lines = [], []
    width = len(header)
    # Rows padded with empty fields past the header are accepted when the rows are padded alike; a row
    # longer than the others holds a shifted cell (an unquoted comma such as `1'49,586`).
    usual = Counter(len(record) for _, record in records[1:]).most_common(1)[0][0] if len(records) > 1 else width
    for line, record in records[1:]:
        if len(record) > width:
            if any(cell.strip() for cell in record[width:]) or len(record) > usual:
                raise InputError(path, f"row {line}", f"{len(record)} fields, but the header has {width} columns "
                                                      f"and most rows {usual} (a shifted row or an unquoted comma?)")
            record = record[:width]
        rows.append(tuple(record) + ("",) * (width - len(record)))
        lines.append(line)
    if not rows:
        raise InputError(path, None, "the export has a header but no rows")
    return ExportTable(path, tuple(header), columns, tuple(rows), tuple(lines))


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(path, None, "file not found")
    if path.is_dir():
        raise InputError(path, None, "is a directory, expected a CSV export")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(path, None, f"cannot read file ({error.strerror or error})") from None


def _decode(path: Path, data: bytes) -> str:
    for bom, encoding in FOREIGN_BOMS:
        if data.startswith(bom):
            raise InputError(path, None, f"the file is {encoding} text (it starts with a {encoding} byte-order "
                                         "mark): save or download it as a UTF-8 CSV")
    if b"\x00" in data:
        raise InputError(path, None, "binary data (NUL bytes), not a CSV export")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]   # IMSA's exports start with one
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(path, f"row {line}", f"not UTF-8 text (byte 0x{data[error.start]:02X}): save or download "
                                              "the export as a UTF-8 CSV") from None


def _check_separator(path: Path, header_line: str) -> None:
    commas = header_line.count(",")
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if header_line.count(separator) > commas:
            raise InputError(path, "row 1", f"fields are separated by {name}, expected commas (a spreadsheet's "
                                            "regional CSV save? export it with ',' as the separator)")
    if commas == 0:
        raise InputError(path, "row 1", "a single column: not a comma-separated timing export")


def _records(text: str):
    """(file line where the record starts, fields) of every CSV record; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        key = normalise_column(name)
        if not key:
            continue   # nameless trailing columns (the exports end every line with a comma)
        if key in columns:
            raise InputError(path, f"column {name.strip()}",
                             f"appears twice in the header (columns {columns[key] + 1} and {position + 1})")
        columns[key] = position
    return columns


def require_columns(table: ExportTable, needed: tuple[str, ...], what: str) -> None:
    """InputError naming the first missing column (and every one that is missing)."""
    missing = [column for column in needed if not table.has(column)]
    if missing:
        raise InputError(table.path, f"column {missing[0]}",
                         f"missing from the header (a {what} needs {', '.join(needed)}; missing: {', '.join(missing)})")
