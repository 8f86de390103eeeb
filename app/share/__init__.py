"""The shared drive: layout of the share folder, the atomic writer and the patient reader.

Layout (no personal data in any name): ``cards/<fingerprint>.lcard`` (key cards),
``to/<recipient fingerprint[:32]>/<random>.lbundle`` (bundles per recipient),
``applied/<sender fingerprint[:32]>/<bundle file sha256>.<recipient fingerprint[:16]>.ack``
(receipts that let the sender clean up), ``applied/<sender fingerprint[:32]>/<random>.refused``
(a recipient's signed notice that it rejected one of the sender's bundles). A file being written is
``<random>[-<writer tag>].partial`` in its target folder until it is published.

Modules: ``layout`` (where things live), ``files`` (``write_new``, ``final_names``,
``read_stable``, ``ShareUnavailable``), ``ops`` (the file-operation seam: ``ShareOps``,
``SlowOps``), ``acks`` (``write_ack``, ``acked``, ``cleanup``), ``notices`` (refusal notices),
``sweep`` (a vault's own stale partials), ``reach`` (``reachable``: is the share there,
without hanging).
"""
