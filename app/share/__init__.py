"""The shared drive: layout of the share folder, the atomic writer and the patient reader.

Layout (no personal data in any name): ``cards/<fingerprint>.lcard`` (key cards),
``to/<recipient fingerprint[:32]>/<random>.lbundle`` (bundles per recipient),
``applied/<sender fingerprint[:32]>/<bundle hash>.ack`` (receipts that let the sender clean up).
"""
