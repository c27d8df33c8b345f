"""CSW 2.0.2 and 3.0 at /csw: pycsw answers, Kent feeds it.

pycsw owns the protocol (capabilities, GetRecords with OGC filters, GetRecordById, Dublin Core and
ISO 19139 output); Kent keeps one row per published layer and imagery set in pycsw's record
columns (`ogc.models.CswRecord`), rebuilt from the registry when its stamp changes, and hides the
records a caller may not see with pycsw's repository filter."""
