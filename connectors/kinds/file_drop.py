"""File-drop connector: CSV (UTF-8, GBK/GB18030, `,` or tab) and Excel files left in a folder.

Each file is read in batches of bounded size (a 300 MB export never sits in memory whole), then moved
to `archive/`; a file that cannot be read at all goes to `rejected/` beside a `.reason.txt`. The cursor
remembers how many rows of the current file are stored, so a killed run resumes mid-file.
"""

from __future__ import annotations

import codecs
import csv
import json
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import polars as pl
from pydantic import Field

from connectors.base import Batch, Connector, FetchContext, Reject, Settings, register
from connectors.errors import ConfigError


class Unpivot(Settings):
    """Turn a wide file (one column per station) into long rows: the other headers become values."""

    keep: list[str] = Field(min_length=1, description="Columns kept on every row, e.g. [date, hour, type]")
    name_to: str = Field(description="Dataset column receiving the former header (e.g. station)")
    value_to: str = Field(description="Dataset column receiving the cell (e.g. value)")
    drop_empty: bool = Field(default=True, description="A blank cell is no measurement, not a row")


class FileDropSettings(Settings):
    """Settings of a `file_drop` source."""

    path: str = Field(description="Folder the department drops files into")
    patterns: list[str] = Field(default=["*.csv", "*.tsv", "*.txt", "*.xlsx"], description="File names to take")
    encoding: Literal["auto", "utf-8", "gbk", "gb18030"] = Field(default="auto", description="Text encoding of CSV")
    delimiter: Literal[",", "\t", ";", "|"] | None = Field(default=None, description="Field separator; auto when absent")
    columns: dict[str, str] = Field(default_factory=dict, description="Header in the file → dataset column")
    sheet: str | None = Field(default=None, description="Excel sheet; the first when absent")
    batch_rows: int = Field(default=50_000, ge=1, description="Rows per batch (bounds memory)")
    unpivot: Unpivot | None = Field(default=None, description="Read a wide file as long rows")
    archive_dir: str = Field(default="archive", description="Where processed files go (relative to path)")
    rejected_dir: str = Field(default="rejected", description="Where unreadable files go (relative to path)")


@register
class FileDrop(Connector):
    """Reads files dropped into a folder, oldest first."""

    kind = "file_drop"
    settings = FileDropSettings

    def fetch(self, settings: FileDropSettings, ctx: FetchContext) -> Iterator[Batch]:
        """Yield each waiting file's rows in batches; the last batch of a file archives it."""
        folder = Path(settings.path)
        if not folder.is_dir():
            raise ConfigError(f"接收目录不存在或不可读：{folder}")
        resume = json.loads(ctx.cursor) if ctx.cursor else {}
        for path in _waiting(folder, settings.patterns):
            skip = resume.get("rows", 0) if resume.get("file") == _identity(path) else 0
            yield from _read_file(path, settings, ctx, skip)


def _identity(path: Path) -> str:
    """Name, size and modification time: a new file of an old name is not mistaken for a resumed one."""
    st = path.stat()
    return f"{path.name}|{st.st_size}|{st.st_mtime_ns}"


def _waiting(folder: Path, patterns: list[str]) -> list[Path]:
    found = {p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def _read_file(path: Path, settings: FileDropSettings, ctx: FetchContext, skip: int) -> Iterator[Batch]:
    try:
        rows = _xlsx_rows(path, settings) if path.suffix.lower() == ".xlsx" else _csv_rows(path, settings)
        header = _unique([settings.columns.get(h, h) for h in next(rows)])
    except (ValueError, UnicodeDecodeError, OSError, StopIteration, KeyError, csv.Error, zipfile.BadZipFile) as exc:
        yield _rejected(path, settings, _reason(exc))
        return
    visible = set(header) | ({settings.unpivot.name_to, settings.unpivot.value_to} if settings.unpivot else set())
    if not visible & set(ctx.columns):
        wanted = "、".join(ctx.columns)
        yield _rejected(path, settings, f"表头与配置的列都不匹配（需要：{wanted}；文件表头：{'、'.join(header)}）")
        return
    done = 0
    ident = _identity(path)
    good: list[list[str]] = []
    rejects: list[Reject] = []
    width = len(header)
    for line, values in enumerate(rows, start=2):
        if not any(values):
            continue
        done += 1
        if done <= skip:
            continue
        if len(values) == width:
            good.append(values)
        else:
            raw = json.dumps({"file": path.name, "line": line, "values": values}, ensure_ascii=False)
            rejects.append(Reject(raw, f"文件 {path.name} 第 {line} 行有 {len(values)} 个字段，表头有 {width} 个"))
        if len(good) + len(rejects) >= settings.batch_rows:
            yield Batch(_frame(header, good, settings), json.dumps({"file": ident, "rows": done}, ensure_ascii=False),
                        rejects)
            good, rejects = [], []
    yield Batch(_frame(header, good, settings), json.dumps({"file": ident, "rows": done}, ensure_ascii=False), rejects,
                on_commit=lambda: _move(path, Path(settings.path) / settings.archive_dir))


def _unique(header: list[str]) -> list[str]:
    """Repeated headers (a station listed twice in a real CNEMC release) become `name#2`, `name#3`…"""
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h}#{seen[h]}")
    return out


def _frame(header: list[str], rows: list[list], settings: FileDropSettings) -> pl.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    frame = pl.DataFrame({h: pl.Series(h, list(c), dtype=pl.String) for h, c in zip(header, columns, strict=True)})
    # A repeated column identical to its first occurrence adds nothing; a differing one is kept as `name#n`.
    frame = frame.drop([c for c in frame.columns if "#" in c and c.rsplit("#", 1)[0] in frame.columns
                        and frame.get_column(c).equals(frame.get_column(c.rsplit("#", 1)[0]))])
    spec = settings.unpivot
    if spec is None or frame.is_empty():
        return frame
    long = frame.unpivot(index=spec.keep, variable_name=spec.name_to, value_name=spec.value_to)
    if spec.drop_empty:
        long = long.filter(pl.col(spec.value_to).str.strip_chars().fill_null("") != "")
    return long


def _csv_rows(path: Path, settings: FileDropSettings) -> Iterator[list[str]]:
    encoding = settings.encoding if settings.encoding != "auto" else _detect_encoding(path)
    if encoding != "utf-8-sig":
        _check_decodes(path, encoding)
    with path.open(encoding=encoding, newline="") as fh:
        first = fh.readline()
        delimiter = settings.delimiter or ("\t" if first.count("\t") > first.count(",") else ",")
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter, strict=False)
        header = next(reader, None)
        if header is None:
            return
        yield [h.lstrip("\ufeff").strip() for h in header]
        yield from reader


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else GB18030 (a superset of GBK)."""
    with path.open("rb") as fh:
        if fh.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    try:
        _check_decodes(path, "utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _check_decodes(path: Path, encoding: str) -> None:
    """Decode the whole file in chunks first, so a bad byte rejects the file before any row is stored."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)


def _xlsx_rows(path: Path, settings: FileDropSettings) -> Iterator[list[str | None]]:
    from openpyxl import load_workbook  # read-only mode streams rows

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[settings.sheet] if settings.sheet else book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        book.close()


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"文件编码无法识别（{exc.encoding} 解码失败于第 {exc.start} 字节），请另存为 UTF-8 或 GBK"
    if isinstance(exc, StopIteration):
        return "文件为空，没有表头"
    if isinstance(exc, KeyError):
        return f"找不到工作表：{exc}"
    return f"文件无法读取：{type(exc).__name__}: {exc}"


def _rejected(path: Path, settings: FileDropSettings, reason: str) -> Batch:
    raw = json.dumps({"file": path.name}, ensure_ascii=False)

    def move() -> None:
        target = _move(path, Path(settings.path) / settings.rejected_dir)
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")

    return Batch(pl.DataFrame(), None, [Reject(raw, f"文件 {path.name} 被拒收：{reason}")], on_commit=move)


def _move(path: Path, folder: Path) -> Path:
    """Move a file into `folder`, never overwriting an earlier file of the same name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    shutil.move(str(path), target)
    return target
