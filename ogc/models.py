"""The CSW records table: pycsw's record columns (the names of pycsw's core model mappings, so its
filters' SQL runs as written), one row per published layer or imagery set, plus what Kent needs to
decide who may see a row. Rows are derived data: `ogc.csw.sync` rebuilds them from the registry."""

from django.contrib.gis.db import models

# pycsw's text columns (pycsw/core/config.py, md_core_model mappings); ISO dates are kept as text,
# as pycsw compares and writes them.
PYCSW_COLUMNS = (
    "typename", "schema", "mdsource", "insert_date", "xml", "anytext", "language", "type", "title",
    "title_alternate", "abstract", "keywords", "keywordstype", "parentidentifier", "relation", "time_begin",
    "time_end", "topicategory", "resourcelanguage", "creator", "publisher", "contributor", "organization",
    "securityconstraints", "accessconstraints", "otherconstraints", "date", "date_revision", "date_creation",
    "date_publication", "date_modified", "format", "source", "crs", "geodescode", "denominator",
    "distancevalue", "distanceuom", "wkt_geometry", "servicetype", "servicetypeversion", "operation",
    "couplingtype", "operateson", "operatesonidentifier", "operatesoname", "degree", "classification",
    "conditionapplyingtoaccessanduse", "lineage", "responsiblepartyrole", "specificationtitle",
    "specificationdate", "specificationdatetype", "links",
)


class CswRecord(models.Model):
    """One catalogue record as pycsw reads it; the `kent_` columns say whose it is."""

    identifier = models.CharField(max_length=200, unique=True)
    wkb_geometry = models.PolygonField(srid=4326, null=True)  # pycsw's native PostGIS filter column
    kent_kind = models.CharField(max_length=10)  # "katman" (geo.Layer) or "goruntu" (tiles.Imagery)
    kent_object_id = models.PositiveIntegerField()
    kent_access = models.CharField(max_length=10)  # public or agency
    kent_group_id = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["identifier"]


for _column in PYCSW_COLUMNS:
    CswRecord.add_to_class(_column, models.TextField(null=True))
