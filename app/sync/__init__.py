"""Exchanging bundles: this vault's keys and card, the outbox, the import pipeline and the
handlers of each kind of bundle. Services (``app.services.sync`` and friends) call in here;
``app.bundle`` is the file format, ``app.share`` the shared drive, ``db.replica`` the merge."""
