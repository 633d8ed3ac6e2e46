"""Why a record or a batch is not imported: raised by the sources, reported by the runner."""


class RecordRejected(Exception):
    """This record cannot be imported; the message says why (shown with its source id)."""


class BatchRejected(Exception):
    """Some records of a batch break an invariant: the whole batch is written not at all.

    `reasons` maps source ids to why; a reason under the key "" concerns the batch as such.
    """

    def __init__(self, reasons: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in reasons.items()))
        self.reasons = reasons
