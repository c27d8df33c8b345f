"""numarataj: the MAKS address register (İl, İlçe, Mahalle, CSBM, Yapı, dış kapı, bağımsız
bölüm), the numbering engine, street naming, address cards and textual address matching."""
