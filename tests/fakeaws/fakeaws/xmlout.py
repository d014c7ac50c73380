"""Rendering of Query-protocol (ELBv2, STS) and EC2-protocol XML replies.

Values are plain Python data: dict -> child elements in insertion order,
list -> repeated <member> (Query) or <item> (EC2) children, bool -> true/false,
None -> element omitted."""

from xml.sax.saxutils import escape

ELBV2_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def _render(out, value, item):
    if isinstance(value, dict):
        for k, v in value.items():
            if v is None:
                continue
            out.append("<%s>" % k)
            _render(out, v, item)
            out.append("</%s>" % k)
    elif isinstance(value, (list, tuple)):
        for v in value:
            out.append("<%s>" % item)
            _render(out, v, item)
            out.append("</%s>" % item)
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    else:
        out.append(escape(str(value)))


def query_response(action, result, request_id, ns):
    out = ['<%sResponse xmlns="%s">' % (action, ns)]
    if result:
        out.append("<%sResult>" % action)
        _render(out, result, "member")
        out.append("</%sResult>" % action)
    else:
        out.append("<%sResult/>" % action)
    out.append("<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>"
               % request_id)
    out.append("</%sResponse>" % action)
    return "".join(out).encode()


def query_error(code, message, sender, request_id, ns):
    return ('<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code>'
            '<Message>%s</Message></Error><RequestId>%s</RequestId>'
            '</ErrorResponse>' % (ns, "Sender" if sender else "Receiver",
                                  escape(code), escape(message),
                                  request_id)).encode()


def ec2_response(action, result, request_id):
    out = ['<%sResponse xmlns="%s"><requestId>%s</requestId>'
           % (action, EC2_NS, request_id)]
    _render(out, result or {}, "item")
    out.append("</%sResponse>" % action)
    return "".join(out).encode()


def ec2_error(code, message, request_id):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            '<Code>%s</Code><Message>%s</Message></Error></Errors>'
            '<RequestID>%s</RequestID></Response>'
            % (escape(code), escape(message), request_id)).encode()
