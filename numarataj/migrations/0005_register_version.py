"""A register version the matcher can read without scanning the register (issue 12 §4).

Every statement that writes a register table (il, ilçe, mahalle, CSBM and its mahalle links,
adres, bağımsız bölüm) records its transaction in numarataj_register_change: one row per
transaction (xid), counting its statements. The row becomes visible exactly when the change
does, rows of different transactions never lock each other, and rows older than a day are
pruned (SKIP LOCKED) by later writers, so the table stays a few rows long whatever the size of
the register. match_index.register_version() reads count, sum of xids and sum of statements.
"""

from django.db import migrations

TABLES = ["numarataj_il", "numarataj_ilce", "numarataj_mahalle", "numarataj_csbm", "numarataj_csbm_mahalleler",
          "numarataj_adres", "numarataj_bagimsizbolum"]

FORWARD = """
CREATE TABLE numarataj_register_change (
    xid bigint PRIMARY KEY,
    statements bigint NOT NULL DEFAULT 1,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION numarataj_note_register_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO numarataj_register_change AS c (xid) VALUES (pg_current_xact_id()::text::bigint)
        ON CONFLICT (xid) DO UPDATE SET statements = c.statements + 1;
    DELETE FROM numarataj_register_change WHERE xid IN (
        SELECT xid FROM numarataj_register_change WHERE at < now() - interval '1 day' FOR UPDATE SKIP LOCKED);
    RETURN NULL;
END $$;
""" + "".join(f"""
CREATE TRIGGER numarataj_register_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t}
    FOR EACH STATEMENT EXECUTE FUNCTION numarataj_note_register_change();""" for t in TABLES)

BACKWARD = "".join(f"DROP TRIGGER IF EXISTS numarataj_register_change ON {t};" for t in TABLES) + """
DROP FUNCTION IF EXISTS numarataj_note_register_change();
DROP TABLE IF EXISTS numarataj_register_change;
"""


class Migration(migrations.Migration):

    dependencies = [("numarataj", "0004_register_io")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
