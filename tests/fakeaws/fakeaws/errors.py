"""The one exception type every emulated service raises for an AWS error."""


class AwsError(Exception):
    """An error that becomes an AWS-shaped error reply.

    code/message are the wire values; status is the HTTP status; sender
    selects Type=Sender (client fault) or Receiver (server fault)."""

    def __init__(self, code, message, status=400, sender=True):
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender


def validation(message):
    return AwsError("ValidationError", message)


def constraint_message(errors):
    """AWS's summary form: '1 validation error detected: A; B'."""
    n = len(errors)
    return "%d validation error%s detected: %s" % (
        n, "" if n == 1 else "s", "; ".join(errors))
