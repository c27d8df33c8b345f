"""pycsw's runtime configuration, built from Kent's settings for one request (never a hand-kept
.cfg): the site URL, the provider, and the repository filter that hides what the caller may not see."""

import configparser
from typing import Any

from .. import conf
from .records import provider_name

REPOSITORY = "ogc.csw.repository.KentRepository"
MAX_RECORDS = 100


def site_url(scheme: str, host: str) -> str:
    """The public site URL: KENT_OGC_URL without its /ogc if set, else this request's."""
    ogc = conf.base_url()
    return ogc.removesuffix("/ogc") if ogc else f"{scheme}://{host}"


def config(site: str, repo_filter: str) -> configparser.ConfigParser:
    """The configuration pycsw's `Csw` reads (server, metadata, repository sections)."""
    org = provider_name()
    email = conf.text("KENT_OGC_CONTACT_EMAIL", "cbs@belediye.example")
    sections: dict[str, dict[str, Any]] = {
        "server": {"url": f"{site}/csw", "mimetype": "application/xml; charset=UTF-8", "encoding": "UTF-8",
                   "maxrecords": str(MAX_RECORDS), "pretty_print": "false",
                   "profiles": "apiso", "domainquerytype": "list", "domaincounts": "false",
                   "spatial_ranking": "false", "ogc_schemas_base": "http://schemas.opengis.net"},
        "manager": {"transactions": "false", "allowed_ips": "127.0.0.1"},
        "metadata:main": {
            "identification_title": "Kent CBS kataloğu (Kent GIS catalogue)",
            "identification_abstract": "Belediyenin yayımladığı katmanlar ve görüntüler; ISO 19115/19139 üst verisi. "
                                       "(The layers and imagery the municipality publishes, with ISO 19115/19139 "
                                       "metadata.)",
            "identification_keywords": "CBS,TUCBS,belediye,adres,numarataj",
            "identification_keywords_type": "theme", "identification_fees": "None",
            "identification_accessconstraints": "Protokollü katmanlar erişim anahtarı ister. "
                                                "(Agency layers need a token.)",
            "provider_name": org, "provider_url": site, "contact_name": org, "contact_position": "CBS Müdürlüğü",
            "contact_address": "", "contact_city": "", "contact_stateorprovince": "", "contact_postalcode": "",
            "contact_country": "Türkiye", "contact_phone": "", "contact_fax": "", "contact_email": email,
            "contact_url": site, "contact_hours": "", "contact_instructions": "", "contact_role": "pointOfContact",
        },
        "metadata:inspire": {"enabled": "false"},
        "repository": {"source": REPOSITORY, "filter": repo_filter},
    }
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_dict(sections)
    return parser
