"""Huddle presence wire format: `input` parses requests, `output` renders responses."""

from ooo.serializers.input import (
    OooPresenceBodySerializer,
    OooRangeBodySerializer,
    OutOfOfficeInput,
    RangeQuery,
    ids_from_links,
    parse_instant,
    parse_out_of_office,
    parse_range_body,
    parse_range_query,
)
from ooo.serializers.output import (
    OooAuditListSerializer,
    OooAuditSerializer,
    OooErrorSerializer,
    OooLinkSerializer,
    OooPresenceListSerializer,
    OooPresenceSerializer,
    out_of_office_href,
    render_instant,
    render_presence_rows,
)

__all__ = [
    "OooAuditListSerializer",
    "OooAuditSerializer",
    "OooErrorSerializer",
    "OooLinkSerializer",
    "OooPresenceBodySerializer",
    "OooPresenceListSerializer",
    "OooPresenceSerializer",
    "OooRangeBodySerializer",
    "OutOfOfficeInput",
    "RangeQuery",
    "ids_from_links",
    "out_of_office_href",
    "parse_instant",
    "parse_out_of_office",
    "parse_range_body",
    "parse_range_query",
    "render_instant",
    "render_presence_rows",
]
