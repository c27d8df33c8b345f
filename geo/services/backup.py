"""Backup and restore of a whole Kent installation: the database and the uploaded files.

One archive, `kent-YYYYMMDD-HHMMSS.tar`, holds `manifest.json`, `database.dump` (pg_dump custom
format) and `media/...`. The row counts in the manifest are taken in the very snapshot pg_dump
dumps (`pg_export_snapshot`), so a restore can prove it got back exactly what was saved.

Restores go into an empty database through pg_restore in one transaction: a failure leaves
nothing half-restored. Extensions are created, not restored, because their objects (and the
comments on them) belong to the superuser who installed them, not to Kent's role."""

import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

from geo.files import sha256_of

from .pg_tools import (
    BackupError,
    connect,
    create_extensions,
    db_settings,
    drop_database,
    extension_tables,
    maintenance_connection,
    pg_env,
    pg_tool,
    row_counts,
    run_tool,
    user_tables,
)

__all__ = ["BackupError", "BackupResult", "RestoreResult", "backup", "kent_tables", "restore", "rotate"]

FORMAT = "kent-backup"
FORMAT_VERSION = 1
MANIFEST, DUMP, MEDIA = "manifest.json", "database.dump", "media"
KENT_APPS = ("geo", "numarataj", "smartcity", "data")
DB_NAME = re.compile(r"^[\w.-]{1,63}$")

Log = Callable[[str], None]


def _summary(what: object, rows: int, files: int) -> str:
    """The last line a backup or restore logs."""
    return _("%(what)s: %(rows)s satır, %(files)s dosya") % {"what": what, "rows": rows, "files": files}


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@dataclass
class RestoreResult:
    database: str
    row_counts: dict[str, int]
    media_files: int
    warnings: list[str] = field(default_factory=list)


def kent_tables() -> set[str]:
    """Tables of Kent's own apps, with many-to-many tables and unmanaged ones (tables a migration
    builds by SQL, e.g. partitioned ones); callers skip those that do not exist."""
    return {m._meta.db_table for cfg in apps.get_app_configs() if cfg.label in KENT_APPS
            for m in cfg.get_models(include_auto_created=True)}


# --- backup --------------------------------------------------------------------------------

def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(settings.BASE_DIR), *args], capture_output=True, text=True,
                             timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None




def _media_files(root: Path, exclude: Path | None = None) -> list[Path]:
    """Regular files under root; `exclude` keeps a backup directory inside MEDIA_ROOT out."""
    if not root.is_dir():
        return []
    skip = exclude.resolve() if exclude else None
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()
                  and not (skip and skip in p.resolve().parents))


def _archive_path(output_dir: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path, n = output_dir / f"kent-{stamp}.tar", 1
    while path.exists():
        n += 1
        path = output_dir / f"kent-{stamp}-{n}.tar"
    return path


def backup(output_dir: Path, *, log: Log = lambda _: None) -> BackupResult:
    """Dump the configured database and MEDIA_ROOT into one dated archive in output_dir."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    dbname = db_settings()["NAME"]
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".kent-backup-") as tmp:
        dump = Path(tmp) / DUMP
        with closing(connect()) as conn:
            conn.set_session(isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
            with conn.cursor() as cur:
                cur.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cur.fetchone()
                counts = row_counts(cur, sorted(kent_tables()))
                ext_tables = extension_tables(cur)
            pg_dump = pg_tool("pg_dump", conn.server_version // 10000)
            log(f"pg_dump: {pg_dump} → {dbname}")
            run_tool([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                     pg_env(dbname), "pg_dump")
            conn.rollback()
        media = _media_files(media_root, exclude=output_dir)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "kent_version": _git("describe", "--always", "--dirty"), "git_commit": _git("rev-parse", "HEAD"),
            "database": {"name": dbname, "server_version": server_version,
                         "pg_dump_version": run_tool([pg_dump, "--version"], {}, "pg_dump --version").strip(),
                         "dump_sha256": sha256_of(dump), "extension_tables": ext_tables},
            "row_counts": {t: c for t, c in counts.items() if c is not None},
            "media": {"files": len(media), "bytes": sum(p.stat().st_size for p in media)},
        }
        path = _archive_path(output_dir)
        partial = path.with_name(path.name + ".partial")
        try:
            with tarfile.open(partial, "w") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
                tar.addfile(info, io.BytesIO(data))
                tar.add(dump, arcname=DUMP)
                for p in media:
                    tar.add(p, arcname=f"{MEDIA}/{p.relative_to(media_root).as_posix()}", recursive=False)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    log(_summary(path, sum(manifest["row_counts"].values()), len(media)))
    return BackupResult(path, manifest)


# --- restore -------------------------------------------------------------------------------

def _read_archive(path: Path, into: Path) -> dict[str, Any]:
    """Unpack and check an archive before anything touches a database."""
    not_kent = _("'%(path)s' bir Kent yedeği değil ya da bozuk. ('%(path)s' is not a Kent backup or is damaged.)"
                 ) % {"path": path}
    if not path.is_file():
        raise BackupError(_("Yedek dosyası bulunamadı: %(path)s. (Backup file not found.)") % {"path": path})
    try:
        with tarfile.open(path, "r:*") as tar:
            names = set(tar.getnames())
            if not {MANIFEST, DUMP} <= names:
                raise BackupError(f"{not_kent}\n" + _("manifest.json / database.dump yok (missing)."))
            manifest = json.load(tar.extractfile(MANIFEST))
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError, ValueError, AttributeError) as e:
        raise BackupError(f"{not_kent}\n{e}") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{not_kent}\n" + _("manifest.json tanınmadı (unknown manifest)."))
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(_("Bu yedek Kent'in daha yeni bir sürümüyle alınmış. (Made by a newer Kent.)"))
    if sha256_of(into / DUMP) != manifest.get("database", {}).get("dump_sha256"):
        raise BackupError(f"{not_kent}\n" + _("database.dump sağlama toplamı tutmuyor (checksum mismatch)."))
    return manifest


def _restore_list(toc: str, config_tables: set[str]) -> tuple[str, list[str]]:
    """pg_restore's table of contents without the extensions' own entries, and those extensions."""
    keep, extensions = [], []
    for line in toc.splitlines():
        m = re.match(r"^\d+; \d+ \d+ (.*)$", line)
        desc = m.group(1).split() if m else []
        if desc[:2] == ["EXTENSION", "-"]:
            extensions.append(desc[2])
            continue
        if desc[:3] == ["COMMENT", "-", "EXTENSION"]:
            continue
        if desc[:2] == ["TABLE", "DATA"] and len(desc) > 3 and f"{desc[2]}.{desc[3]}" in config_tables:
            continue
        keep.append(line)
    return "\n".join(keep) + "\n", extensions


def _check_counts(dbname: str, expected: dict[str, int]) -> dict[str, int]:
    with closing(connect(dbname)) as conn, conn.cursor() as cur:
        got = row_counts(cur, list(expected))
    wrong = [f"{t}: {n} ≠ {got[t]}" for t, n in sorted(expected.items()) if got[t] != n]
    if wrong:
        raise BackupError(_("Geri yüklenen satır sayıları yedektekinden farklı (yedek ≠ geri yüklenen). "
                            "(Restored row counts differ from the backup.)") + "\n" + "\n".join(wrong))
    return {t: n for t, n in got.items() if n is not None}


def _restore_media(src: Path, media_root: Path, expected: int) -> int:
    files = _media_files(src)
    if len(files) != expected:
        raise BackupError(_("Arşivde %(found)s dosya var, manifest %(expected)s diyor. "
                            "(The archive's media files do not match its manifest.)")
                          % {"found": len(files), "expected": expected})
    for p in files:
        dest = media_root / p.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, dest)
    return len(files)


def restore(archive: Path, *, database_name: str | None = None, force: bool = False,
            log: Log = lambda _: None) -> RestoreResult:
    """Restore an archive into `database_name` (default: the configured database).

    An existing database must be empty unless `force`. A new or forced database is first built
    under a staging name and only swapped in once its row counts match the manifest, so a
    failed restore never costs the data that was there before."""
    target = database_name or db_settings()["NAME"]
    if not DB_NAME.match(target):
        raise BackupError(_("Geçersiz veritabanı adı: %(name)s. (Invalid database name.)") % {"name": repr(target)})
    with tempfile.TemporaryDirectory(prefix="kent-restore-") as tmp:
        manifest = _read_archive(Path(archive), Path(tmp))
        ext_rows: dict[str, int] = manifest["database"].get("extension_tables", {})
        with closing(maintenance_connection()) as conn, conn.cursor() as cur:
            pg_restore = pg_tool("pg_restore", conn.server_version // 10000)
            toc = run_tool([pg_restore, "--list", str(Path(tmp) / DUMP)], {}, "pg_restore --list")
            restore_list, extensions = _restore_list(toc, set(ext_rows))
            cur.execute("SELECT current_user, EXISTS (SELECT 1 FROM pg_database WHERE datname = %s)", [target])
            role, exists = cur.fetchone()
            tables = user_tables(target) if exists else []
            if tables and not force:
                kent = sorted(set(tables) & kent_tables())
                raise BackupError(
                    _("'%(name)s' veritabanı boş değil (%(count)s tablo, Kent tabloları: %(kent)s). Silip "
                      "yeniden kurmak için --force kullanın. (The target database is not empty; use --force "
                      "to drop and recreate it.)") % {"name": target, "count": len(tables),
                                                      "kent": ", ".join(kent[:5]) or "-"})
            into = target if exists and not tables else f"{target[:40]}_restoring_{os.urandom(4).hex()}"
            if into != target:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(into)))
            try:
                create_extensions(into, extensions)
                list_file = Path(tmp) / "restore.list"
                list_file.write_text(restore_list)
                log(f"pg_restore: {pg_restore} → {into}")
                run_tool([pg_restore, "--no-owner", f"--role={role}", "--no-privileges", "--exit-on-error",
                          "--single-transaction", f"--use-list={list_file}", f"--dbname={into}",
                          str(Path(tmp) / DUMP)], pg_env(into), "pg_restore")
                counts = _check_counts(into, manifest["row_counts"])
                if into != target:
                    if exists:
                        log(_("--force: '%(name)s' siliniyor (dropping)") % {"name": target})
                        drop_database(cur, target)
                    cur.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                        sql.Identifier(into), sql.Identifier(target)))
            except BaseException:
                if into != target:
                    drop_database(cur, into)
                raise
        media = _restore_media(Path(tmp) / MEDIA, Path(settings.MEDIA_ROOT), manifest["media"]["files"])
    warnings = [_("%(table)s: %(rows)s satır geri yüklenmedi; eklenti tablosu, süper kullanıcı gerekir. "
                  "(%(rows)s rows of extension table %(table)s not restored; needs a superuser.)")
                % {"table": t, "rows": n} for t, n in ext_rows.items() if n]
    log(_summary(target, sum(counts.values()), media))
    return RestoreResult(target, counts, media, warnings)


def rotate(output_dir: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives in output_dir (the nightly backup's rotation)."""
    archives = sorted(Path(output_dir).glob("kent-*.tar"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = archives[max(keep, 1):]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
